/** The wishlist kept on this phone: open, move to cart, remove. */
import { LitElement, css, html, nothing } from 'lit';
import { customElement } from 'lit/decorators.js';
import { shopStore, type WishlistEntry } from '../../features/shop/client/shop-store.ts';
import { formatPrice, t } from '../../i18n/i18n.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import '../components/item-image.ts';
import { ShopListController } from '../components/shop-list-controller.ts';
import { productHref } from '../routes.ts';
import { sharedStyles } from '../styles/shared-styles.ts';

export const listStyles = css`
  ul { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 0.6rem; }
  li { display: grid; grid-template-columns: 72px minmax(0, 1fr); gap: 0.6rem; border: 1px solid var(--line); border-radius: var(--radius); padding: 0.5rem; }
  drishti-item-image { width: 72px; height: 72px; border-radius: 6px; }
  .title { overflow-wrap: anywhere; display: inline-block; min-height: 44px; padding-top: 0.6rem; }
  .price { font-weight: 600; }
  .row { display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; margin-top: 0.3rem; }
`;

@customElement('drishti-wishlist-page')
export class WishlistPage extends LitElement {
  static override styles = [sharedStyles, listStyles];

  private readonly i18n = new LocaleController(this);
  private readonly list = new ShopListController<WishlistEntry>(this, () => shopStore().wishlist());

  private async moveToCart(entry: WishlistEntry): Promise<void> {
    await shopStore().addToCart(entry.item);
    await shopStore().removeFromWishlist(entry.item);
  }

  override render() {
    return html`<h1 tabindex="-1">${t('wishlist.title')}</h1>
      ${this.list.failure ? html`<p class="error" role="alert">${this.list.failure}</p>` : nothing}
      ${this.list.entries === undefined
        ? html`<p role="status">${t('common.loading')}</p>`
        : this.list.entries.length === 0
          ? html`<p id="empty">${t('wishlist.empty')}</p>`
          : html`<ul id="wishlist">
              ${this.list.entries.map(
                (e) => html`<li data-item-id=${e.item.id}>
                  <drishti-item-image .src=${e.item.thumbnailUrl} .size=${72} lazy></drishti-item-image>
                  <div>
                    <a class="title" href=${productHref(e.item.catalogueId, e.item.id)}>${e.item.title}</a>
                    ${e.item.priceInr !== null ? html`<div class="price">${formatPrice(e.item.priceInr)}</div>` : nothing}
                    <div class="row">
                      <button @click=${() => this.list.update(this.moveToCart(e))}>${t('wishlist.moveToCart')}</button>
                      <button class="secondary" aria-label=${t('wishlist.remove', { title: e.item.title })} @click=${() => this.list.update(shopStore().removeFromWishlist(e.item))}>✕</button>
                    </div>
                  </div>
                </li>`,
              )}
            </ul>`}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drishti-wishlist-page': WishlistPage;
  }
}
