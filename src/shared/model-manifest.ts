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
  /**
   * Optional per-chunk sha256 so a resumable download catches corruption one chunk at a time and
   * refetches only that chunk (see docs/downloads.md). Chunk i covers bytes [i·size, min((i+1)·size, bytes)).
   */
  chunks?: ChunkHashes;
}

export interface ChunkHashes {
  /** Chunk length in bytes (the last chunk may be shorter). */
  size: number;
  /** Lower-case hex sha256 of each chunk, in order; length = ceil(bytes / size). */
  sha256: string[];
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

export class ManifestError extends Error {
  override name = 'ManifestError';
}

const VARIANTS: readonly VariantName[] = ['fp32', 'fp16', 'int8'];
const DTYPES = ['float32', 'float16', 'int8'] as const;
const BACKENDS: readonly BackendName[] = ['webgpu', 'wasm'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates optional chunk hashes against the file length they describe (shared with catalogue packs). */
export function parseChunkHashes(v: unknown, bytes: number, where: string, fail: (what: string) => never): ChunkHashes {
  if (!isRecord(v)) return fail(`${where} must be an object { size, sha256 }`);
  const size = v.size;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1024) return fail(`${where}.size must be a whole number of bytes ≥ 1024`);
  const expected = Math.ceil(bytes / size);
  if (!Array.isArray(v.sha256) || v.sha256.length !== expected) return fail(`${where}.sha256 must list ${expected} chunk hashes for ${bytes} bytes in chunks of ${size}`);
  const hashes = v.sha256 as unknown[];
  if (!hashes.every((h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h))) return fail(`${where}.sha256 entries must be 64 lower-case hex digits`);
  return { size, sha256: hashes as string[] };
}

/**
 * Validates untrusted JSON as a ModelManifest. `source` names where it came from so the message
 * points at the file or URL to fix.
 */
export function parseModelManifest(json: unknown, source: string): ModelManifest {
  const fail = (what: string): never => {
    throw new ManifestError(`The model manifest ${source} is invalid: ${what}.`);
  };
  const str = (v: unknown, what: string): string => (typeof v === 'string' && v.length > 0 ? v : fail(`${what} must be a non-empty string`));
  const num = (v: unknown, what: string): number =>
    typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fail(`${what} must be a positive number`);
  const triple = (v: unknown, what: string): [number, number, number] =>
    Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number' && Number.isFinite(x))
      ? (v as [number, number, number])
      : fail(`${what} must be three numbers`);

  if (!isRecord(json)) fail('it is not a JSON object');
  const m = json as Record<string, unknown>;
  if (m.schemaVersion !== 1) fail(`schemaVersion ${String(m.schemaVersion)} is not supported (expected 1)`);
  const p = isRecord(m.preprocess) ? m.preprocess : fail('"preprocess" is missing');
  if (p.resize !== 'pad-to-square-bilinear') fail(`preprocess.resize "${String(p.resize)}" is not supported`);
  const std = triple(p.std, 'preprocess.std');
  if (std.some((s) => s <= 0)) fail('preprocess.std must be positive');
  const preprocess: PreprocessSpec = {
    inputName: str(p.inputName, 'preprocess.inputName'),
    size: num(p.size, 'preprocess.size'),
    resize: 'pad-to-square-bilinear',
    padValue: triple(p.padValue, 'preprocess.padValue'),
    mean: triple(p.mean, 'preprocess.mean'),
    std,
  };
  if (!Array.isArray(m.heads) || m.heads.length === 0) fail('"heads" must be a non-empty list');
  const heads: HeadSpec[] = (m.heads as unknown[]).map((h, i) => {
    if (!isRecord(h)) return fail(`heads[${i}] is not an object`);
    if (!Array.isArray(h.labels) || h.labels.length < 2) return fail(`heads[${i}].labels must list at least two labels`);
    return {
      name: str(h.name, `heads[${i}].name`),
      output: str(h.output, `heads[${i}].output`),
      labels: (h.labels as unknown[]).map((l, j) => {
        if (!isRecord(l)) return fail(`heads[${i}].labels[${j}] is not an object`);
        const where = `heads[${i}].labels[${j}]`;
        return { id: str(l.id, `${where}.id`), en: str(l.en, `${where}.en`), hi: str(l.hi, `${where}.hi`) };
      }),
    };
  });
  const e = isRecord(m.embedding) ? m.embedding : fail('"embedding" is missing');
  const embedding = { output: str(e.output, 'embedding.output'), dims: num(e.dims, 'embedding.dims') };
  if (!Array.isArray(m.variants) || m.variants.length === 0) fail('"variants" must be a non-empty list');
  const variants: ModelVariant[] = (m.variants as unknown[]).map((v, i) => {
    if (!isRecord(v)) return fail(`variants[${i}] is not an object`);
    const name = v.name as VariantName;
    if (!VARIANTS.includes(name)) fail(`variants[${i}].name must be one of ${VARIANTS.join(', ')}`);
    const dtype = v.dtype as ModelVariant['dtype'];
    if (!DTYPES.includes(dtype)) fail(`variants[${i}].dtype must be one of ${DTYPES.join(', ')}`);
    const intendedBackend = v.intendedBackend as BackendName;
    if (!BACKENDS.includes(intendedBackend)) fail(`variants[${i}].intendedBackend must be webgpu or wasm`);
    const sha256 = str(v.sha256, `variants[${i}].sha256`);
    if (!/^[0-9a-f]{64}$/.test(sha256)) fail(`variants[${i}].sha256 must be 64 lower-case hex digits`);
    const file = str(v.file, `variants[${i}].file`);
    if (file.includes('..') || file.startsWith('/') || /^[a-z]+:/i.test(file)) fail(`variants[${i}].file must be a relative path inside the model folder`);
    const bytes = num(v.bytes, `variants[${i}].bytes`);
    const variant: ModelVariant = { name, file, bytes, sha256, dtype, intendedBackend };
    if (v.chunks !== undefined) variant.chunks = parseChunkHashes(v.chunks, bytes, `variants[${i}].chunks`, fail);
    return variant;
  });
  return {
    schemaVersion: 1,
    id: str(m.id, 'id'),
    version: str(m.version, 'version'),
    preprocess,
    heads,
    embedding,
    variants,
  };
}
