/**
 * A product: large image, title, price, attributes in the UI language, wishlist and cart (kept on
 * this phone), then "similar items" and "you may also like" rows. Opening it records a view.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { FACETS, type CatalogueItem } from '../../features/catalogue/shared/catalogue-types.ts';
import { shopChanges, shopStore, type ShopItemSnapshot } from '../../features/shop/client/shop-store.ts';
import { formatPrice, t, type MessageKey } from '../../i18n/i18n.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import '../../features/feedback/client/correct-tag.ts';
import { CORRECTION_HEADS, type CorrectionHead } from '../../features/feedback/shared/correction.ts';
import type { ModelManifest } from '../../shared/model-manifest.ts';
import '../components/item-image.ts';
import '../components/product-grid.ts';
import type { GridEntry } from '../components/product-grid.ts';
import { attributeValueName, loadLabelNames } from '../services/label-names.ts';
import { similarItems, trackRecommendationOutcome, youMayAlsoLike } from '../services/recommendations.ts';
import { recordHistory } from '../services/shopper-history.ts';
import { storeCatalogue } from '../services/store-catalogue.ts';
import { sharedStyles } from '../styles/shared-styles.ts';

const ATTR_LABEL: Record<string, MessageKey> = {
  articleType: 'attr.articleType',
  gender: 'attr.gender',
  usage: 'attr.usage',
  colour: 'attr.colour',
  season: 'attr.season',
};
const ROW_K = 10;
/**
 * The item last opened from a "you may also like" row (this tab only): wishlisting or adding it to
 * the cart on its page counts as an outcome for the ranking experiment's arm.
 */
const FROM_RECS_KEY = 'drishti.fromRecommendation';

function readFromRecs(): string | null {
  try {
    return sessionStorage.getItem(FROM_RECS_KEY);
  } catch {
    return null;
  }
}

export function snapshotOf(item: CatalogueItem, catalogueId: string): ShopItemSnapshot {
  const snap: ShopItemSnapshot = { id: item.id, catalogueId, title: item.title, priceInr: item.priceInr, thumbnailUrl: item.thumbnailUrl };
  if (item.attributes.articleType) snap.articleType = item.attributes.articleType;
  return snap;
}

