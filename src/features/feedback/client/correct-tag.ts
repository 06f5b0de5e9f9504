/**
 * <drishti-correct-tag>: lets a shopper say a predicted tag is wrong ("not a kurta — a kurti").
 * The correction is saved on this device only (CorrectionsStore); the merchant exports them as
 * JSONL for the next training run. Place it next to a predicted tag:
 *
 *   <drishti-correct-tag item-id="15970" head="articleType" model-id="…" model-version="…"
 *     .predicted=${{ id: 'Kurtas', en: 'Kurta', hi: 'कुर्ता' }} .options=${manifestHead.labels}>
 *   </drishti-correct-tag>
 *
 * Fires `drishti-tag-corrected` (bubbles, composed; detail: the Correction) once saved.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { LabelName } from '../../../shared/model-manifest.ts';
import { getLocale, type Locale } from '../../../i18n/i18n.ts';
import { LocaleController } from '../../../i18n/locale-controller.ts';
import { CorrectionError, type Correction, type CorrectionHead } from '../shared/correction.ts';
import { CorrectionsStore } from '../shared/corrections-store.ts';

const OTHER = '__other__';

const TEXT: Record<Locale, Record<string, string>> = {
  en: {
    open: 'Wrong tag?',
    prompt: 'Not {label}? It is:',
    choose: 'Choose the right one',
    other: 'Something else…',
    otherLabel: 'Type the right name',
    save: 'Save',
    cancel: 'Cancel',
    saved: 'Thanks — saved on this phone. It helps improve tagging.',
    failed: 'Could not save: {detail}',
    pick: 'Choose or type the right tag first.',
  },
  hi: {
    open: 'टैग गलत है?',
    prompt: '{label} नहीं? यह है:',
    choose: 'सही विकल्प चुनें',
    other: 'कुछ और…',
    otherLabel: 'सही नाम लिखें',
    save: 'सहेजें',
    cancel: 'रद्द करें',
    saved: 'धन्यवाद — इस फ़ोन पर सहेजा गया। इससे टैगिंग बेहतर होती है।',
    failed: 'सहेजा नहीं जा सका: {detail}',
    pick: 'पहले सही टैग चुनें या लिखें।',
  },
};

function say(key: string, params: Record<string, string> = {}): string {
  const template = TEXT[getLocale()][key] ?? TEXT.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? '');
}

let sharedStore: Promise<CorrectionsStore> | undefined;

@customElement('drishti-correct-tag')
export class CorrectTag extends LitElement {
  static override styles = css`
    :host { display: inline-block; font: inherit; }
    button, select, input { font: inherit; min-height: 44px; border-radius: 8px; }
    button { padding: 0.4rem 0.9rem; border: 1px solid #7a1f3d; background: #fff; color: #7a1f3d; cursor: pointer; }
    button.primary { background: #7a1f3d; color: #fff; }
    button.link { border: none; background: none; text-decoration: underline; padding: 0.4rem 0.2rem; }
    form { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin-top: 0.3rem; }
    label { display: flex; flex-direction: column; gap: 0.2rem; }
    select, input { padding: 0.3rem 0.5rem; border: 1px solid #8a8a8a; min-width: 12rem; }
    .status { margin: 0.3rem 0 0; color: #1b6e3a; }
    .error { margin: 0.3rem 0 0; color: #a4161a; }
    button:focus-visible, select:focus-visible, input:focus-visible { outline: 3px solid #1a5fb4; outline-offset: 2px; }
  `;

  @property({ attribute: 'item-id' }) itemId = '';
  @property() head: CorrectionHead = 'articleType';
  @property({ attribute: 'model-id' }) modelId = '';
  @property({ attribute: 'model-version' }) modelVersion = '';
  /** The label the model predicted. */
  @property({ attribute: false }) predicted: LabelName | null = null;
  /** The head's labels (from the model manifest); the predicted one is left out of the list. */
  @property({ attribute: false }) options: LabelName[] = [];
  /** Where corrections go (default: this device's store). */
  @property({ attribute: false }) store: CorrectionsStore | null = null;

  private readonly i18n = new LocaleController(this);
  @state() private open = false;
  @state() private choice = '';
  @state() private otherText = '';
  @state() private saved = false;
  @state() private error = '';
  @state() private saving = false;

  private name(l: LabelName): string {
    return this.i18n.locale === 'hi' ? l.hi : l.en;
  }

  private async save(event: Event): Promise<void> {
    event.preventDefault();
    const corrected = this.choice === OTHER ? this.otherText.trim() : this.choice;
    if (!corrected || !this.predicted) {
      this.error = say('pick');
      return;
    }
    this.saving = true;
    this.error = '';
    try {
      const store = this.store ?? (await (sharedStore ??= CorrectionsStore.open()));
      const correction: Correction = await store.add({
        itemId: this.itemId,
        head: this.head,
        predicted: this.predicted.id,
        corrected,
        modelId: this.modelId,
        modelVersion: this.modelVersion,
      });
      this.saved = true;
      this.open = false;
      this.dispatchEvent(new CustomEvent<Correction>('drishti-tag-corrected', { detail: correction, bubbles: true, composed: true }));
    } catch (err) {
      if (!(err instanceof CorrectionError)) sharedStore = undefined;
      this.error = say('failed', { detail: (err as Error).message });
    } finally {
      this.saving = false;
    }
  }

  override render() {
    if (!this.predicted) return nothing;
    const label = this.name(this.predicted);
    if (!this.open) {
      return html`<button class="link" aria-expanded="false" @click=${() => ((this.open = true), (this.saved = false))}>${say('open')}</button>
        ${this.saved ? html`<p class="status" role="status">${say('saved')}</p>` : nothing}`;
    }
    const choices = this.options.filter((o) => o.id !== this.predicted!.id);
    return html`<form @submit=${this.save} aria-label=${say('prompt', { label })}>
        <label>
          <span>${say('prompt', { label })}</span>
          <select name="corrected" .value=${this.choice} @change=${(e: Event) => (this.choice = (e.target as HTMLSelectElement).value)}>
            <option value="">${say('choose')}</option>
            ${choices.map((o) => html`<option value=${o.id}>${this.name(o)}</option>`)}
            <option value=${OTHER}>${say('other')}</option>
          </select>
        </label>
        ${this.choice === OTHER
          ? html`<label><span>${say('otherLabel')}</span>
              <input name="other" maxlength="80" .value=${this.otherText} @input=${(e: Event) => (this.otherText = (e.target as HTMLInputElement).value)} /></label>`
          : nothing}
        <button class="primary" type="submit" ?disabled=${this.saving}>${say('save')}</button>
        <button type="button" @click=${() => ((this.open = false), (this.error = ''))}>${say('cancel')}</button>
      </form>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drishti-correct-tag': CorrectTag;
  }
}
