/**
 * The model manifest (`models/manifest.json`): the only way the browser, the worker and the Node
 * CLIs find a model. Written by the Python pipeline (models/drishti/package.py); documented in
 * models/README.md. Keep the two in step — the parity test fails when they drift.
 */

export type VariantName = 'fp32' | 'fp16' | 'int8';
export type BackendName = 'webgpu' | 'wasm';

export interface ModelVariant {
  name: VariantName;
  /** Path relative to manifest.json. */
  file: string;
  bytes: number;
  /** Lower-case hex sha256 of the file. */
  sha256: string;
  /** Weight/activation precision of the graph; inputs and outputs are always float32. */
  dtype: 'float32' | 'float16' | 'int8';
  /** The backend this variant is meant for (fp16 → webgpu with shader-f16, fp32 → webgpu without, int8 → wasm). */
  intendedBackend: BackendName;
}

export interface PreprocessSpec {
  /** Input tensor name, float32 NCHW [batch, 3, size, size], RGB. */
  inputName: string;
  size: number;
  /** Pad the image to a square with padValue (centred), then bilinear-resize to size×size (half-pixel centres, no antialias). */
  resize: 'pad-to-square-bilinear';
  padValue: [number, number, number];
  /** x = (pixel / 255 - mean[c]) / std[c] */
  mean: [number, number, number];
  std: [number, number, number];
}

export interface LabelName {
  /** The class id as used by the pipeline (e.g. "Kurtas"). */
  id: string;
  en: string;
  hi: string;
}

export interface HeadSpec {
  /** Head name, e.g. "articleType", "gender", "usage", "colour", "season". */
  name: string;
  /** ONNX output name holding this head's softmax probabilities [batch, labels.length]. */
  output: string;
  labels: LabelName[];
}

export interface ModelManifest {
  schemaVersion: 1;
  id: string;
  version: string;
  preprocess: PreprocessSpec;
  heads: HeadSpec[];
  /** ONNX output holding the L2-normalised embedding [batch, dims]. */
  embedding: { output: string; dims: number };
  variants: ModelVariant[];
}
