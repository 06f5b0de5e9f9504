/**
 * The `recs` member of the app worker (`remote.recs.*`): the recommendation service plus loading
 * a catalogue pack straight into the worker (no item data crosses to the page and back) and a
 * speed benchmark on a synthetic catalogue for the developer panel.
 */
import { httpPackSource, readPack, type LoadedPack } from '../../catalogue/shared/pack-reader.ts';
import { getLoadedCatalogue, onCatalogueChange } from '../../catalogue/worker/catalogue-store.ts';
import { recItemsFromPack } from '../shared/from-pack.ts';
import { RecsError } from '../shared/rec-item.ts';
import type { CatalogueLoadResult, RecsApi, RowRequest } from '../shared/recs-api.ts';
import { createRecsService } from './recs-service.ts';

export interface RecsBenchmarkResult {
  items: number;
  dims: number;
  rows: number;
  similarMs: TimingSummary;
  forYouMs: TimingSummary;
  /** The first row of each kind, before the JIT has warmed up. */
  firstRowMs: { similar: number; forYou: number };
}

export interface TimingSummary {
  mean: number;
  median: number;
  p95: number;
  max: number;
}

export interface RecsWorkerApi extends RecsApi {
  /** Loads a catalogue pack (URL of its pack.json) for recommendations. */
  loadPack(packJsonUrl: string): Promise<CatalogueLoadResult>;
  /** Draws rows from a catalogue the worker's catalogue feature has loaded (no second download). */
  useCatalogue(catalogueId: string): Promise<CatalogueLoadResult>;
  /** Times rows over a synthetic catalogue (its own service: the loaded catalogue is untouched). */
  benchmark(options?: { items?: number; dims?: number; rows?: number }): Promise<RecsBenchmarkResult>;
}

function summary(times: number[]): TimingSummary {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    mean: times.reduce((a, b) => a + b, 0) / Math.max(1, times.length),
    median: sorted[Math.floor(sorted.length / 2)] ?? 0,
    p95: sorted[Math.min(sorted.length - 1, Math.floor(0.95 * sorted.length))] ?? 0,
    max: sorted.at(-1) ?? 0,
  };
}

const service = createRecsService();

/** The catalogue-feature catalogue the index was built from, if any (the pack object tells reloads apart). */
let bound: { id: string; pack: LoadedPack; result: CatalogueLoadResult } | null = null;

onCatalogueChange((id) => {
  // Rebuilt on the next request for it: an import that grows item by item is not re-indexed per step.
  if (bound?.id === id) bound = null;
});

async function useCatalogue(catalogueId: string): Promise<CatalogueLoadResult> {
  const loaded = getLoadedCatalogue(catalogueId);
  if (!loaded) {
    throw new RecsError(`The catalogue "${catalogueId}" is not loaded in the worker (it may have restarted): load it with the catalogue feature first.`);
  }
  const pack = loaded.index.pack;
  if (bound?.id === catalogueId && bound.pack === pack) return bound.result;
  const result = await service.setCatalogue(recItemsFromPack(pack));
  bound = { id: catalogueId, pack, result };
  return result;
}

async function bindFor(request: RowRequest | undefined): Promise<void> {
  if (request?.catalogueId !== undefined) await useCatalogue(request.catalogueId);
}

export const recsWorkerApi: RecsWorkerApi = {
  async setCatalogue(items) {
    bound = null;
    return service.setCatalogue(items);
  },
  async similar(itemId, request) {
    await bindFor(request);
    return service.similar(itemId, request);
  },
  async forYou(request) {
    await bindFor(request);
    return service.forYou(request);
  },
  useCatalogue,

  async loadPack(packJsonUrl) {
    const pack = await readPack(httpPackSource(packJsonUrl), packJsonUrl);
    bound = null;
    return service.setCatalogue(recItemsFromPack(pack));
  },

  async benchmark(options = {}) {
    const items = Math.min(200_000, Math.max(10, options.items ?? 10_000));
    const dims = Math.min(2048, Math.max(8, options.dims ?? 256));
    const rows = Math.min(500, Math.max(1, options.rows ?? 50));
    // Loaded on demand so the synthetic generator is not part of the worker's start-up code.
    const { syntheticCatalogue } = await import('../shared/synthetic-catalogue.ts');
    const catalogue = syntheticCatalogue({ size: items, dims, seed: 1 });
    const bench = createRecsService({ readHistory: async () => [] });
    await bench.setCatalogue(catalogue);
    const similar: number[] = [];
    const forYou: number[] = [];
    for (let r = 0; r < rows; r++) {
      const viewed = Array.from({ length: 8 }, (_, k) => catalogue[(r * 131 + k * 17) % items]!);
      const history = viewed.map((c, k) => ({ kind: 'view' as const, at: Date.now() - (8 - k) * 60_000, itemId: c.id }));
      similar.push((await bench.similar(viewed[0]!.id)).computeMs);
      forYou.push((await bench.forYou({ history })).computeMs);
    }
    return {
      items,
      dims,
      rows,
      similarMs: summary(similar.slice(1)),
      forYouMs: summary(forYou.slice(1)),
      firstRowMs: { similar: similar[0]!, forYou: forYou[0]! },
    };
  },
};
