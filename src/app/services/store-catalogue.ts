/**
 * The shop's catalogue as the pages use it: info/facets, browse, one item, and visual search by a
 * photo's embedding or by an item ("more like this"). The implementation talks to the catalogue
 * member of the app worker; pages only see this interface, so they work (and are tested) the same
 * whether the catalogue comes from a pack, an on-device import, or is missing.
 */
import type {
  BrowseResult,
  CatalogueInfo,
  CatalogueItem,
  SearchFilters,
  SearchResult,
} from '../../features/catalogue/shared/catalogue-types.ts';

export interface StoreCatalogue {
  /** The active catalogue, or null when none is on this device yet. */
  info(): Promise<CatalogueInfo | null>;
  browse(query: { filters?: SearchFilters; text?: string; offset?: number; limit?: number }): Promise<BrowseResult>;
  item(id: string): Promise<CatalogueItem | null>;
  searchByEmbedding(embedding: Float32Array, k: number, filters?: SearchFilters): Promise<SearchResult>;
  similarToItem(itemId: string, k: number, filters?: SearchFilters): Promise<SearchResult>;
}

/** No catalogue on this device: every page shows its "import a catalogue" state. */
export const EMPTY_CATALOGUE: StoreCatalogue = {
  info: async () => null,
  browse: async () => ({ items: [], total: 0 }),
  item: async () => null,
  searchByEmbedding: async () => ({ hits: [], method: 'exact', scanned: 0, searchMs: 0 }),
  similarToItem: async () => ({ hits: [], method: 'exact', scanned: 0, searchMs: 0 }),
};

/** The worker-backed catalogue (and its recommender), loaded on first use. */
async function workerProvider(): Promise<StoreCatalogue> {
  const [{ openWorkerCatalogue }, { setRecommender }] = await Promise.all([import('./worker-store-catalogue.ts'), import('./recommendations.ts')]);
  const { catalogue, recommender } = await openWorkerCatalogue();
  setRecommender(recommender);
  return catalogue;
}

let provider: () => Promise<StoreCatalogue> = workerProvider;
let current: Promise<StoreCatalogue> | undefined;

/** Replaces where the catalogue comes from (the worker-backed one at start-up; fakes in tests). */
export function setStoreCatalogueProvider(next: () => Promise<StoreCatalogue>): void {
  provider = next;
  current = undefined;
}

export function storeCatalogue(): Promise<StoreCatalogue> {
  current ??= provider().catch((err: unknown) => {
    current = undefined;
    throw err;
  });
  return current;
}
