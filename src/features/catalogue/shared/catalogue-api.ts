/**
 * The catalogue member of the app worker (`remote.catalogue.*` through the worker bridge). The
 * shopper PWA, the widget and the import page use only this API and the types in
 * catalogue-types.ts. Calls are short (milliseconds): a long on-device import advances in steps
 * (`importStep`) that the page drives, so searches never wait behind it in the bridge's queue.
 */
import type {
  BrowseQuery,
  BrowseResult,
  CatalogueInfo,
  CatalogueItem,
  SearchFilters,
  SearchQuery,
  SearchResult,
} from './catalogue-types.ts';

export type CatalogueErrorCode =
  /** The pack is malformed, damaged, oversized, or built for another model. */
  | 'bad-pack'
  /** The pack could not be downloaded. */
  | 'download'
  /** No catalogue with that id is loaded (load it, or the worker restarted). */
  | 'not-loaded'
  /** An item id, filter or argument is wrong. */
  | 'bad-query'
  /** Photo search needs the model: call engine.load() first. */
  | 'no-model'
  | 'import'
  | 'storage';

export class CatalogueError extends Error {
  override name = 'CatalogueError';
  constructor(
    readonly code: CatalogueErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface LoadPackOptions {
  /** Verify the pack against the model the engine has loaded (default true when one is loaded). */
  checkModel?: boolean;
}

export interface LabelledExample {
  itemId: string;
  /** The merchant's category name, e.g. "Banarasi saree". */
  category: string;
}

export interface CategoryReport {
  categories: { name: string; examples: number; assigned: number; heldOutCorrect: number }[];
  /** Leave-one-out accuracy over the examples; null with fewer than two categories. */
  heldOutAccuracy: number | null;
  examples: number;
}

/** One file of an on-device import, as the page records it before the worker processes it. */
export interface ImportFileInput {
  itemId: string;
  fileName: string;
  blob: Blob;
  title?: string;
  priceInr?: number | null;
  attributes?: Partial<Record<string, string>>;
}

export interface ImportProgress {
  catalogueId: string;
  total: number;
  done: number;
  failed: { itemId: string; fileName: string; reason: string }[];
  pending: number;
  /** Items per second over the last step (embedding + thumbnail), for the progress bar's ETA. */
  rate: number;
  finished: boolean;
}

export interface SearchBenchmark {
  catalogueId: string;
  items: number;
  queries: number;
  k: number;
  method: 'exact' | 'ivf';
  p50Ms: number;
  p95Ms: number;
  meanScanned: number;
  /** Fraction of exact top-k ids the method returned (1 for exact). */
  recallAtK: number;
  /** Milliseconds to build the IVF index (ivf only). */
  indexBuildMs?: number;
}

export interface CatalogueApi {
  /** Downloads, verifies and loads a pack from its pack.json URL; replaces a loaded pack with the same id. */
  loadPack(packJsonUrl: string, options?: LoadPackOptions): Promise<CatalogueInfo>;
  /** Loads an on-device import (from IndexedDB) for searching; returns null when there is none with that id. */
  openImport(catalogueId: string): Promise<CatalogueInfo | null>;
  list(): Promise<CatalogueInfo[]>;
  info(catalogueId: string): Promise<CatalogueInfo>;
  unload(catalogueId: string): Promise<void>;
  /** Items by id, in the order asked; unknown ids are left out. */
  items(catalogueId: string, ids: string[]): Promise<CatalogueItem[]>;
  browse(query: BrowseQuery): Promise<BrowseResult>;
  /** Top-k by photo, embedding or item ("more like this"), with filters. */
  search(query: SearchQuery): Promise<SearchResult>;
  /** Teaches custom categories from labelled items, assigns every item, stores them with the catalogue. */
  teachCategories(catalogueId: string, examples: LabelledExample[]): Promise<CategoryReport>;
  clearCategories(catalogueId: string): Promise<void>;
  /** Processes up to `maxItems` pending files of an import (stored by the page in IndexedDB). */
  importStep(catalogueId: string, maxItems?: number): Promise<ImportProgress>;
  /** Measurement hook: a synthetic catalogue of n clustered vectors (filters work on it). */
  loadSynthetic(n: number, dims?: number, seed?: number): Promise<CatalogueInfo>;
  /** Measurement hook: query latency inside the worker (embedding excluded) and recall vs exact. */
  benchmarkSearch(catalogueId: string, options: { queries: number; k?: number; method: 'exact' | 'ivf'; filters?: SearchFilters; nprobe?: number }): Promise<SearchBenchmark>;
}
