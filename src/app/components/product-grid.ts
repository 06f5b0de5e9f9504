/** A responsive grid of product cards (2 columns at 360 px, more on wider screens). */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { CatalogueItem } from '../../features/catalogue/shared/catalogue-types.ts';
import './product-card.ts';

export interface GridEntry {
  item: CatalogueItem;
  score?: number;
  reason?: string;
}

@customElement('drishti-product-grid')
export class ProductGrid extends LitElement {
  static override styles = css`
    :host { display: block; }
    ul {
      list-style: none; margin: 0; padding: 0;
      display: grid; gap: 0.6rem; grid-template-columns: repeat(auto-fill, minmax(min(150px, 45%), 1fr));
    }
    ul.row {
      display: flex; overflow-x: auto; overscroll-behavior-x: contain; scroll-snap-type: x proximity; padding-bottom: 0.4rem;
    }
    ul.row li { flex: 0 0 40%; max-width: 180px; scroll-snap-align: start; }
  `;

  @property({ attribute: false }) entries: GridEntry[] = [];
  @property({ attribute: false }) catalogueId = '';
  /** One horizontally scrolling row (scrolls inside itself; the page never scrolls sideways). */
  @property({ type: Boolean }) row = false;
  @property() label = '';

  override render() {
    return html`<ul class=${this.row ? 'row' : ''} aria-label=${this.label}>
      ${repeat(
        this.entries,
        (e) => e.item.id,
        (e) => html`<li><drishti-product-card .item=${e.item} .catalogueId=${this.catalogueId} .score=${e.score} .reason=${e.reason}></drishti-product-card></li>`,
      )}
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drishti-product-grid': ProductGrid;
  }
}
