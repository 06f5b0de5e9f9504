/**
 * The worker side of recommendations: holds the catalogue index and computes rows on request,
 * reading the shopper's history from IndexedDB in the worker so the page never ships it across.
 */
import type { HistoryEvent } from '../shared/history.ts';
import { HistoryStore } from '../shared/history-store.ts';
import { buildProfile } from '../shared/profile.ts';
import { explanationText, RANKING_PRESETS, similarItems, youMayAlsoLike, type Recommendation } from '../shared/rank.ts';
import type { CatalogueLoadResult, ForYouRequest, RecsApi, RecsRow, RowRequest } from '../shared/recs-api.ts';
import { buildRecIndex, type RecIndex } from '../shared/rec-index.ts';
import { RecsError, type RecItem } from '../shared/rec-item.ts';

export interface RecsServiceOptions {
  /** Where history comes from (default: the device's history store). */
  readHistory?: () => Promise<HistoryEvent[]>;
  now?: () => number;
}

const MAX_K = 50;

export function createRecsService(options: RecsServiceOptions = {}): RecsApi {
  let index: RecIndex | null = null;
  let store: Promise<HistoryStore> | null = null;
  const readHistory =
    options.readHistory ??
    (async (): Promise<HistoryEvent[]> => {
      store ??= HistoryStore.open();
      return (await store).recent(100);
    });
  const now = options.now ?? Date.now;

  const need = (): RecIndex => {
    if (!index) throw new RecsError('No catalogue is loaded for recommendations yet: load a catalogue first.');
    return index;
  };
  const rowOptions = (idx: RecIndex, request: RowRequest | undefined) => {
    const k = Math.max(1, Math.min(MAX_K, Math.floor(request?.k ?? 10)));
    const preset = request?.preset ?? 'balanced';
    // Own keys only: "toString" must not pass for a preset (requests come from across the worker boundary).
    const weights = Object.hasOwn(RANKING_PRESETS, preset) ? RANKING_PRESETS[preset] : undefined;
    if (!weights) throw new RecsError(`Unknown ranking preset "${preset}"; expected one of ${Object.keys(RANKING_PRESETS).join(', ')}.`);
    const exclude = new Set<number>();
    for (const id of request?.excludeIds ?? []) {
      const i = idx.byId.get(id);
      if (i !== undefined) exclude.add(i);
    }
    return { k, weights, exclude };
  };
  const toItems = (idx: RecIndex, recs: Recommendation[]) =>
    recs.map((r) => ({ id: r.id, title: idx.titles[r.index]!, score: r.score, explanation: r.explanation, reason: explanationText(r.explanation) }));

  return {
    async setCatalogue(items: RecItem[]): Promise<CatalogueLoadResult> {
      const t0 = performance.now();
      const built = buildRecIndex(items);
      index = built;
      return { items: built.size, dims: built.dims, indexMs: performance.now() - t0 };
    },
    async similar(itemId: string, request?: RowRequest): Promise<RecsRow> {
      const idx = need();
      const anchor = idx.byId.get(itemId);
      if (anchor === undefined) throw new RecsError(`Item ${itemId} is not in the loaded catalogue.`);
      const t0 = performance.now();
      const items = toItems(idx, similarItems(idx, anchor, rowOptions(idx, request)));
      return { kind: 'similar', items, computeMs: performance.now() - t0, coldStart: false };
    },
    async forYou(request?: ForYouRequest): Promise<RecsRow> {
      const idx = need();
      const history = request?.history ?? (await readHistory());
      const t0 = performance.now();
      const profile = buildProfile(idx, history, now());
      const items = toItems(idx, youMayAlsoLike(idx, profile, rowOptions(idx, request)));
      return { kind: 'for-you', items, computeMs: performance.now() - t0, coldStart: profile.evidence === 0 };
    },
  };
}
