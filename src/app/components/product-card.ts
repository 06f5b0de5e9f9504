/** One product in a grid or row: thumbnail, title, price, optional match score; links to its page. */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { CatalogueItem } from '../../features/catalogue/shared/catalogue-types.ts';
import { formatPercent, formatPrice, t } from '../../i18n/i18n.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import { sharedStyles } from '../styles/shared-styles.ts';
import { productHref } from '../routes.ts';
import './item-image.ts';

@customElement('drishti-product-card')
export class ProductCard extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; min-width: 0; }
      a {
        display: flex; flex-direction: column; gap: 0.3rem; height: 100%;
        text-decoration: none; color: inherit; border: 1px solid var(--line); border-radius: var(--radius);
        padding: 0.4rem; background: #fff; min-height: 44px;
      }
      a:hover { border-color: var(--brand); }
      img, drishti-item-image { width: 100%; height: auto; aspect-ratio: 1; object-fit: contain; background: #fff; border-radius: 6px; display: block; }
      .title { font-size: 0.9rem; line-height: 1.3; display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; overflow-wrap: anywhere; }
      .price { font-weight: 600; }
      .score { font-size: 0.8rem; color: var(--muted); }
      .reason { font-size: 0.8rem; color: var(--muted); overflow-wrap: anywhere; }
    `,
  ];

  private readonly i18n = new LocaleController(this);
  @property({ attribute: false }) item: CatalogueItem | undefined;
  @property({ attribute: false }) catalogueId = '';
  /** Cosine similarity, shown as "87% match" when set. */
  @property({ type: Number }) score: number | undefined;
  /** A short "because you viewed …" line. */
  @property() reason: string | undefined;

  override render() {
    const item = this.item;
    if (!item) return nothing;
    return html`<a href=${productHref(this.catalogueId, item.id)} data-item-id=${item.id}>
      ${item.thumbnailUrl.startsWith('drishti-import:')
        ? html`<drishti-item-image .src=${item.thumbnailUrl} lazy></drishti-item-image>`
        : html`<img src=${item.thumbnailUrl} alt="" width="256" height="256" loading="lazy" decoding="async" />`}
      <span class="title">${item.title}</span>
      ${item.priceInr !== null ? html`<span class="price">${formatPrice(item.priceInr)}</span>` : nothing}
      ${this.score !== undefined ? html`<span class="score">${t('similar.match', { percent: formatPercent(Math.max(0, this.score)) })}</span>` : nothing}
      ${this.reason ? html`<span class="reason">${this.reason}</span>` : nothing}
    </a>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drishti-product-card': ProductCard;
  }
}
