/**
 * The inference engine as it lives in the worker: owns the one onnxruntime-web session, loads
 * models by manifest, falls back from WebGPU to WASM, and runs images or raw tensors.
 *
 * `engineWorkerApi` is the member the page reaches through the bridge (`remote.engine.*`);
 * `classifyImages`/`embedImages` are for other worker features (catalogue, recommendations),
 * which call them directly inside the worker with no extra message hop.
 */
import { parseModelManifest, type ModelManifest, type ModelVariant, type VariantName } from '../../../shared/model-manifest.ts';
import { decodeOutputs, type FloatOutput, type Prediction } from '../../../shared/model-output.ts';
import { inputDims, preprocessToTensor, type RgbaImage } from '../../../shared/preprocess.ts';
import { chooseBackend, fallbackChoice, type BackendChoice } from '../shared/backend-selection.ts';
import type {
  ClassifyResult,
  EngineStatus,
  EngineWorkerApi,
  ImageInput,
  LoadOptions,
  LoadProgress,
  LoadResult,
  ProbeResult,
  RunResult,
  TensorData,
} from '../shared/engine-api.ts';
import { EngineError, toEngineError } from '../shared/engine-errors.ts';
import { decodeImage } from './decode-image.ts';
import { getModelFetcher } from './model-fetcher.ts';
import { createSession, getRuntimeThreads, ort, type OpenSession } from './ort-session.ts';
import { probeDevice } from './probe.ts';

export const DEFAULT_MANIFEST_URL = '/models/manifest.json';

interface Loaded {
  manifest: ModelManifest;
  manifestUrl: string;
  options: LoadOptions;
  choice: BackendChoice;
  open: OpenSession;
  result: LoadResult;
  /** Set when the WebGPU device was lost; the next call moves to WASM. */
  lostReason?: string;
}

let probeCache: Promise<ProbeResult> | null = null;
let current: Loaded | null = null;

function probe(): Promise<ProbeResult> {
  probeCache ??= probeDevice();
  return probeCache;
}

async function fetchManifest(url: string): Promise<ModelManifest> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new EngineError('download', `Could not download the model manifest ${url} (${(err as Error).message}). Check the connection.`);
  }
  if (!res.ok) {
    throw new EngineError('manifest', `The model manifest ${url} answered HTTP ${res.status}. Is a model published there (models/manifest.json)?`);
  }
  let json: unknown;
  try {
    json = await res.json();
  } catch (err) {
    throw new EngineError('manifest', `The model manifest ${url} is not valid JSON (${(err as Error).message}).`);
  }
  try {
    return parseModelManifest(json, url);
  } catch (err) {
    throw toEngineError(err, 'manifest', 'reading the model manifest');
  }
}

function variantEntry(manifest: ModelManifest, name: VariantName): ModelVariant {
  const entry = manifest.variants.find((v) => v.name === name);
  if (!entry) throw new EngineError('manifest', `The model has no "${name}" variant.`);
  return entry;
}

async function openVariant(
  manifest: ModelManifest,
  manifestUrl: string,
  choice: BackendChoice,
  options: LoadOptions,
  onProgress?: (p: LoadProgress) => void,
  beforeCreate?: () => Promise<void>,
): Promise<{ open: OpenSession; bytes: number; sessionMs: number }> {
  const entry = variantEntry(manifest, choice.variant);
  const url = new URL(entry.file, manifestUrl).href;
  onProgress?.({ phase: 'download', loadedBytes: 0, totalBytes: entry.bytes });
  let bytes: Uint8Array;
  try {
    bytes = await getModelFetcher()(url, entry, {
      onProgress: (p) =>
        onProgress?.({
          phase: 'download',
          loadedBytes: p.loadedBytes,
          totalBytes: p.totalBytes,
          ...(p.bytesPerSecond !== undefined ? { bytesPerSecond: p.bytesPerSecond } : {}),
          ...(p.etaSeconds !== undefined ? { etaSeconds: p.etaSeconds } : {}),
        }),
    });
  } catch (err) {
    throw toEngineError(err, 'download', `downloading the ${entry.name} model`);
  }
  await beforeCreate?.();
  onProgress?.({ phase: 'session' });
  const t0 = performance.now();
  const open = await createSession(bytes, {
    backend: choice.backend,
    threads: choice.threads,
    ...(options.debugFailWebGpu ? { debugFailWebGpu: true } : {}),
  });
  return { open, bytes: bytes.byteLength, sessionMs: performance.now() - t0 };
}

