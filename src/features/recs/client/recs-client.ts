/**
 * Page-side access to the worker's `recs` member. `connectRecommendations` loads the shop's
 * catalogue pack into the worker (and again whenever the bridge restarts the worker) and returns a
 * recommender for the product page: `setRecommender(await connectRecommendations(url, id => …))`.
 */
import type { CatalogueItem } from '../../catalogue/shared/catalogue-types.ts';
import { getWorkerBridge } from '../../engine/client/worker-bridge.ts';
import type { RankingPreset } from '../shared/rank.ts';
import type { CatalogueLoadResult, ForYouRequest, RecsRow, RowRequest } from '../shared/recs-api.ts';
import type { RecsBenchmarkResult } from '../worker/recs-worker.ts';

export interface RecommendationEntry {
  item: CatalogueItem;
  reason?: string;
}

/** The shape the shop's product page asks for (src/app/services/recommendations.ts). */
export interface PageRecommender {
  youMayAlsoLike(currentItemId: string | null, k: number): Promise<RecommendationEntry[]>;
  similar(itemId: string, k: number): Promise<RecommendationEntry[]>;
}

export function recsForYou(request: ForYouRequest = {}): Promise<RecsRow> {
  return getWorkerBridge().call((r) => r.recs.forYou(request));
}

export function recsSimilar(itemId: string, request: RowRequest = {}): Promise<RecsRow> {
  return getWorkerBridge().call((r) => r.recs.similar(itemId, request));
}

export function recsBenchmark(options: { items?: number; dims?: number; rows?: number } = {}): Promise<RecsBenchmarkResult> {
  return getWorkerBridge().call((r) => r.recs.benchmark(options), { timeoutMs: 120_000 });
}

export async function connectRecommendations(
  packJsonUrl: string,
  lookup: (itemId: string) => Promise<CatalogueItem | null>,
  options: { preset?: RankingPreset } = {},
): Promise<PageRecommender & { loaded: CatalogueLoadResult }> {
  const bridge = getWorkerBridge();
  const url = new URL(packJsonUrl, location.href).href;
  const loaded = await bridge.call((r) => r.recs.loadPack(url), { timeoutMs: 120_000 });
  bridge.setRestore('recs', (r) => r.recs.loadPack(url));
  const entries = async (row: RecsRow): Promise<RecommendationEntry[]> => {
    const found = await Promise.all(row.items.map(async (r) => ({ item: await lookup(r.id), reason: r.reason })));
    // An id the catalogue no longer knows (pack replaced meanwhile) is dropped rather than shown broken.
    return found.flatMap((e) => (e.item ? [{ item: e.item, reason: e.reason }] : []));
  };
  const preset = options.preset;
  return {
    loaded,
    async youMayAlsoLike(currentItemId, k) {
      const request: ForYouRequest = { k, ...(preset ? { preset } : {}), ...(currentItemId ? { excludeIds: [currentItemId] } : {}) };
      return entries(await recsForYou(request));
    },
    async similar(itemId, k) {
      return entries(await recsSimilar(itemId, { k, ...(preset ? { preset } : {}) }));
    },
  };
}
