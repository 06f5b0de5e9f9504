/**
 * What the delivery layer keeps on the device: the storage estimate, whether storage is
 * persistent (with a button to ask for it), each stored model/catalogue version with its size,
 * paused downloads, and a notice when only memory is available. Placed in the settings page.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { pageDeliveryStorage } from '../../features/delivery/client/page-storage.ts';
import {
  requestPersistentStorage,
  storageEstimate,
  type StorageEstimateInfo,
  type StorageSummary,
} from '../../features/delivery/shared/delivery-storage.ts';
import { formatBytes, t } from '../../i18n/i18n.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';

export { pageDeliveryStorage };

@customElement('drishti-storage-status')
export class StorageStatus extends LitElement {
  static override styles = css`
    :host { display: block; }
    h2 { font-size: 1.1rem; margin: 0 0 8px; }
    p { margin: 4px 0; }
    ul { list-style: none; padding: 0; margin: 8px 0; }
    li { display: flex; gap: 8px; align-items: center; justify-content: space-between; padding: 6px 0; border-bottom: 1px solid #e6dcd0; flex-wrap: wrap; }
    .name { overflow-wrap: anywhere; }
    .tag { font-size: 0.85rem; background: #f3e6d3; border-radius: 6px; padding: 2px 6px; margin-left: 4px; }
    .notice { background: #fff1c2; padding: 8px; border-radius: 8px; }
    meter { width: 100%; height: 12px; }
    button { min-height: 44px; padding: 0 14px; border-radius: 8px; border: 1px solid #7a1f3d; background: #fff; color: #7a1f3d; font: inherit; cursor: pointer; }
  `;

  private readonly locale = new LocaleController(this);
  @state() private estimate: StorageEstimateInfo | undefined;
  @state() private summary: StorageSummary | undefined;
  @state() private evicted: string[] = [];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  /** Re-reads storage (call after a download finishes). */
  async refresh(): Promise<void> {
    const storage = await pageDeliveryStorage();
    const [estimate, summary] = await Promise.all([storageEstimate(), storage.summary()]);
    this.estimate = estimate;
    this.summary = summary;
    this.evicted = storage.evictions.map((e) => e.what);
  }

  private async protect(): Promise<void> {
    await requestPersistentStorage();
    await this.refresh();
  }

  private async removeAsset(kind: 'model' | 'pack', id: string, version: string): Promise<void> {
    const storage = await pageDeliveryStorage();
    await storage.deleteAsset(kind, id, version);
    await this.refresh();
  }

  override render() {
    void this.locale.locale;
    const { estimate, summary } = this;
    if (!summary || !estimate) return html`<p role="status">${t('storage.loading')}</p>`;
    const usage =
      estimate.usage !== undefined && estimate.quota !== undefined
        ? html`<p>${t('storage.usage', { used: formatBytes(estimate.usage), quota: formatBytes(estimate.quota) })}</p>
            <meter min="0" max=${estimate.quota} value=${estimate.usage} aria-hidden="true"></meter>`
        : html`<p>${t('storage.usageUnknown')}</p>`;
    return html`<section aria-labelledby="storage-h">
      <h2 id="storage-h">${t('storage.heading')}</h2>
      ${summary.backend === 'memory' ? html`<p class="notice" role="note">${t('storage.memoryNotice')}</p>` : nothing}
      ${usage}
      <p data-persisted=${String(estimate.persisted === true)}>
        ${estimate.persisted ? t('storage.persisted') : t('storage.notPersisted')}
      </p>
      ${estimate.persisted ? nothing : html`<button @click=${() => void this.protect()}>${t('storage.protect')}</button>`}
      ${this.evicted.length ? html`<p class="notice" role="status">${t('storage.evicted', { what: this.evicted.join(', ') })}</p>` : nothing}
      ${summary.assets.length === 0 && summary.partials.length === 0 ? html`<p>${t('storage.empty')}</p>` : nothing}
      <ul>
        ${summary.assets.map(
          (a) => html`<li data-kind=${a.kind}>
            <span class="name">${a.kind === 'model' ? t('storage.model') : t('storage.pack')}: ${displayName(a.id)}
              <small>${a.version.slice(0, 12)}</small>${a.active || a.inUse ? html`<span class="tag">${t('storage.active')}</span>` : nothing}</span>
            <span>${formatBytes(a.bytes)}</span>
            ${a.active || a.inUse ? nothing : html`<button @click=${() => void this.removeAsset(a.kind, a.id, a.version)}>${t('storage.remove')}</button>`}
          </li>`,
        )}
        ${summary.partials.map(
          (p) => html`<li data-kind="partial">
            <span class="name">${displayName(p.url)}</span>
            <span>${t('storage.partial', { stored: formatBytes(p.storedBytes), total: formatBytes(p.bytes) })}</span>
          </li>`,
        )}
      </ul>
    </section>`;
  }
}

/** Ids of model slots and packs are URLs; show the part a person recognises. */
function displayName(id: string): string {
  try {
    const u = new URL(id);
    return `${u.pathname}${u.hash}`;
  } catch {
    return id;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drishti-storage-status': StorageStatus;
  }
}
