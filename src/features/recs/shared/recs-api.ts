/**
 * The recommendation API the worker exposes to the page (through the worker bridge as `recs`).
 * Everything here is structured-cloneable.
 */
import type { HistoryEvent } from './history.ts';
import type { Explanation, RankingPreset } from './rank.ts';
import type { RecItem } from './rec-item.ts';

export interface RecommendedItem {
  id: string;
  title: string;
  score: number;
  explanation: Explanation;
  /** The explanation in English, ready to show. */
  reason: string;
}

export interface RecsRow {
  kind: 'similar' | 'for-you';
  items: RecommendedItem[];
  /** Milliseconds spent computing the row in the worker (history read excluded). */
  computeMs: number;
  /** True when the shopper had no usable history and the row is the popular-items prior. */
  coldStart: boolean;
}

export interface RowRequest {
  /** Row length (default 10, at most 50). */
  k?: number;
  /** Ranking weighting, e.g. chosen by an A/B experiment arm (default "balanced"). */
  preset?: RankingPreset;
  /** Item ids to leave out (already on screen). */
  excludeIds?: string[];
  /**
   * A catalogue loaded by the worker's catalogue feature (its id): rows are drawn from it, and
   * the recommendation index is rebuilt whenever that catalogue is reloaded. Without it, the
   * catalogue last given to setCatalogue/loadPack/useCatalogue is used.
   */
  catalogueId?: string;
}

export interface ForYouRequest extends RowRequest {
  /** History to use instead of the device's history store (tests, previews). */
  history?: HistoryEvent[];
}

export interface CatalogueLoadResult {
  items: number;
  dims: number;
  indexMs: number;
}

export interface RecsApi {
  /** Replaces the catalogue the rows are drawn from. */
  setCatalogue(items: RecItem[]): Promise<CatalogueLoadResult>;
  similar(itemId: string, request?: RowRequest): Promise<RecsRow>;
  forYou(request?: ForYouRequest): Promise<RecsRow>;
}
