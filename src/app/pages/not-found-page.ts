import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { t } from '../../i18n/i18n.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import { sharedStyles } from '../styles/shared-styles.ts';

@customElement('drishti-not-found-page')
export class NotFoundPage extends LitElement {
  static override styles = sharedStyles;
  private readonly i18n = new LocaleController(this);

  override render() {
    return html`<h1 tabindex="-1">${t('page.notFound')}</h1>
      <p><a href="/">${t('page.goHome')}</a></p>`;
  }
}