@customElement('drishti-product-page')
export class ProductPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      .top { display: grid; gap: 1rem; grid-template-columns: minmax(0, 1fr); }
      @media (min-width: 640px) { .top { grid-template-columns: minmax(0, 320px) minmax(0, 1fr); } }
      drishti-item-image { width: 100%; max-width: 360px; aspect-ratio: 1; border-radius: var(--radius); }
      h1 { overflow-wrap: anywhere; }
      .price { font-size: 1.3rem; font-weight: 700; margin: 0.2rem 0 0.6rem; }
      dl { display: grid; grid-template-columns: auto 1fr; gap: 0.3rem 0.8rem; margin: 0 0 0.8rem; }
      dt { color: var(--muted); }
      dd { margin: 0; }
      .actions { display: flex; gap: 0.6rem; flex-wrap: wrap; }
      button[aria-pressed='true'] { background: var(--brand-soft); color: var(--brand); }
      section { margin-top: 1.2rem; }
    `,
  ];

  private readonly i18n = new LocaleController(this);
  @state() private item: CatalogueItem | null | undefined;
  @state() private catalogueId = '';
  @state() private wishlisted = false;
  @state() private inCart = 0;
  @state() private similar: GridEntry[] = [];
  @state() private alsoLike: GridEntry[] = [];
  @state() private announcement = '';
  @state() private failure = '';
  @state() private manifest: ModelManifest | null = null;
  /** Outcomes already counted for this view (opened from a recommendation), so repeated taps count once. */
  private recsOutcomes: Set<'wishlist' | 'add-to-cart'> | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    shopChanges.addEventListener('change', this.onShopChange);
    this.load().catch((err: unknown) => {
      // The catalogue worker failed (e.g. a damaged pack): say so instead of loading forever.
      this.failure = (err as Error).message;
      if (this.item === undefined) this.item = null;
    });
  }

  override disconnectedCallback(): void {
    shopChanges.removeEventListener('change', this.onShopChange);
    super.disconnectedCallback();
  }

  private onShopChange = (): void => void this.refreshShopState();

  private async load(): Promise<void> {
    const params = new URLSearchParams(location.search);
    const id = params.get('id') ?? '';
    this.manifest = await loadLabelNames();
    const catalogue = await storeCatalogue();
    const info = await catalogue.info();
    this.catalogueId = info?.id ?? params.get('c') ?? '';
    this.item = id && info ? await catalogue.item(id) : null;
    if (!this.item) return;
    this.recsOutcomes = readFromRecs() === this.item.id ? new Set() : null;
    document.title = `${this.item.title} · ${t('app.name')}`;
    void this.refreshShopState();
    void recordHistory({ kind: 'view', at: Date.now(), itemId: this.item.id, title: this.item.title });
    const fromRecs = await similarItems(this.item.id, ROW_K);
    this.similar = (fromRecs ?? (await catalogue.similarToItem(this.item.id, ROW_K)).hits.map((h) => ({ item: h.item, score: h.score }))).filter(
      (e) => e.item.id !== id,
    );
    const shown = new Set([id, ...this.similar.map((e) => e.item.id)]);
    this.alsoLike = (await youMayAlsoLike(id, ROW_K)).filter((e) => !shown.has(e.item.id));
  }

  private async refreshShopState(): Promise<void> {
    if (!this.item) return;
    const store = shopStore();
    const key = { catalogueId: this.catalogueId, id: this.item.id };
    try {
      [this.wishlisted, this.inCart] = await Promise.all([store.isWishlisted(key), store.cartQuantity(key)]);
    } catch (err) {
      this.announcement = (err as Error).message;
    }
  }

  private async toggleWishlist(): Promise<void> {
    if (!this.item) return;
    try {
      const now = await shopStore().toggleWishlist(snapshotOf(this.item, this.catalogueId));
      this.announcement = t(now ? 'product.addedToWishlist' : 'product.removedFromWishlist');
      if (now) {
        void recordHistory({ kind: 'wishlist', at: Date.now(), itemId: this.item.id, title: this.item.title });
        this.recommendationOutcome('wishlist');
      }
    } catch (err) {
      this.announcement = (err as Error).message;
    }
  }

  private async addToCart(): Promise<void> {
    if (!this.item) return;
    try {
      await shopStore().addToCart(snapshotOf(this.item, this.catalogueId));
      this.announcement = t('product.addedToCart');
      void recordHistory({ kind: 'cart', at: Date.now(), itemId: this.item.id, title: this.item.title });
      this.recommendationOutcome('add-to-cart');
    } catch (err) {
      this.announcement = (err as Error).message;
    }
  }

  private recommendationOutcome(kind: 'wishlist' | 'add-to-cart'): void {
    if (!this.recsOutcomes || this.recsOutcomes.has(kind)) return;
    this.recsOutcomes.add(kind);
    void trackRecommendationOutcome(kind);
  }

  /** A product opened from "you may also like" is a click for the ranking experiment's arm. */
  private onAlsoLikeClick = (event: Event): void => {
    const anchor = event.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement && !!n.dataset.itemId);
    if (!anchor) return;
    try {
      sessionStorage.setItem(FROM_RECS_KEY, anchor.dataset.itemId!);
    } catch {
      // Storage disabled: the click still counts, later outcomes cannot be attributed.
    }
    void trackRecommendationOutcome('click');
  };

  override render() {
    // One heading element in every state, so the focus the shell puts on it survives loading.
    const heading = this.item === undefined ? t('common.loading') : this.item === null ? t('product.notFound') : this.item.title;
    return html`<h1 tabindex="-1">${heading}</h1>${this.renderBody()}`;
  }

  /** Tags the model predicted for this product can be corrected by the shopper (kept on this phone). */
  private renderCorrection(item: CatalogueItem, facet: (typeof FACETS)[number]) {
    if (!item.predicted.includes(facet) || !this.manifest || !(CORRECTION_HEADS as readonly string[]).includes(facet)) return nothing;
    const head = this.manifest.heads.find((h) => h.name === facet);
    const predicted = head?.labels.find((l) => l.id === item.attributes[facet]);
    if (!head || !predicted) return nothing;
    return html` <drishti-correct-tag
      item-id=${item.id}
      head=${facet as CorrectionHead}
      model-id=${this.manifest.id}
      model-version=${this.manifest.version}
      .predicted=${predicted}
      .options=${head.labels}
    ></drishti-correct-tag>`;
  }

  private renderBody() {
    if (this.failure && !this.item) return html`<p class="error" role="alert">${this.failure}</p>`;
    if (this.item === undefined) return nothing;
    if (this.item === null) return html`<p><a href="/browse">${t('nav.browse')}</a> · <a href="/">${t('page.goHome')}</a></p>`;
    const item = this.item;
    return html`
      <div class="top">
        <drishti-item-image .src=${item.imageUrl} .alt=${item.title} .size=${360}></drishti-item-image>
        <div>
          ${item.priceInr !== null ? html`<p class="price" id="price"><span class="visually-hidden">${t('product.price')}: </span>${formatPrice(item.priceInr)}</p>` : nothing}
          <dl>
            ${FACETS.filter((f) => item.attributes[f]).map(
              (f) => html`<dt>${t(ATTR_LABEL[f]!)}</dt><dd>${attributeValueName(f, item.attributes[f]!)}${this.renderCorrection(item, f)}</dd>`,
            )}
          </dl>
          <div class="actions">
            <button id="add-to-cart" @click=${() => void this.addToCart()}>
              ${this.inCart ? t('product.inCart', { count: this.inCart }) : t('product.addToCart')}
            </button>
            <button id="wishlist" class="secondary" aria-pressed=${this.wishlisted ? 'true' : 'false'} @click=${() => void this.toggleWishlist()}>
              <span aria-hidden="true">${this.wishlisted ? '♥' : '♡'}</span>
              ${this.wishlisted ? t('product.removeFromWishlist') : t('product.addToWishlist')}
            </button>
          </div>
          <p role="status" aria-live="polite" class="visually-hidden">${this.announcement}</p>
        </div>
      </div>
      ${this.similar.length
        ? html`<section aria-labelledby="similar-h">
            <h2 id="similar-h">${t('product.similar')}</h2>
            <drishti-product-grid row id="similar-row" .label=${t('product.similar')} .catalogueId=${this.catalogueId} .entries=${this.similar}></drishti-product-grid>
          </section>`
        : nothing}
      ${this.alsoLike.length
        ? html`<section aria-labelledby="also-h">
            <h2 id="also-h">${t('product.alsoLike')}</h2>
            <drishti-product-grid row id="also-like-row" @click=${this.onAlsoLikeClick} .label=${t('product.alsoLike')} .catalogueId=${this.catalogueId} .entries=${this.alsoLike}></drishti-product-grid>
          </section>`
        : nothing}
      ${this.failure ? html`<p class="error" role="alert">${this.failure}</p>` : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drishti-product-page': ProductPage;
  }
}
