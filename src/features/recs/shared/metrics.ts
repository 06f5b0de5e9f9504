/** Offline ranking metrics for leave-one-out evaluation (one relevant item per shopper). */
import { rowCosine, type RecIndex } from './rec-index.ts';

/** 1 when the target is in the first k of the list, else 0. */
export function hitAtK(list: readonly number[], target: number, k: number): number {
  return list.slice(0, k).includes(target) ? 1 : 0;
}

/** nDCG@k with a single relevant item: 1/log2(rank + 2) for 0-based rank, ideal DCG = 1. */
export function ndcgAtK(list: readonly number[], target: number, k: number): number {
  const rank = list.slice(0, k).indexOf(target);
  return rank < 0 ? 0 : 1 / Math.log2(rank + 2);
}

/** Mean pairwise (1 − cosine) of the items' embeddings: 0 = all identical. */
export function intraListDiversity(index: RecIndex, list: readonly number[]): number {
  let sum = 0;
  let pairs = 0;
  for (let a = 0; a < list.length; a++) {
    for (let b = a + 1; b < list.length; b++) {
      sum += 1 - rowCosine(index, list[a]!, list[b]!);
      pairs++;
    }
  }
  return pairs === 0 ? 0 : sum / pairs;
}