function watchDeviceLoss(loaded: Loaded): void {
  void loaded.open.deviceLost.then((reason) => {
    if (current === loaded) loaded.lostReason = reason;
  });
}

async function release(loaded: Loaded | null): Promise<void> {
  if (!loaded) return;
  try {
    await loaded.open.session.release();
  } catch {
    // Releasing a session on a lost device can throw; the memory goes with the device anyway.
  }
}

/** Opens WASM after WebGPU failed; `error` says why, for the reasons list and `fallbackFrom`. */
async function openWasmFallback(
  manifest: ModelManifest,
  manifestUrl: string,
  failed: BackendChoice,
  options: LoadOptions,
  error: string,
  onProgress?: (p: LoadProgress) => void,
): Promise<{ choice: BackendChoice; open: OpenSession; bytes: number; sessionMs: number }> {
  const overrides = { ...(options.variant ? { variant: options.variant } : {}), ...(options.threads ? { threads: options.threads } : {}) };
  const choice = fallbackChoice(failed, await probe(), manifest.variants.map((v) => v.name), overrides, error);
  const opened = await openVariant(manifest, manifestUrl, choice, options, onProgress);
  return { choice, ...opened };
}

async function load(options: LoadOptions = {}, onProgress?: (p: LoadProgress) => void): Promise<LoadResult> {
  const manifestUrl = new URL(options.manifestUrl ?? DEFAULT_MANIFEST_URL, self.location.href).href;
  onProgress?.({ phase: 'manifest' });
  const manifest = await fetchManifest(manifestUrl);
  const available = manifest.variants.map((v) => v.name);
  const overrides = {
    ...(options.backend ? { backend: options.backend } : {}),
    ...(options.variant ? { variant: options.variant } : {}),
    ...(options.threads ? { threads: options.threads } : {}),
  };
  const choice = chooseBackend(await probe(), available, overrides);

  // Same model, same choice, healthy session: nothing to do.
  if (
    current &&
    !current.lostReason &&
    current.manifestUrl === manifestUrl &&
    current.manifest.version === manifest.version &&
    current.choice.backend === choice.backend &&
    current.choice.variant === choice.variant &&
    current.choice.threads === choice.threads &&
    Boolean(current.options.debugFailWebGpu) === Boolean(options.debugFailWebGpu)
  ) {
    return current.result;
  }

  // The previous session stays usable until the new one is ready: a failed load changes nothing.
  let final = choice;
  let opened: { open: OpenSession; bytes: number; sessionMs: number };
  let fallbackFrom: LoadResult['fallbackFrom'];
  // Exception to the rule above (onnxruntime-web bug, see `predatesWebGpuRuntime` in ort-session.ts):
  // a WASM session opened before ORT's WebGPU backend started must be released before the first
  // WebGPU session is created. Releasing it afterwards would free the new session's GPU weights and
  // every WebGPU run would fail ("no GPU data for input") and fall back to WASM. It is released
  // after the download, so only a failing session creation (which falls back to WASM) can leave
  // the engine without its previous model, and only until the worker's first WebGPU session exists.
  const releaseIfItPredatesWebGpu = async (): Promise<void> => {
    if (choice.backend !== 'webgpu' || !current?.open.predatesWebGpuRuntime) return;
    const stale = current;
    current = null;
    await release(stale);
  };
  try {
    opened = await openVariant(manifest, manifestUrl, choice, options, onProgress, releaseIfItPredatesWebGpu);
  } catch (err) {
    const e = toEngineError(err, 'session-create', `creating the ${choice.backend} session`);
    if (choice.backend !== 'webgpu' || e.code === 'restart-required' || e.code === 'download' || e.code === 'integrity') throw e;
    fallbackFrom = { backend: 'webgpu', variant: choice.variant, error: e.message };
    const fb = await openWasmFallback(manifest, manifestUrl, choice, options, e.message, onProgress);
    final = fb.choice;
    opened = fb;
  }
  const result: LoadResult = {
    modelId: manifest.id,
    modelVersion: manifest.version,
    backend: final.backend,
    variant: final.variant,
    threads: final.threads,
    reasons: final.reasons,
    bytes: opened.bytes,
    sessionMs: opened.sessionMs,
    ...(fallbackFrom ? { fallbackFrom } : {}),
  };
  const previous = current;
  current = { manifest, manifestUrl, options, choice: final, open: opened.open, result };
  watchDeviceLoss(current);
  await release(previous);
  return result;
}

