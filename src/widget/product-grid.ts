/**
 * The result grid both elements render. Titles and attributes are bound as text (Lit escapes
 * them), so a catalogue title holding markup or a script shows as characters.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { formatInr, type WidgetStrings } from './i18n.ts';
import type { DrishtiLang, DrishtiProduct } from './types.ts';

export interface GridHandlers {
  select(product: DrishtiProduct): void;
  addToCart(product: DrishtiProduct): void;
  /** `lazy` for rows in the page flow; `eager` in the lens panel, which is on screen when results arrive. */
  imageLoading: 'lazy' | 'eager';
}

export function renderProductGrid(products: DrishtiProduct[], lang: DrishtiLang, t: WidgetStrings, on: GridHandlers): TemplateResult {
  return html`<ul class="grid" part="grid" aria-label=${t.results(products.length)}>
    ${repeat(
      products,
      (p) => p.id,
      (p) => html`<li class="card" part="card" data-product-id=${p.id}>
        <button class="select" part="select" type="button" @click=${() => on.select(p)}>
          ${p.imageUrl
            ? html`<img class="image" part="image" src=${p.imageUrl} alt="" loading=${on.imageLoading} decoding="async" />`
            : nothing}
          <span class="title" part="title">${p.title}</span>
          ${p.priceInr !== undefined ? html`<span class="price" part="price">${formatInr(p.priceInr, lang)}</span>` : nothing}
        </button>
        <button class="add" part="add-to-cart" type="button" @click=${() => on.addToCart(p)}>${t.addToCart}</button>
      </li>`,
    )}
  </ul>`;
}

export function renderSkeleton(count: number): TemplateResult {
  return html`<div class="grid" part="grid" aria-hidden="true">
    ${Array.from({ length: Math.min(count, 6) }, () => html`<div class="skeleton"></div>`)}
  </div>`;
}
