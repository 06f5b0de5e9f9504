/**
 * The widget's public types: what a merchant's page sees through attributes, properties and
 * events. Published as the package's `.d.ts`; keep it free of engine internals.
 */

export type DrishtiLang = 'en' | 'hi';
export type DrishtiTheme = 'light' | 'dark';

/** A catalogue product as the widget shows it and hands it to the host page. */
export interface DrishtiProduct {
  id: string;
  /** Plain text: rendered as text, never as markup. */
  title: string;
  /** Price in rupees, when the catalogue has one. */
  priceInr?: number;
  /** Absolute URL of a small image (thumbnail), when the catalogue has one. */
  imageUrl?: string;
  /** Attribute values by name (e.g. articleType: "Kurtas"), for the host page's own use. */
  attributes: Record<string, string>;
  /** Cosine similarity to the query in [-1, 1]. */
  score: number;
}

/** `detail` of `drishti-select` and `drishti-add-to-cart`. */
export interface DrishtiProductEventDetail {
  productId: string;
  product: DrishtiProduct;
}

/** `detail` of `drishti-error`: something the shopper could not get, with a message a person can act on. */
export interface DrishtiErrorDetail {
  code: DrishtiErrorCode;
  message: string;
}

export type DrishtiErrorCode = 'config' | 'pack' | 'model' | 'not-found' | 'photo' | 'engine';

/** Settings shared by both elements; each is also an attribute (kebab-case). */
export interface DrishtiWidgetSettings {
  /** URL of the catalogue pack's manifest (`pack-url`). Relative URLs resolve against the page. */
  packUrl: string;
  /** URL of the model's manifest.json (`manifest-url`); needed by `<drishti-lens>` only. */
  manifestUrl: string;
  lang: DrishtiLang;
  theme: DrishtiTheme;
  /** Number of results (`limit`), 1–48. */
  limit: number;
  /** `lazy` (default): load when visible or used; `eager`: load at once. */
  loading: 'lazy' | 'eager';
}

declare global {
  interface HTMLElementEventMap {
    'drishti-select': CustomEvent<DrishtiProductEventDetail>;
    'drishti-add-to-cart': CustomEvent<DrishtiProductEventDetail>;
    'drishti-error': CustomEvent<DrishtiErrorDetail>;
  }
}