function requireLoaded(): Loaded {
  if (!current) throw new EngineError('not-loaded', 'No model is loaded in the engine: call load() first.');
  return current;
}

/** After a WebGPU failure (device lost, kernel error): reopen the model on WASM in place and record why. */
async function fallBackToWasm(loaded: Loaded, why: string): Promise<Loaded> {
  const fb = await openWasmFallback(loaded.manifest, loaded.manifestUrl, loaded.choice, loaded.options, why);
  await release(loaded);
  const result: LoadResult = {
    ...loaded.result,
    backend: fb.choice.backend,
    variant: fb.choice.variant,
    threads: fb.choice.threads,
    reasons: fb.choice.reasons,
    bytes: fb.bytes,
    sessionMs: fb.sessionMs,
    fallbackFrom: { backend: loaded.choice.backend, variant: loaded.choice.variant, error: why },
  };
  const next: Loaded = { manifest: loaded.manifest, manifestUrl: loaded.manifestUrl, options: loaded.options, choice: fb.choice, open: fb.open, result };
  current = next;
  return next;
}

/**
 * Runs the session. On WebGPU, a lost device or a failing kernel (driver bugs, missing features
 * such as shader-f16) moves the model to WASM and the run is retried there once.
 */
async function runSession(feeds: Record<string, ort.Tensor>): Promise<{ loaded: Loaded; outputs: ort.InferenceSession.ReturnType }> {
  let loaded = requireLoaded();
  if (loaded.lostReason) loaded = await fallBackToWasm(loaded, `GPU ${loaded.lostReason}`);
  try {
    if (loaded.open.backend === 'webgpu' && loaded.options.debugFailWebGpuRun) {
      throw new Error('simulated kernel failure (debugFailWebGpuRun test hook)');
    }
    return { loaded, outputs: await loaded.open.session.run(feeds) };
  } catch (err) {
    if (loaded.open.backend !== 'webgpu') throw toEngineError(err, 'inference', `running the model on ${loaded.open.backend}`);
    // A device lost mid-run surfaces as a run error; the lost promise settles right after.
    const lost = await Promise.race([loaded.open.deviceLost, new Promise<null>((r) => setTimeout(() => r(null), 50))]);
    const why = lost ? `GPU ${lost}` : `WebGPU run failed: ${(err as Error).message ?? String(err)}`;
    loaded = await fallBackToWasm(loaded, why);
    try {
      return { loaded, outputs: await loaded.open.session.run(feeds) };
    } catch (err2) {
      throw toEngineError(err2, 'inference', 'running the model on WASM after WebGPU failed');
    }
  }
}

function floatOutputs(outputs: ort.InferenceSession.ReturnType): Record<string, FloatOutput> {
  const out: Record<string, FloatOutput> = {};
  for (const [name, t] of Object.entries(outputs)) {
    if (t.type !== 'float32') throw new EngineError('inference', `Model output "${name}" is ${t.type}; the engine expects float32 outputs.`);
    out[name] = { data: t.data as Float32Array, dims: t.dims };
  }
  return out;
}

/** In-worker batch classification for other features (catalogue indexing, recommendations). */
export async function classifyImages(images: RgbaImage[]): Promise<Prediction[]> {
  const { manifest } = requireLoaded();
  const spec = manifest.preprocess;
  let input: ort.Tensor;
  try {
    input = new ort.Tensor('float32', preprocessToTensor(images, spec), inputDims(images.length, spec));
  } catch (err) {
    throw toEngineError(err, 'bad-image', 'preparing the images');
  }
  const { loaded, outputs } = await runSession({ [spec.inputName]: input });
  input.dispose();
  try {
    return decodeOutputs(loaded.manifest, floatOutputs(outputs), images.length);
  } catch (err) {
    throw toEngineError(err, 'manifest', 'reading the model outputs');
  }
}

