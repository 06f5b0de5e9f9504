/**
 * The inference engine's API, shared by the worker (which implements it) and the page (which calls
 * it through the worker bridge). Everything that crosses the worker boundary is typed here.
 */
import type { BackendName, VariantName } from '../../../shared/model-manifest.ts';
import type { Prediction } from '../../../shared/model-output.ts';
import type { RgbaImage } from '../../../shared/preprocess.ts';

export interface ProbeResult {
  webgpu: { available: boolean; adapter?: string; shaderF16: boolean; error?: string };
  wasm: { simd: boolean; threads: boolean; crossOriginIsolated: boolean; hardwareConcurrency: number };
  deviceMemoryGb?: number;
  userAgent: string;
}

/** Debug/benchmark overrides of the automatic choice (also read from `?backend=&variant=&threads=`). */
export interface EngineOverrides {
  backend?: BackendName;
  variant?: VariantName;
  threads?: number;
}

export interface LoadOptions extends EngineOverrides {
  /** URL of the model's manifest.json (default: the embedded model, `/models/manifest.json`). */
  manifestUrl?: string;
}

export interface LoadResult {
  modelId: string;
  modelVersion: string;
  backend: BackendName;
  variant: VariantName;
  threads: number;
  /** Human-readable reasons for the choice, in order (e.g. "WebGPU adapter has no shader-f16 → fp32"). */
  reasons: string[];
  /** Set when the preferred backend failed and the engine fell back (e.g. WebGPU session creation failed). */
  fallbackFrom?: { backend: BackendName; variant: VariantName; error: string };
  bytes: number;
  sessionMs: number;
}

export interface Timings {
  preprocessMs: number;
  inferenceMs: number;
  totalMs: number;
}

/** What `classify` accepts: an encoded image (decoded in the worker) or already decoded pixels. */
export type ImageInput = Blob | ImageBitmap | RgbaImage;

export interface ClassifyResult extends Prediction {
  timings: Timings;
}

export interface TensorData {
  type: 'float32';
  data: Float32Array;
  dims: number[];
}

export interface RunResult {
  outputs: Record<string, TensorData>;
  timings: Timings;
}

/** Per-call options every bridge call accepts. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Milliseconds before the call is abandoned, the worker restarted and a TimeoutError raised. */
  timeoutMs?: number;
}

/** Error kinds that cross the worker boundary (comlink transfers `name`/`message`). */
export type EngineErrorCode =
  | 'aborted'
  | 'timeout'
  | 'worker-crashed'
  | 'not-loaded'
  | 'manifest'
  | 'download'
  | 'integrity'
  | 'backend-unavailable'
  | 'session-create'
  | 'device-lost'
  | 'bad-image'
  | 'inference';
