/**
 * "You may also like" rows for the product page, from the recommendation member of the app worker.
 * Until a recommender is registered the row is simply not shown.
 */
import type { CatalogueItem } from '../../features/catalogue/shared/catalogue-types.ts';

export interface RecommendationEntry {
  item: CatalogueItem;
  /** Why it is recommended, e.g. "Because you viewed Blue Kurta". */
  reason?: string;
}

export interface Recommender {
  youMayAlsoLike(currentItemId: string | null, k: number): Promise<RecommendationEntry[]>;
  /** Visually similar items that also agree on attributes, diversified. */
  similar(itemId: string, k: number): Promise<RecommendationEntry[]>;
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
