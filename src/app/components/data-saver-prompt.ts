/**
 * Asks once before large downloads when the browser's Data Saver is on: the model and catalogue
 * are several MB, so the person decides. The answer is remembered in the delivery store, where
 * the worker's downloader reads it (until then it declines large downloads with a clear message).
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { formatBytes, t } from '../../i18n/i18n.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';

/** Typical size of the model a phone downloads (int8 variant), for the question's wording. */
const TYPICAL_MODEL_BYTES = 4_000_000;

@customElement('drishti-data-saver-prompt')
export class DataSaverPrompt extends LitElement {
  static override styles = css`
    :host { display: block; }
    .bar { margin: 8px auto; max-width: 936px; padding: 8px 12px; border-radius: 12px; background: #fff1c2; color: #2b0a16;
      display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
    p { margin: 0; flex: 1 1 220px; }
    button { min-height: 44px; min-width: 44px; padding: 0 16px; border-radius: 8px; border: 2px solid #7a1f3d; font: inherit; cursor: pointer; }
    .primary { background: #7a1f3d; color: #fff; }
    .secondary { background: transparent; color: #7a1f3d; }
  `;

  private readonly locale = new LocaleController(this);
  @state() private visible = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.check();
  }

  private async check(): Promise<void> {
    const connection = (navigator as Navigator & { connection?: { saveData?: boolean } }).connection;
    if (!connection?.saveData) return;
    // Loaded only when Data Saver is on, so the storage code stays out of everyone else's first load.
    const { pageDeliveryStorage } = await import('../../features/delivery/client/page-storage.ts');
    const storage = await pageDeliveryStorage();
    if (await storage.largeDownloadsAllowed()) return;
    const summary = await storage.summary();
    this.visible = !summary.assets.some((a) => a.kind === 'model' && a.active);
  }

  private async allow(): Promise<void> {
    const { pageDeliveryStorage } = await import('../../features/delivery/client/page-storage.ts');
    await (await pageDeliveryStorage()).setLargeDownloadsAllowed(true);
    this.visible = false;
    this.dispatchEvent(new CustomEvent('large-downloads-allowed', { bubbles: true, composed: true }));
  }

  override render() {
    void this.locale.locale;
    if (!this.visible) return nothing;
    return html`<div class="bar" role="region" aria-label=${t('saveData.label')}>
      <p>${t('saveData.ask', { size: formatBytes(TYPICAL_MODEL_BYTES) })}</p>
      <button class="primary" @click=${() => void this.allow()}>${t('saveData.yes')}</button>
      <button class="secondary" @click=${() => (this.visible = false)}>${t('saveData.no')}</button>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drishti-data-saver-prompt': DataSaverPrompt;
  }
}
