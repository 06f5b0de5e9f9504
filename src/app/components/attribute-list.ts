/**
 * The model's reading of a photo: one row per head (type, gender, occasion, colour, season) with
 * the top label in the UI language and how sure the model is, as text and as a bar.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { HeadPrediction } from '../../shared/model-output.ts';
import { formatPercent, localName, t, type MessageKey } from '../../i18n/i18n.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import { sharedStyles } from '../styles/shared-styles.ts';

const HEAD_LABEL: Record<string, MessageKey> = {
  articleType: 'attr.articleType',
  gender: 'attr.gender',
  usage: 'attr.usage',
  colour: 'attr.colour',
  season: 'attr.season',
};
/** Below this, the top article type is shown with a hint to retake the photo. */
export const UNSURE_BELOW = 0.4;

@customElement('drishti-attribute-list')
export class AttributeList extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      dl { margin: 0; display: grid; grid-template-columns: auto 1fr; gap: 0.35rem 0.8rem; align-items: center; }
      dt { color: var(--muted); font-size: 0.9rem; }
      dd { margin: 0; min-width: 0; }
      .value { font-weight: 600; overflow-wrap: anywhere; }
      .conf { font-size: 0.85rem; color: var(--muted); margin-inline-start: 0.3rem; white-space: nowrap; }
      .bar { height: 6px; background: #e6e6e6; border-radius: 3px; margin-top: 0.15rem; overflow: hidden; }
      .bar span { display: block; height: 100%; background: var(--brand); }
      .unsure { margin: 0.6rem 0 0; }
    `,
  ];

  private readonly i18n = new LocaleController(this);
  @property({ attribute: false }) heads: HeadPrediction[] = [];

  override render() {
    const type = this.heads.find((h) => h.head === 'articleType')?.top[0];
    return html`<dl>
        ${this.heads.map((h) => {
          const top = h.top[0];
          if (!top) return nothing;
          const name = HEAD_LABEL[h.head] ? t(HEAD_LABEL[h.head]!) : h.head;
          const percent = formatPercent(top.score);
          return html`<dt>${name}</dt>
            <dd data-head=${h.head} data-label-id=${top.id}>
              <span class="value">${localName(top)}</span><span class="conf">${t('attr.confidence', { percent })}</span>
              <div class="bar" aria-hidden="true"><span style="width:${Math.round(top.score * 100)}%"></span></div>
            </dd>`;
        })}
      </dl>
      ${type && type.score < UNSURE_BELOW ? html`<p class="notice unsure">${t('attr.unsure')}</p>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drishti-attribute-list': AttributeList;
  }
}
