/**
 * The page's way to the catalogue member of the app worker. Loaded catalogues live in the worker;
 * when the bridge restarts the worker (crash, timeout, idle release) they are reloaded by restore
 * steps registered here, so callers never see a catalogue vanish.
 */
import { getWorkerBridge, type DrishtiBridge } from '../../engine/client/worker-bridge.ts';
import type { CallOptions } from '../../engine/shared/engine-api.ts';
import type { CatalogueApi, CategoryReport, ImportProgress, LabelledExample, LoadPackOptions, SearchBenchmark } from '../shared/catalogue-api.ts';
import type { BrowseQuery, BrowseResult, CatalogueInfo, CatalogueItem, SearchQuery, SearchResult } from '../shared/catalogue-types.ts';

/** Where `npm start` serves the demo pack (404 when none was built). */
export const DEMO_PACK_URL = '/catalogues/demo/pack.json';
const LOAD_TIMEOUT_MS = 120_000;
const CALL_TIMEOUT_MS = 30_000;

export class CatalogueClient {
  constructor(readonly bridge: DrishtiBridge = getWorkerBridge()) {}

  async loadPack(url: string, options: LoadPackOptions = {}, call: CallOptions = {}): Promise<CatalogueInfo> {
    const absolute = new URL(url, location.href).href;
    const info = await this.bridge.call((r) => r.catalogue.loadPack(absolute, options), { timeoutMs: LOAD_TIMEOUT_MS, label: 'loading the catalogue', ...call });
    this.bridge.setRestore(`catalogue:${info.id}`, (r) => r.catalogue.loadPack(absolute, options));
    return info;
  }

  async openImport(catalogueId: string, call: CallOptions = {}): Promise<CatalogueInfo | null> {
    const info = await this.bridge.call((r) => r.catalogue.openImport(catalogueId), { timeoutMs: LOAD_TIMEOUT_MS, label: 'opening the import', ...call });
    if (info) this.bridge.setRestore(`catalogue:${catalogueId}`, (r) => r.catalogue.openImport(catalogueId));
    return info;
  }

  async unload(catalogueId: string): Promise<void> {
    this.bridge.setRestore(`catalogue:${catalogueId}`, undefined);
    await this.bridge.call((r) => r.catalogue.unload(catalogueId), { label: 'unloading the catalogue' });
  }

  list(call: CallOptions = {}): Promise<CatalogueInfo[]> {
    return this.bridge.call((r) => r.catalogue.list(), { timeoutMs: CALL_TIMEOUT_MS, label: 'listing catalogues', ...call });
  }

  info(catalogueId: string, call: CallOptions = {}): Promise<CatalogueInfo> {
    return this.bridge.call((r) => r.catalogue.info(catalogueId), { timeoutMs: CALL_TIMEOUT_MS, label: 'reading the catalogue', ...call });
  }

  items(catalogueId: string, ids: string[], call: CallOptions = {}): Promise<CatalogueItem[]> {
    return this.bridge.call((r) => r.catalogue.items(catalogueId, ids), { timeoutMs: CALL_TIMEOUT_MS, label: 'reading items', ...call });
  }

  browse(query: BrowseQuery, call: CallOptions = {}): Promise<BrowseResult> {
    return this.bridge.call((r) => r.catalogue.browse(query), { timeoutMs: CALL_TIMEOUT_MS, label: 'browsing the catalogue', ...call });
  }

  /** Photo queries are embedded in the worker (the engine must be loaded). */
  search(query: SearchQuery, call: CallOptions = {}): Promise<SearchResult> {
    return this.bridge.call((r) => r.catalogue.search(query), { timeoutMs: CALL_TIMEOUT_MS, label: 'searching the catalogue', ...call });
  }

  teachCategories(catalogueId: string, examples: LabelledExample[], call: CallOptions = {}): Promise<CategoryReport> {
    return this.bridge.call((r) => r.catalogue.teachCategories(catalogueId, examples), { timeoutMs: LOAD_TIMEOUT_MS, label: 'teaching categories', ...call });
  }

  clearCategories(catalogueId: string): Promise<void> {
    return this.bridge.call((r) => r.catalogue.clearCategories(catalogueId), { label: 'clearing categories' });
  }

  /** Measurement hooks (benchmarks, browser tests): a synthetic catalogue and in-worker query timing. */
  loadSynthetic(n: number, dims = 256, seed = 1): Promise<CatalogueInfo> {
    return this.bridge.call((r) => r.catalogue.loadSynthetic(n, dims, seed), { timeoutMs: LOAD_TIMEOUT_MS, label: 'building a synthetic catalogue' });
  }

  benchmarkSearch(catalogueId: string, options: Parameters<CatalogueApi['benchmarkSearch']>[1]): Promise<SearchBenchmark> {
    return this.bridge.call((r) => r.catalogue.benchmarkSearch(catalogueId, options), { timeoutMs: 10 * 60_000, label: 'measuring search' });
  }

  importStep(catalogueId: string, maxItems = 4, call: CallOptions = {}): Promise<ImportProgress> {
    return this.bridge.call((r) => r.catalogue.importStep(catalogueId, maxItems), { timeoutMs: LOAD_TIMEOUT_MS, label: 'importing photos', ...call });
  }
}

let shared: CatalogueClient | undefined;

export function getCatalogueClient(): CatalogueClient {
  if (!shared) {
    shared = new CatalogueClient();
    // A debug handle for the console and the browser tests, next to `__drishti.engine`.
    (globalThis as { __drishtiCatalogue?: CatalogueClient }).__drishtiCatalogue = shared;
  }
  return shared;
}

/** Loads the demo pack when the server has one; null when it has none (the app then offers import). */
export async function loadDemoCatalogue(client = getCatalogueClient()): Promise<CatalogueInfo | null> {
  const res = await fetch(DEMO_PACK_URL, { method: 'HEAD' }).catch(() => null);
  if (!res?.ok) return null;
  return client.loadPack(DEMO_PACK_URL);
}
