import { seededRandom } from '../../src/shared/seeded-random.ts';
import { describe, expect, it } from 'vitest';
import { classifyVector, heldOutAccuracy, trainCentroids, type LabelledVector } from '../../src/features/catalogue/shared/custom-categories.ts';
import { gaussian } from './catalogue-synthetic.ts';

/** Three "styles" (e.g. Banarasi, Kanjeevaram, Chanderi) as directions in embedding space plus noise. */
function examples(perClass: number, noise: number, seed: number): LabelledVector[] {
  const random = seededRandom(seed).next;
  const dims = 64;
  const centres = ['Banarasi saree', 'Kanjeevaram', 'Chanderi'].map((name) => ({ name, c: Float32Array.from({ length: dims }, () => gaussian(random)) }));
  const out: LabelledVector[] = [];
  for (const { name, c } of centres) {
    for (let i = 0; i < perClass; i++) out.push({ category: name, vector: c.map((x) => x + noise * gaussian(random)) });
  }
  return out;
}

describe('custom categories (nearest class mean)', () => {
  it('learns categories from a few examples and classifies new items into them', () => {
    const train = examples(6, 0.8, 1);
    const centroids = trainCentroids(train);
    expect(centroids.map((c) => c.name)).toEqual(['Banarasi saree', 'Chanderi', 'Kanjeevaram']);
    expect(centroids.every((c) => c.examples === 6)).toBe(true);
    // Unseen items drawn from the same styles (same seed → same centres, later draws).
    const test = examples(30, 0.8, 1).filter((_, i) => i % 30 >= 6);
    const correct = test.filter((t) => classifyVector(t.vector, centroids)?.name === t.category).length;
    expect(correct / test.length).toBeGreaterThan(0.9);
  });

  it('reports leave-one-out accuracy that drops when the categories are indistinguishable', () => {
    const clear = heldOutAccuracy(examples(8, 0.5, 2));
    expect(clear.examples).toBe(24);
    expect(clear.accuracy).toBeGreaterThan(0.9);
    const random = seededRandom(3).next;
    const noise: LabelledVector[] = Array.from({ length: 30 }, (_, i) => ({
      category: ['A', 'B', 'C'][i % 3]!,
      vector: Float32Array.from({ length: 64 }, () => gaussian(random)),
    }));
    const muddled = heldOutAccuracy(noise);
    expect(muddled.accuracy).toBeLessThan(0.6);
    expect(muddled.perCategory.map((p) => p.examples)).toEqual([10, 10, 10]);
  });

  it('needs two categories to report accuracy and rejects examples from different models', () => {
    expect(heldOutAccuracy(examples(5, 0.5, 4).slice(0, 5)).accuracy).toBeNull();
    expect(() => trainCentroids([{ category: 'A', vector: new Float32Array(8) }, { category: 'B', vector: new Float32Array(16) }])).toThrow(/different models/);
    expect(() => trainCentroids([])).toThrow(/at least one example/);
  });
});
