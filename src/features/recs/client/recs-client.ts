/**
 * Page-side access to the worker's `recs` member, and the recommender the product page uses:
 *
 *   setRecommender(await connectRecommendations({ catalogueId }, (id) => catalogue.item(id),
 *     { experiments, experimentId: 'ranking-weights-1' }));
 *
 * With an experiment, the row uses the arm's `rankingPreset` and records an impression and the
 * row's latency for that arm; the page reports clicks/wishlist/cart with `trackOutcome`.
 */
import type { CatalogueItem } from '../../catalogue/shared/catalogue-types.ts';
import { getWorkerBridge } from '../../engine/client/worker-bridge.ts';
import type { ExperimentsClient } from '../../experiments/client/experiments-client.ts';
import type { OutcomeKind } from '../../experiments/shared/experiment-config.ts';
import type { Explanation } from '../shared/rank.ts';
import type { CatalogueLoadResult, ForYouRequest, RecsRow, RowRequest } from '../shared/recs-api.ts';
import type { RecsBenchmarkResult } from '../worker/recs-worker.ts';
import { withExperiment } from './experiment-rows.ts';

export interface RecommendationEntry {
  item: CatalogueItem;
  /** The explanation in English. */
  reason?: string;
  /** The structured explanation, for showing it in the UI language. */
  explanation?: Explanation;
}

/** The shape the shop's product page asks for (src/app/services/recommendations.ts), plus similar items. */
export interface PageRecommender {
  youMayAlsoLike(currentItemId: string | null, k: number): Promise<RecommendationEntry[]>;
  similar(itemId: string, k: number): Promise<RecommendationEntry[]>;
  /** Records a shopper's response to a recommendation row for the experiment arm (no-op without one). */
  trackOutcome(kind: OutcomeKind): Promise<void>;
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

export type RecsCatalogueSource = { catalogueId: string } | { packUrl: string };

export async function connectRecommendations(
  source: RecsCatalogueSource,
  lookup: (itemId: string) => Promise<CatalogueItem | null>,
  options: { experiments?: ExperimentsClient; experimentId?: string } = {},
): Promise<PageRecommender & { loaded: CatalogueLoadResult }> {
  const bridge = getWorkerBridge();
  let loaded: CatalogueLoadResult;
  let scope: RowRequest = {};
  if ('catalogueId' in source) {
    loaded = await bridge.call((r) => r.recs.useCatalogue(source.catalogueId));
    scope = { catalogueId: source.catalogueId };
  } else {
    const url = new URL(source.packUrl, location.href).href;
    loaded = await bridge.call((r) => r.recs.loadPack(url), { timeoutMs: 120_000 });
    bridge.setRestore('recs', (r) => r.recs.loadPack(url));
  }
  const entries = async (row: RecsRow): Promise<RecommendationEntry[]> => {
    const found = await Promise.all(row.items.map(async (r) => ({ item: await lookup(r.id), reason: r.reason, explanation: r.explanation })));
    // An id the catalogue no longer knows (catalogue replaced meanwhile) is dropped rather than shown broken.
    return found.flatMap((e) => (e.item ? [{ item: e.item, reason: e.reason, explanation: e.explanation }] : []));
  };
  const experiment = withExperiment((request) => recsForYou(request), options.experiments, options.experimentId);
  return {
    loaded,
    async youMayAlsoLike(currentItemId, k) {
      return entries(await experiment.row({ ...scope, k, ...(currentItemId ? { excludeIds: [currentItemId] } : {}) }));
    },
    async similar(itemId, k) {
      return entries(await recsSimilar(itemId, { ...scope, k }));
    },
    trackOutcome: (kind) => experiment.trackOutcome(kind),
  };
}
