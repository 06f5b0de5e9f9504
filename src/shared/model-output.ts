/**
 * Turns the model's raw outputs (softmax probabilities per head, an L2-normalised embedding) into
 * labelled predictions. Shared by the worker and the Node CLIs so both read the model the same way.
 */
import type { HeadSpec, ModelManifest } from './model-manifest.ts';

export interface ScoredLabel {
  id: string;
  en: string;
  hi: string;
  score: number;
}

export interface HeadPrediction {
  head: string;
  /** Labels by descending probability, at most `topK`. */
  top: ScoredLabel[];
}

export interface Prediction {
  heads: HeadPrediction[];
  embedding: Float32Array;
}

/** A float32 output as any onnxruntime flavour returns it. */
export interface FloatOutput {
  data: Float32Array;
  dims: readonly number[];
}

export class ModelOutputError extends Error {
  override name = 'ModelOutputError';
}

function outputOf(outputs: Record<string, FloatOutput>, name: string, batch: number, width: number): Float32Array {
  const out = outputs[name];
  if (!out) throw new ModelOutputError(`The model did not return the output "${name}" that its manifest names.`);
  if (out.data.length !== batch * width) {
    throw new ModelOutputError(
      `Output "${name}" has ${out.data.length} values; the manifest implies ${batch}×${width}. Is the manifest for this model?`,
    );
  }
  return out.data;
}

function topLabels(head: HeadSpec, probs: Float32Array, topK: number): ScoredLabel[] {
  const order = Array.from(probs.keys()).sort((a, b) => probs[b]! - probs[a]!);
  return order.slice(0, topK).map((i) => {
    const label = head.labels[i]!;
    return { id: label.id, en: label.en, hi: label.hi, score: probs[i]! };
  });
}

export function decodeOutputs(
  manifest: ModelManifest,
  outputs: Record<string, FloatOutput>,
  batch: number,
  topK = 3,
): Prediction[] {
  const dims = manifest.embedding.dims;
  const emb = outputOf(outputs, manifest.embedding.output, batch, dims);
  const heads = manifest.heads.map((h) => ({ head: h, data: outputOf(outputs, h.output, batch, h.labels.length) }));
  const predictions: Prediction[] = [];
  for (let i = 0; i < batch; i++) {
    predictions.push({
      embedding: emb.slice(i * dims, (i + 1) * dims),
      heads: heads.map(({ head, data }) => {
        const n = head.labels.length;
        return { head: head.name, top: topLabels(head, data.subarray(i * n, (i + 1) * n), topK) };
      }),
    });
  }
  return predictions;
}

/** Cosine similarity of two vectors of equal length (0 when either is all zeros). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`cosine: lengths differ (${a.length} vs ${b.length})`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
