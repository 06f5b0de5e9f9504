/** The cart kept on this phone: quantities, removal and the total in rupees. */
import { LitElement, css, html, nothing } from 'lit';
import { customElement } from 'lit/decorators.js';
import { MAX_QUANTITY, cartTotals, shopStore, type CartEntry } from '../../features/shop/client/shop-store.ts';
import { formatNumber, formatPrice, t, tn } from '../../i18n/i18n.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import '../components/item-image.ts';
import { ShopListController } from '../components/shop-list-controller.ts';
import { productHref } from '../routes.ts';
import { sharedStyles } from '../styles/shared-styles.ts';
import { listStyles } from './wishlist-page.ts';

@customElement('drishti-cart-page')
export class CartPage extends LitElement {
  static override styles = [
    sharedStyles,
    listStyles,
    css`
      .qty { min-width: 2ch; text-align: center; font-weight: 600; }
      .total { font-size: 1.15rem; font-weight: 700; margin: 1rem 0 0.4rem; }
    `,
  ];

  private readonly i18n = new LocaleController(this);
  private readonly list = new ShopListController<CartEntry>(this, () => shopStore().cart());

  private setQuantity(entry: CartEntry, quantity: number): void {
    this.list.update(shopStore().setCartQuantity(entry.item, Math.max(0, Math.min(MAX_QUANTITY, quantity))));
  }

  override render() {
    const totals = cartTotals(this.list.entries ?? []);
    return html`<h1 tabindex="-1">${t('cart.title')}</h1>
      ${this.list.failure ? html`<p class="error" role="alert">${this.list.failure}</p>` : nothing}
      ${this.list.entries === undefined
        ? html`<p role="status">${t('common.loading')}</p>`
        : this.list.entries.length === 0
          ? html`<p id="empty">${t('cart.empty')}</p>`
          : html`<ul id="cart">
                ${this.list.entries.map(
                  (e) => html`<li data-item-id=${e.item.id}>
                    <drishti-item-image .src=${e.item.thumbnailUrl} .size=${72} lazy></drishti-item-image>
                    <div>
                      <a class="title" href=${productHref(e.item.catalogueId, e.item.id)}>${e.item.title}</a>
                      ${e.item.priceInr !== null ? html`<div class="price">${formatPrice(e.item.priceInr)}</div>` : nothing}
                      <div class="row" role="group" aria-label=${t('cart.quantity', { title: e.item.title })}>
                        <button class="secondary" aria-label=${t('cart.decrease', { title: e.item.title })} @click=${() => this.setQuantity(e, e.quantity - 1)}>−</button>
                        <span class="qty" aria-live="polite">${formatNumber(e.quantity)}</span>
                        <button class="secondary" aria-label=${t('cart.increase', { title: e.item.title })} ?disabled=${e.quantity >= MAX_QUANTITY} @click=${() => this.setQuantity(e, e.quantity + 1)}>+</button>
                        <button class="secondary" aria-label=${t('cart.remove', { title: e.item.title })} @click=${() => this.setQuantity(e, 0)}>✕</button>
                      </div>
                    </div>
                  </li>`,
                )}
              </ul>
              <p class="total" id="total">${tn('cart.total', totals.count)}: ${formatPrice(totals.totalInr)}</p>`}
      <p class="muted">${t('cart.storedLocally')}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drishti-cart-page': CartPage;
  }
}
