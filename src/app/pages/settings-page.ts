/** Settings: the language, and what is stored on this phone (with sizes) — and deleting all of it. */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { shopStore } from '../../features/shop/client/shop-store.ts';
import { formatBytes, t, tn, type MessageKey } from '../../i18n/i18n.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import '../components/lang-switch.ts';
import '../components/storage-status.ts';
import '../../features/experiments/client/share-consent.ts';
import { closeAppExperiments } from '../services/experiments.ts';
import { deleteAllData, scanStorage, type StorageReport, type StoredKind } from '../services/storage-inventory.ts';
import { sharedStyles } from '../styles/shared-styles.ts';

const KIND_LABEL: Record<StoredKind, MessageKey> = {
  models: 'settings.kind.models',
  packs: 'settings.kind.packs',
  history: 'settings.kind.history',
  shop: 'settings.kind.shop',
  appFiles: 'settings.kind.appFiles',
  other: 'settings.kind.other',
};
const ORDER: StoredKind[] = ['models', 'packs', 'history', 'shop', 'appFiles', 'other'];

@customElement('drishti-settings-page')
export class SettingsPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      table { width: 100%; border-collapse: collapse; margin: 0.5rem 0; }
      th, td { text-align: start; padding: 0.5rem 0.3rem; border-bottom: 1px solid var(--line); vertical-align: top; }
      td.num { text-align: end; white-space: nowrap; }
      th .muted { font-weight: 400; }
      .danger { background: var(--danger); border-color: var(--danger); }
      .danger:hover { background: #7d1013; border-color: #7d1013; }
      section { margin-top: 1.2rem; }
    `,
  ];

  private readonly i18n = new LocaleController(this);
  @state() private report: StorageReport | undefined;
  @state() private status = '';
  @state() private failure = '';
  @state() private deleting = false;
  /** Bumped after deleting, so the sharing switch reopens the (now empty) experiments database. */
  @state() private shareKey = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.scan();
  }

  private async scan(): Promise<void> {
    try {
      this.report = await scanStorage();
    } catch (err) {
      this.failure = t('settings.scanFailed', { detail: (err as Error).message });
    }
  }

  private async deleteAll(): Promise<void> {
    if (!confirm(t('settings.deleteConfirm'))) return;
    this.deleting = true;
    this.status = t('settings.deleting');
    this.failure = '';
    try {
      const outcome = await deleteAllData(async () => {
        await shopStore().close();
        // Open connections would hold the experiments database until a reload.
        await closeAppExperiments();
        this.renderRoot.querySelector('drishti-share-counts')?.client?.close();
      });
      this.shareKey++;
      if (outcome === 'reload') {
        this.status = t('settings.deletedAfterReload');
        setTimeout(() => location.reload(), 800);
        return;
      }
      this.status = t('settings.deleted');
      await this.scan();
    } catch (err) {
      this.failure = t('settings.deleteFailed', { detail: (err as Error).message });
      this.status = '';
    } finally {
      this.deleting = false;
    }
  }

  private renderReport() {
    if (!this.report) return html`<p role="status">${t('settings.scanning')}</p>`;
    const groups = ORDER.map((k) => this.report!.groups.find((g) => g.kind === k)).filter((g) => !!g);
    const total = groups.reduce((s, g) => s + g.bytes, 0);
    return html`
      ${groups.length === 0
        ? html`<p id="nothing-stored">${t('settings.nothing')}</p>`
        : html`<table id="stored">
            <tbody>
              ${groups.map(
                (g) => html`<tr data-kind=${g.kind}>
                  <th scope="row">${t(KIND_LABEL[g.kind])}<br /><span class="muted">${tn('settings.items', g.entries)}</span></th>
                  <td class="num">${formatBytes(g.bytes)}</td>
                </tr>`,
              )}
            </tbody>
          </table>`}
      <p id="stored-total">${t('settings.total', { used: formatBytes(total) })}</p>
    `;
  }

  override render() {
    return html`<h1 tabindex="-1">${t('settings.title')}</h1>
      <section aria-labelledby="lang-h">
        <h2 id="lang-h">${t('settings.language')}</h2>
        <drishti-lang-switch></drishti-lang-switch>
      </section>
      <section aria-labelledby="stored-h">
        <h2 id="stored-h">${t('settings.storedHeading')}</h2>
        <p>${t('settings.storedIntro')}</p>
        ${this.renderReport()}
        <drishti-storage-status></drishti-storage-status>
        <button class="danger" id="delete-all" ?disabled=${this.deleting} @click=${() => void this.deleteAll()}>${t('settings.deleteAll')}</button>
        <p role="status" aria-live="polite" id="delete-status">${this.status}</p>
        ${this.failure ? html`<p class="error" role="alert">${this.failure}</p>` : nothing}
      </section>
      <section aria-labelledby="sharing-h">
        <h2 id="sharing-h">${t('settings.sharingHeading')}</h2>
        <!-- Opt-in, off by default: only aggregated experiment counts, and only to the shop's collector. -->
        ${keyed(this.shareKey, html`<drishti-share-counts id="share-counts"></drishti-share-counts>`)}
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drishti-settings-page': SettingsPage;
  }
}
