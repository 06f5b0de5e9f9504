/**
 * The merchant's own categories ("Banarasi saree", "Kanjeevaram") learnt from a few labelled
 * examples: nearest class mean over the model's unit embeddings. Tiny, deterministic, and it
 * needs no training loop on the phone; held-out accuracy is leave-one-out over the examples.
 */
import { normalized } from './int8-codec.ts';

export interface LabelledVector {
  category: string;
  /** A unit (or any non-zero) embedding of one example. */
  vector: Float32Array;
}

export interface CategoryCentroid {
  name: string;
  /** Unit-length class mean. */
  centroid: Float32Array;
  examples: number;
}

export interface HeldOutReport {
  /** Leave-one-out accuracy over all examples (null with fewer than 2 categories). */
  accuracy: number | null;
  examples: number;
  perCategory: { name: string; examples: number; correct: number }[];
}

export class CustomCategoryError extends Error {
  override name = 'CustomCategoryError';
}


function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function sumsByCategory(examples: LabelledVector[]): Map<string, { sum: Float32Array; count: number }> {
  if (examples.length === 0) throw new CustomCategoryError('Label at least one example for each category.');
  const dims = examples[0]!.vector.length;
  const sums = new Map<string, { sum: Float32Array; count: number }>();
  for (const ex of examples) {
    if (ex.vector.length !== dims) throw new CustomCategoryError('The examples were embedded by different models; relabel them.');
    const name = ex.category.trim();
    if (!name) throw new CustomCategoryError('A category needs a name.');
    const s = sums.get(name) ?? { sum: new Float32Array(dims), count: 0 };
    const u = normalized(ex.vector);
    for (let i = 0; i < dims; i++) s.sum[i]! += u[i]!;
    s.count++;
    sums.set(name, s);
  }
  return sums;
}

/** One unit class mean per category, sorted by name. */
export function trainCentroids(examples: LabelledVector[]): CategoryCentroid[] {
  return [...sumsByCategory(examples)]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, s]) => ({ name, centroid: normalized(s.sum), examples: s.count }));
}

/** The nearest category and its cosine similarity (null when there are no categories). */
export function classifyVector(v: Float32Array, centroids: CategoryCentroid[]): { name: string; score: number } | null {
  let best: { name: string; score: number } | null = null;
  const u = normalized(v);
  for (const c of centroids) {
    const score = dot(u, c.centroid);
    if (!best || score > best.score) best = { name: c.name, score };
  }
  return best;
}

/**
 * Leave-one-out: each example is classified against class means computed without it. A category
 * with a single example cannot be held out and counts as wrong for that example.
 */
export function heldOutAccuracy(examples: LabelledVector[]): HeldOutReport {
  const sums = sumsByCategory(examples);
  const per = new Map<string, { examples: number; correct: number }>([...sums.keys()].map((k) => [k, { examples: 0, correct: 0 }]));
  if (sums.size < 2) {
    return { accuracy: null, examples: examples.length, perCategory: [...per].map(([name, p]) => ({ name, ...p, examples: sums.get(name)!.count })) };
  }
  const dims = examples[0]!.vector.length;
  let correct = 0;
  for (const ex of examples) {
    const own = ex.category.trim();
    const u = normalized(ex.vector);
    let best = '';
    let bestScore = -Infinity;
    for (const [name, s] of sums) {
      let mean: Float32Array = s.sum;
      if (name === own) {
        if (s.count < 2) continue;
        mean = new Float32Array(dims);
        for (let i = 0; i < dims; i++) mean[i] = s.sum[i]! - u[i]!;
      }
      const score = dot(u, normalized(mean));
      if (score > bestScore) {
        bestScore = score;
        best = name;
      }
    }
    const p = per.get(own)!;
    p.examples++;
    if (best === own) {
      p.correct++;
      correct++;
    }
  }
  return {
    accuracy: correct / examples.length,
    examples: examples.length,
    perCategory: [...per].map(([name, p]) => ({ name, ...p })).sort((a, b) => a.name.localeCompare(b.name)),
  };
}