/** In-worker embeddings (L2-normalised) for visual search and recommendations. */
export async function embedImages(images: RgbaImage[]): Promise<Float32Array[]> {
  return (await classifyImages(images)).map((p) => p.embedding);
}

/** The loaded model's manifest (labels, embedding size), or null before load(). */
export function loadedManifest(): ModelManifest | null {
  return current?.manifest ?? null;
}

export { decodeImage };

async function classify(image: ImageInput): Promise<ClassifyResult> {
  const { manifest } = requireLoaded();
  const t0 = performance.now();
  let input: ort.Tensor;
  try {
    const rgba = await decodeImage(image);
    input = new ort.Tensor('float32', preprocessToTensor([rgba], manifest.preprocess), inputDims(1, manifest.preprocess));
  } catch (err) {
    throw toEngineError(err, 'bad-image', 'decoding the image');
  }
  const t1 = performance.now();
  const { loaded, outputs } = await runSession({ [manifest.preprocess.inputName]: input });
  const t2 = performance.now();
  input.dispose();
  let prediction: Prediction;
  try {
    prediction = decodeOutputs(loaded.manifest, floatOutputs(outputs), 1)[0]!;
  } catch (err) {
    throw toEngineError(err, 'manifest', 'reading the model outputs');
  }
  return {
    ...prediction,
    backend: loaded.open.backend,
    variant: loaded.choice.variant,
    timings: { preprocessMs: t1 - t0, inferenceMs: t2 - t1, totalMs: performance.now() - t0 },
  };
}

async function run(inputs: Record<string, TensorData>): Promise<RunResult> {
  const loaded = requireLoaded();
  const t0 = performance.now();
  const feeds: Record<string, ort.Tensor> = {};
  const expected = loaded.open.session.inputNames;
  for (const [name, t] of Object.entries(inputs)) {
    if (!expected.includes(name)) {
      throw new EngineError('bad-input', `The model has no input "${name}" (its inputs: ${expected.join(', ')}).`);
    }
    const size = t.dims.reduce((a, b) => a * b, 1);
    if (t.type !== 'float32' || !(t.data instanceof Float32Array) || t.data.length !== size) {
      throw new EngineError('bad-input', `Input "${name}" must be float32 with ${size} values for dims [${t.dims.join(', ')}].`);
    }
    feeds[name] = new ort.Tensor('float32', t.data, t.dims);
  }
  const missing = expected.filter((n) => !(n in feeds));
  if (missing.length > 0) throw new EngineError('bad-input', `Missing model input(s): ${missing.join(', ')}.`);
  const t1 = performance.now();
  const { loaded: used, outputs } = await runSession(feeds);
  const t2 = performance.now();
  const result: Record<string, TensorData> = {};
  for (const [name, o] of Object.entries(floatOutputs(outputs))) result[name] = { type: 'float32', data: o.data, dims: [...o.dims] };
  return {
    outputs: result,
    backend: used.open.backend,
    variant: used.choice.variant,
    timings: { preprocessMs: t1 - t0, inferenceMs: t2 - t1, totalMs: performance.now() - t0 },
  };
}

async function dispose(): Promise<void> {
  const previous = current;
  current = null;
  await release(previous);
}

export const engineWorkerApi: EngineWorkerApi = {
  probe,
  async load(options, onProgress) {
    try {
      return await load(options, onProgress);
    } catch (err) {
      throw toEngineError(err, 'session-create', 'loading the model');
    }
  },
  classify,
  run,
  async status(): Promise<EngineStatus> {
    return { loaded: current?.result ?? null, runtimeThreads: getRuntimeThreads() };
  },
  dispose,
  async debugCrash(kind) {
    if (kind === 'hang') {
      // Block the worker's event loop, as a runaway kernel would; only terminate() ends this.
      for (;;) {
        /* spin */
      }
    }
    setTimeout(() => {
      throw new Error('Simulated worker crash (debugCrash test hook).');
    }, 0);
    await new Promise(() => {});
  },
  async debugLoseDevice() {
    const device = current?.open.device;
    if (!device) return false;
    device.destroy();
    const reason = await current!.open.deviceLost;
    if (current) current.lostReason = reason;
    return true;
  },
};
