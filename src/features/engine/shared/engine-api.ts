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
  /**
   * Test hook: make WebGPU session creation fail (as a broken driver would) so the WASM fallback
   * runs. Also read from `?debugFailWebgpu=1`.
   */
  debugFailWebGpu?: boolean;
  /** Test hook: make every WebGPU run fail (as a kernel or driver bug would) so the run-time fallback runs. */
  debugFailWebGpuRun?: boolean;
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
  /** The backend/variant that produced this result (differs from load() after a WebGPU device loss). */
  backend: BackendName;
  variant: VariantName;
}

/** A float32 tensor crossing the worker boundary (named inputs/outputs of `run`). */
export interface TensorData {
  type: 'float32';
  data: Float32Array;
  dims: number[];
}

export interface RunResult {
  outputs: Record<string, TensorData>;
  timings: Timings;
  backend: BackendName;
  variant: VariantName;
}

/** The engine's state as the worker sees it (for panels and tests). */
export interface EngineStatus {
  loaded: LoadResult | null;
  /** The WASM thread count the runtime was initialised with (fixed for the worker's life), if initialised. */
  runtimeThreads: number | null;
}

/**
 * The engine's member of the worker API (`{ engine: EngineWorkerApi, ... }` in
 * src/worker/drishti.worker.ts). Methods prefixed `debug` are test hooks.
 */
export interface EngineWorkerApi {
  probe(): Promise<ProbeResult>;
  /** `onProgress` must be a comlink proxy when called across the boundary. */
  load(options: LoadOptions, onProgress?: (progress: LoadProgress) => void): Promise<LoadResult>;
  classify(image: ImageInput): Promise<ClassifyResult>;
  run(inputs: Record<string, TensorData>): Promise<RunResult>;
  status(): Promise<EngineStatus>;
  dispose(): Promise<void>;
  /** Test hook: 'throw' raises an uncaught error in the worker, 'hang' blocks its event loop forever. */
  debugCrash(kind: 'throw' | 'hang'): Promise<void>;
  /** Test hook: destroys the WebGPU device, as a driver reset would (GPUDevice.lost fires). */
  debugLoseDevice(): Promise<boolean>;
}

/** Per-call options every bridge call accepts. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Milliseconds before the call is abandoned, the worker restarted and a TimeoutError raised. */
  timeoutMs?: number;
}

/** Error kinds that cross the worker boundary (the custom comlink `throw` handler carries `code`). */
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
  | 'bad-input'
  | 'inference'
  /** The WASM runtime was initialised with another thread count; the bridge restarts the worker and retries. */
  | 'restart-required';

/** Where an engine call stands, for progress UI (model download, session creation). */
export interface LoadProgress {
  phase: 'manifest' | 'download' | 'session';
  loadedBytes?: number;
  totalBytes?: number;
  bytesPerSecond?: number;
  etaSeconds?: number;
}
