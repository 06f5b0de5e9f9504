/**
 * <drishti-share-counts>: the shopper's switch for sharing aggregated experiment counts, in
 * English or Hindi, for the settings page. Off by default; shown as "nothing is collected" when the
 * shop has not configured a collector. Fires `drishti-share-consent` (detail: boolean) on change.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { getLocale, type Locale } from '../../../i18n/i18n.ts';
import { LocaleController } from '../../../i18n/locale-controller.ts';
import { ExperimentsClient } from './experiments-client.ts';

const TEXT: Record<Locale, { label: string; none: string; on: string; off: string }> = {
  en: {
    label: 'Share anonymous counts of how recommendations perform with {host} (numbers only — no ids, products or history)',
    none: 'This shop collects nothing from this phone.',
    on: 'Sharing is on.',
    off: 'Sharing is off.',
  },
  hi: {
    label: '{host} के साथ सिफ़ारिशों के प्रदर्शन की गुमनाम गिनती साझा करें (सिर्फ़ संख्याएँ — कोई पहचान, उत्पाद या इतिहास नहीं)',
    none: 'यह दुकान इस फ़ोन से कुछ भी इकट्ठा नहीं करती।',
    on: 'साझा करना चालू है।',
    off: 'साझा करना बंद है।',
  },
};

@customElement('drishti-share-counts')
export class ShareCounts extends LitElement {
  static override styles = css`
    :host { display: block; font: inherit; }
    label { display: flex; gap: 0.6rem; align-items: flex-start; min-height: 44px; line-height: 1.4; cursor: pointer; }
    input { width: 22px; height: 22px; margin-top: 0.1rem; flex: none; }
    input:focus-visible { outline: 3px solid #1a5fb4; outline-offset: 2px; }
    p { margin: 0.3rem 0 0; color: #565656; }
  `;

  /** The experiments client to use (default: one opened with the bundled config). */
  @property({ attribute: false }) client: ExperimentsClient | null = null;

  private readonly i18n = new LocaleController(this);
  @state() private consent = false;
  @state() private host: string | null = null;
  @state() private ready = false;
  @state() private status = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    this.client ??= await ExperimentsClient.open();
    const url = this.client.config.exportUrl;
    this.host = url ? new URL(url, location.href).host : null;
    this.consent = await this.client.exportConsent();
    this.ready = true;
  }

  private async change(event: Event): Promise<void> {
    const on = (event.target as HTMLInputElement).checked;
    await this.client!.setExportConsent(on);
    this.consent = on;
    this.status = TEXT[getLocale()][on ? 'on' : 'off'];
    this.dispatchEvent(new CustomEvent<boolean>('drishti-share-consent', { detail: on, bubbles: true, composed: true }));
  }

  override render() {
    const t = TEXT[this.i18n.locale];
    if (!this.ready) return html``;
    if (!this.host) return html`<p>${t.none}</p>`;
    return html`<label><input type="checkbox" .checked=${this.consent} @change=${this.change} />
        <span>${t.label.replace('{host}', this.host)}</span></label>
      <p role="status">${this.status}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drishti-share-counts': ShareCounts;
  }
}
