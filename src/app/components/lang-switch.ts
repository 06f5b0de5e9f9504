/** English / हिन्दी switch; the choice is remembered (see i18n.ts). Each name is shown in its own language. */
import { LitElement, css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { LOCALES, setLocale, t, type Locale } from '../../i18n/i18n.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import { sharedStyles } from '../styles/shared-styles.ts';

const NATIVE_NAME: Record<Locale, string> = { en: 'English', hi: 'हिन्दी' };

@customElement('drishti-lang-switch')
export class LangSwitch extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: inline-block; }
      div { display: inline-flex; border: 2px solid var(--brand); border-radius: var(--radius); overflow: hidden; }
      button { border: none; border-radius: 0; background: #fff; color: var(--brand); padding: 0.4rem 0.7rem; }
      button[aria-pressed='true'] { background: var(--brand); color: #fff; }
      button:hover { background: var(--brand-soft); color: var(--brand); }
      button[aria-pressed='true']:hover { background: var(--brand-dark); color: #fff; }
    `,
  ];

  private readonly i18n = new LocaleController(this);

  override render() {
    const current = this.i18n.locale;
    return html`<div role="group" aria-label=${t('lang.label')}>
      ${LOCALES.map(
        (l) => html`<button lang=${l} data-locale=${l} aria-pressed=${l === current ? 'true' : 'false'} @click=${() => setLocale(l)}>
          ${NATIVE_NAME[l]}
        </button>`,
      )}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drishti-lang-switch': LangSwitch;
  }
}
