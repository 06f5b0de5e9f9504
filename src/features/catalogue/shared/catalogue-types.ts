/**
 * The catalogue's public types: what the worker's catalogue API returns to the page (shopper PWA,
 * widget, import page) and what a search asks for. Everything here crosses the worker boundary, so
 * it is plain data (structured-cloneable); the API itself is `CatalogueApi` in catalogue-api.ts.
 */

/** The attribute facets every catalogue item may carry; the model predicts all five. */
export const FACETS = ['gender', 'articleType', 'usage', 'colour', 'season'] as const;
export type FacetName = (typeof FACETS)[number];

/** Where an item's attribute value came from: the merchant's feed, or the model's prediction. */
export type AttributeSource = 'feed' | 'model';

export interface CatalogueItem {
  /** Unique within its catalogue; the merchant's product id. */
  id: string;
  /** Plain text, never markup: render it with a text binding. */
  title: string;
  /** Facet values (e.g. { gender: "Women", articleType: "Kurtas" }); absent when unknown. */
  attributes: Partial<Record<FacetName, string>>;
  /** The attributes that the model predicted (the rest came from the feed). */
  predicted: FacetName[];
  /** Price in whole rupees; null when the feed has none. See CatalogueInfo.pricing for where prices came from. */
  priceInr: number | null;
  /** Absolute URL of the product image (for imported catalogues a `blob:`-free local key, see client/local-images.ts). */
  imageUrl: string;
  /** Absolute URL of a thumbnail that fits 256×256. */
  thumbnailUrl: string;
  /** The merchant's own category (custom-categories), when one has been taught and assigned. */
  customCategory?: { name: string; score: number };
}

export interface PricingInfo {
  currency: 'INR';
  /** "feed": the merchant's prices; "derived": made up deterministically (demo only); "none": no prices. */
  source: 'feed' | 'derived' | 'none';
  /** A sentence for people, e.g. "Prices are illustrative, derived from the article type". */
  note: string;
}

/** A facet and its values with item counts, for filter UIs. */
export interface FacetSummary {
  name: FacetName;
  values: { value: string; count: number }[];
}

export interface CatalogueInfo {
  id: string;
  title: string;
  /** "pack": loaded from a catalogue pack URL; "import": built on this device from the merchant's photos. */
  kind: 'pack' | 'import';
  itemCount: number;
  model: { id: string; version: string; embeddingDims: number };
  pricing: PricingInfo;
  facets: FacetSummary[];
  priceRange: { min: number; max: number } | null;
  /** "exact" until the catalogue is large enough to need the approximate (IVF) index. */
  searchMethod: 'exact' | 'ivf';
  /** Names of the merchant's custom categories taught for this catalogue. */
  customCategories: string[];
  /** Where the pack came from (URL of pack.json) — absent for imports. */
  source?: string;
}

/** Filters combine with AND across fields and OR within a list. Empty/absent = no restriction. */
export interface SearchFilters {
  gender?: string[];
  articleType?: string[];
  usage?: string[];
  colour?: string[];
  season?: string[];
  /** Inclusive bounds in rupees; items without a price are excluded when either bound is set. */
  priceMin?: number;
  priceMax?: number;
  customCategory?: string[];
}

/** What to search by: a photo (embedded in the worker), an embedding, or "more like this" item. */
export type SearchBy =
  | { kind: 'image'; image: Blob | ImageBitmap | { data: Uint8Array | Uint8ClampedArray; width: number; height: number; channels: 3 | 4 } }
  | { kind: 'embedding'; embedding: Float32Array }
  | { kind: 'item'; itemId: string };

export interface SearchQuery {
  catalogueId: string;
  by: SearchBy;
  /** Number of results (default 10, at most 200). */
  k?: number;
  filters?: SearchFilters;
  /** Force exact search even when an approximate index exists (for measurements). */
  exact?: boolean;
}

export interface SearchHit {
  item: CatalogueItem;
  /** Cosine similarity in [-1, 1]. */
  score: number;
}

export interface SearchResult {
  hits: SearchHit[];
  method: 'exact' | 'ivf';
  /** Items whose vectors were scored. */
  scanned: number;
  /** Milliseconds spent ranking (embedding excluded). */
  searchMs: number;
  /** Milliseconds spent embedding the query photo (image queries only). */
  embedMs?: number;
  /** Top predicted attributes of the query photo (image queries only), e.g. to preselect filters. */
  queryAttributes?: Partial<Record<FacetName, string>>;
}

export interface BrowseQuery {
  catalogueId: string;
  filters?: SearchFilters;
  /** Case-insensitive words that must all appear in the title. */
  text?: string;
  offset?: number;
  limit?: number;
}

export interface BrowseResult {
  items: CatalogueItem[];
  total: number;
}
