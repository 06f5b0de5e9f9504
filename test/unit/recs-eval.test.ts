import { describe, expect, it } from 'vitest';
import { hitAtK, intraListDiversity, ndcgAtK } from '../../src/features/recs/shared/metrics.ts';
import { buildRecIndex } from '../../src/features/recs/shared/rec-index.ts';
import { runRecsEval } from '../../src/features/recs/shared/recs-eval.ts';
import { simulateShoppers } from '../../src/features/recs/shared/shopper-simulator.ts';
import { syntheticCatalogue } from '../../src/features/recs/shared/synthetic-catalogue.ts';

const index = buildRecIndex(syntheticCatalogue({ size: 1500, dims: 32, seed: 9 }));

describe('ranking metrics', () => {
  it('computes hit-rate and nDCG for a single held-out item', () => {
    const list = [5, 9, 2, 7];
    expect(hitAtK(list, 2, 10)).toBe(1);
    expect(hitAtK(list, 2, 2)).toBe(0);
    expect(hitAtK(list, 4, 10)).toBe(0);
    expect(ndcgAtK(list, 5, 10)).toBe(1);
    expect(ndcgAtK(list, 2, 10)).toBeCloseTo(0.5, 12); // rank 3 → 1/log2(4)
    expect(ndcgAtK(list, 9, 10)).toBeCloseTo(1 / Math.log2(3), 12);
    expect(ndcgAtK(list, 4, 10)).toBe(0);
  });

  it('measures diversity as mean pairwise cosine distance', () => {
    expect(intraListDiversity(index, [3, 3, 3])).toBeCloseTo(0, 5);
    expect(intraListDiversity(index, [1])).toBe(0);
    const d = intraListDiversity(index, [1, 2, 3, 4]);
    expect(d).toBeGreaterThan(0);
    expect(d).toBeLessThan(2);
  });
});

describe('shopper simulator (synthetic)', () => {
  it('is reproducible for a seed and holds out an item the shopper has not seen', () => {
    const a = simulateShoppers(index, { shoppers: 20, seed: 4 });
    const b = simulateShoppers(index, { shoppers: 20, seed: 4 });
    expect(a.map((s) => s.target)).toEqual(b.map((s) => s.target));
    expect(a).toHaveLength(20);
    for (const s of a) {
      expect(s.history.length).toBeGreaterThanOrEqual(4);
      expect(s.history.some((e) => e.itemId === index.ids[s.target])).toBe(false);
      expect(s.history.every((e) => e.at <= s.now)).toBe(true);
    }
  });
});

describe('offline evaluation (small, as in CI)', () => {
  it('ranks "you may also like" above the popularity and random baselines on simulated shoppers', () => {
    const report = runRecsEval(index, { shoppers: 200, seed: 21 });
    const row = (prefix: string) => report.rows.find((r) => r.method.startsWith(prefix))!;
    const ymal = row('you may also like');
    const pop = row('popularity');
    const random = row('random');
    expect(report.shoppers).toBe(200);
    for (const r of report.rows) {
      expect(r.hitRate).toBeGreaterThanOrEqual(r.ndcg);
      expect(r.coverage).toBeGreaterThan(0);
      expect(r.coverage).toBeLessThanOrEqual(1);
    }
    expect(ymal.hitRate).toBeGreaterThan(1.3 * pop.hitRate);
    expect(ymal.hitRate).toBeGreaterThan(random.hitRate);
    expect(pop.hitRate).toBeGreaterThan(random.hitRate); // the simulator makes popularity matter
    // The popularity baseline shows (almost) the same ten items to everyone.
    expect(pop.coverage).toBeLessThan(ymal.coverage);
    // MMR buys diversity over the same scores without re-ranking.
    expect(ymal.diversity).toBeGreaterThan(row('hybrid without MMR').diversity);
  });
});
