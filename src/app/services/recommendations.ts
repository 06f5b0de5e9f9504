/**
 * "You may also like" rows for the product page, from the recommendation member of the app worker.
 * Until a recommender is registered the row is simply not shown.
 */
import type { CatalogueItem } from '../../features/catalogue/shared/catalogue-types.ts';
import type { OutcomeKind } from '../../features/experiments/shared/experiment-config.ts';

export interface RecommendationEntry {
  item: CatalogueItem;
  /** Why it is recommended, e.g. "Because you viewed Blue Kurta". */
  reason?: string;
}

export interface Recommender {
  youMayAlsoLike(currentItemId: string | null, k: number): Promise<RecommendationEntry[]>;
  /** Visually similar items that also agree on attributes, diversified. */
  similar(itemId: string, k: number): Promise<RecommendationEntry[]>;
  /** Records the shopper's response to a "you may also like" row for its experiment arm (if any). */
  trackOutcome?(kind: OutcomeKind): Promise<void>;
}

let recommender: Recommender | null = null;

export function setRecommender(next: Recommender | null): void {
  recommender = next;
}

/** Similar items from the recommender; null when there is none (the caller then searches the catalogue). */
export async function similarItems(itemId: string, k = 10): Promise<RecommendationEntry[] | null> {
  if (!recommender) return null;
  try {
    return await recommender.similar(itemId, k);
  } catch (err) {
    console.warn(`Similar items from the recommender unavailable: ${(err as Error).message}`);
    return null;
  }
}

export async function youMayAlsoLike(currentItemId: string | null, k = 10): Promise<RecommendationEntry[]> {
  if (!recommender) return [];
  try {
    return await recommender.youMayAlsoLike(currentItemId, k);
  } catch (err) {
    console.warn(`Recommendations unavailable: ${(err as Error).message}`);
    return [];
  }
}

/** Reports a click, wishlist or add-to-cart on a recommended item; never fails the caller. */
export async function trackRecommendationOutcome(kind: OutcomeKind): Promise<void> {
  try {
    await recommender?.trackOutcome?.(kind);
  } catch (err) {
    console.warn(`Recommendation outcome not recorded (${kind}): ${(err as Error).message}`);
  }
}
