/**
 * Runs a benchmark in the page through the engine's worker API: for each (backend, variant) it
 * creates the session (timed by the engine), classifies the labelled images (agreement with fp32),
 * then, per batch size, warms up and times `run` on a preprocessed batch. Nothing here asserts
 * speed; it measures and reports.
 */
import { cosine, type Prediction } from '../../../shared/model-output.ts';
import { parseModelManifest, type BackendName, type ModelManifest, type VariantName } from '../../../shared/model-manifest.ts';
import { preprocessToTensor, type RgbaImage } from '../../../shared/preprocess.ts';
import type {
  ClassifyResult,
  EngineStatus,
  LoadOptions,
  LoadResult,
  ProbeResult,
  RunResult,
  TensorData,
} from '../../engine/shared/engine-api.ts';
import {
  BENCH_REPORT_SCHEMA,
  backendLabel,
  type BackendChoice,
  type BenchConfig,
  type BenchFailure,
  type BenchReport,
  type BenchRow,
  type ComputeInfo,
} from '../shared/bench-report.ts';
import { defaultAssumption, floorMs, isCpuAdapter } from '../shared/compute-floor.ts';
import { decodeOnnx } from '../shared/onnx-graph.ts';
import { countMacs } from '../shared/onnx-macs.ts';
import { summarize } from '../shared/stats.ts';

/** The part of the engine bridge the bench uses (the bridge satisfies it structurally). */
export interface BenchEngine {
  probe(): Promise<ProbeResult>;
  load(options: LoadOptions): Promise<LoadResult>;
  classify(image: RgbaImage): Promise<ClassifyResult>;
  run(inputs: Record<string, TensorData>): Promise<RunResult>;
  /** Optional: lets the report say why the engine switched backend at run time. */
  status?(): Promise<EngineStatus>;
}

/** An image for the agreement check; `labels` maps head name → label id when known. */
export interface LabelledImage {
  name: string;
  pixels: RgbaImage;
  labels?: Record<string, string>;
}

export interface BenchProgress {
  done: number;
  total: number;
  message: string;
}

export interface BenchRunOptions {
  clockGhz: number;
  onProgress?: (p: BenchProgress) => void;
  onRow?: (row: BenchRow) => void;
  signal?: AbortSignal;
  /** Injected for tests; defaults to fetch. */
  fetchBytes?: (url: string) => Promise<Uint8Array>;
}

export class BenchAbortedError extends Error {
  override name = 'AbortError';
}

async function defaultFetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`Fetching ${url} failed with HTTP ${res.status}.`);
  return new Uint8Array(await res.arrayBuffer());
}

const now = (): number => performance.now();
const errorText = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

/** Agreement of predictions with the fp32 reference: share of matching top-1 per (image, head). */
export function agreementWith(reference: Prediction[], candidate: Prediction[]): { agreement: number; cosine: number } {
  if (reference.length !== candidate.length || reference.length === 0) {
    throw new RangeError(`agreement needs the same non-zero number of predictions (${reference.length} vs ${candidate.length})`);
  }
  let same = 0;
  let pairs = 0;
  let cos = 0;
  reference.forEach((ref, i) => {
    const cand = candidate[i]!;
    ref.heads.forEach((h, j) => {
      pairs++;
      if (h.top[0]?.id !== undefined && h.top[0].id === cand.heads[j]?.top[0]?.id) same++;
    });
    cos += cosine(ref.embedding, cand.embedding);
  });
  return { agreement: pairs === 0 ? 0 : same / pairs, cosine: cos / reference.length };
}

/** Top-1 accuracy on the first head that has labels, or null when no image is labelled. */
export function labelAccuracy(images: LabelledImage[], predictions: Prediction[]): number | null {
  const head = predictions[0]?.heads.find((h) => images.some((img) => img.labels?.[h.head] !== undefined))?.head;
  if (!head) return null;
  let right = 0;
  let total = 0;
  images.forEach((img, i) => {
    const want = img.labels?.[head];
    if (want === undefined) return;
    total++;
    if (predictions[i]?.heads.find((h) => h.head === head)?.top[0]?.id === want) right++;
  });
  return total === 0 ? null : right / total;
}

/** A deterministic stand-in image (a colour gradient) when no images were given. */
function syntheticImage(size: number, seed: number): RgbaImage {
  const data = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const o = (y * size + x) * 3;
      data[o] = (x * 255) / size;
      data[o + 1] = (y * 255) / size;
      data[o + 2] = (seed * 37 + x + y) & 255;
    }
  }
  return { data, width: size, height: size, channels: 3 };
}

function batchTensor(manifest: ModelManifest, images: LabelledImage[], batch: number): TensorData {
  const spec = manifest.preprocess;
  const pool = images.length > 0 ? images.map((i) => i.pixels) : [syntheticImage(spec.size, 0), syntheticImage(spec.size, 1)];
  const chosen = Array.from({ length: batch }, (_, i) => pool[i % pool.length]!);
  return { type: 'float32', data: preprocessToTensor(chosen, spec), dims: [batch, 3, spec.size, spec.size] };
}

interface Combination {
  choice: BackendChoice;
  variant: VariantName;
}

/**
 * Backend-major order (a WASM thread-count change restarts the worker, so each backend's variants
 * run together), with fp32 on WASM with the most threads first: it is the agreement reference.
 */
export function orderCombinations(config: BenchConfig): Combination[] {
  const wasm = config.backends.filter((b) => b.backend === 'wasm');
  const ref = wasm.reduce<BackendChoice | undefined>((best, b) => (!best || b.threads > best.threads ? b : best), undefined);
  const backends = ref && config.variants.includes('fp32') ? [ref, ...config.backends.filter((b) => b !== ref)] : config.backends;
  const variants = [...config.variants].sort((a, b) => (a === 'fp32' ? -1 : b === 'fp32' ? 1 : 0));
  return backends.flatMap((choice) => variants.map((variant) => ({ choice, variant })));
}

export function validateConfig(config: BenchConfig): void {
  if (config.variants.length === 0) throw new RangeError('Choose at least one model variant.');
  if (config.backends.length === 0) throw new RangeError('Choose at least one backend.');
  if (config.batches.length === 0 || config.batches.some((b) => !Number.isInteger(b) || b < 1 || b > 64)) {
    throw new RangeError('Batch sizes must be whole numbers from 1 to 64.');
  }
  if (!Number.isInteger(config.timedRuns) || config.timedRuns < 3) throw new RangeError('Timed runs must be a whole number, at least 3.');
  if (!Number.isInteger(config.warmupRuns) || config.warmupRuns < 0) throw new RangeError('Warm-up runs must be a whole number ≥ 0.');
  for (const b of config.backends) {
    if (b.backend === 'wasm' && (!Number.isInteger(b.threads) || b.threads < 1)) throw new RangeError('WASM threads must be a whole number ≥ 1.');
  }
}

async function countCompute(manifest: ModelManifest, manifestUrl: string, clockGhz: number, fetchBytes: (url: string) => Promise<Uint8Array>): Promise<ComputeInfo> {
  // Every variant has the same graph shape; the smallest file is the cheapest to read.
  const smallest = [...manifest.variants].sort((a, b) => a.bytes - b.bytes)[0]!;
  const url = new URL(smallest.file, new URL(manifestUrl, globalThis.location?.href ?? 'http://localhost/')).href;
  const graph = decodeOnnx(await fetchBytes(url), url);
  const spec = manifest.preprocess;
  const count = countMacs(graph, [1, 3, spec.size, spec.size]);
  return {
    macsPerImage: count.macsPerImage,
    byOpType: count.byOpType,
    uncounted: count.uncounted,
    countedVariant: smallest.name,
    assumption: defaultAssumption(clockGhz),
  };
}

export async function runBench(engine: BenchEngine, config: BenchConfig, images: LabelledImage[], options: BenchRunOptions): Promise<BenchReport> {
  validateConfig(config);
  const started = now();
  const fetchBytes = options.fetchBytes ?? defaultFetchBytes;
  const checkAbort = () => {
    if (options.signal?.aborted) throw new BenchAbortedError('The benchmark was stopped.');
  };
  const combos = orderCombinations(config);
  const needsReference = images.length > 0 && !(combos[0]?.variant === 'fp32' && combos[0].choice.backend === 'wasm');
  const total = combos.length * (1 + config.batches.length) + (needsReference ? 1 : 0) + 2;
  let done = 0;
  const progress = (message: string) => options.onProgress?.({ done: ++done, total, message });

  const probe = await engine.probe();
  progress('Probed the device');
  const manifestBytes = await fetchBytes(config.manifestUrl);
  let manifestJson: unknown;
  try {
    manifestJson = JSON.parse(new TextDecoder().decode(manifestBytes));
  } catch (err) {
    throw new Error(`The model manifest ${config.manifestUrl} is not JSON (${(err as Error).message}). Is the address right?`);
  }
  const manifest = parseModelManifest(manifestJson, config.manifestUrl);
  let compute: ComputeInfo | null = null;
  const failures: BenchFailure[] = [];
  try {
    compute = await countCompute(manifest, config.manifestUrl, options.clockGhz, fetchBytes);
  } catch (err) {
    failures.push({ backend: 'wasm', threads: 0, variant: 'fp32', message: `Counting the model's MACs failed: ${errorText(err)}` });
  }
  progress('Counted the model’s multiply-accumulates');

  let reference: Prediction[] | null = null;
  let referenceBackend: string | null = null;
  const classifyAll = async (): Promise<ClassifyResult[]> => {
    const out: ClassifyResult[] = [];
    for (const img of images) {
      checkAbort();
      out.push(await engine.classify(img.pixels));
    }
    return out;
  };
  if (needsReference) {
    const threads = Math.max(1, ...config.backends.filter((b) => b.backend === 'wasm').map((b) => b.threads));
    try {
      await engine.load({ manifestUrl: config.manifestUrl, backend: 'wasm', variant: 'fp32', threads });
      reference = await classifyAll();
      referenceBackend = backendLabel('wasm', threads);
    } catch (err) {
      failures.push({ backend: 'wasm', threads, variant: 'fp32', message: `The fp32 reference for agreement failed: ${errorText(err)}` });
    }
    progress('fp32 reference predictions');
  }

  const rows: BenchRow[] = [];
  const adapterOnCpu = isCpuAdapter(probe.webgpu.adapter);
  for (const { choice, variant } of combos) {
    checkAbort();
    const label = `${backendLabel(choice.backend, choice.threads)} ${variant}`;
    let loaded: LoadResult;
    try {
      loaded = await engine.load({ manifestUrl: config.manifestUrl, backend: choice.backend, variant, threads: choice.threads });
    } catch (err) {
      failures.push({ ...choice, variant, message: `Session creation failed: ${errorText(err)}` });
      done += config.batches.length;
      progress(`${label}: failed`);
      continue;
    }
    progress(`${label}: session ${loaded.sessionMs.toFixed(0)} ms`);
    const note = loaded.fallbackFrom
      ? `asked for ${backendLabel(loaded.fallbackFrom.backend, choice.threads)} ${loaded.fallbackFrom.variant}, ran ${backendLabel(loaded.backend, loaded.threads)} ${loaded.variant} (${loaded.fallbackFrom.error})`
      : loaded.backend !== choice.backend || loaded.variant !== variant
        ? `asked for ${backendLabel(choice.backend, choice.threads)} ${variant}, ran ${backendLabel(loaded.backend, loaded.threads)} ${loaded.variant}`
        : undefined;
    // The engine may switch backend mid-session (a failing WebGPU run falls back to WASM); results say what really ran.
    const ranAs = new Set<string>();
    const expected = `${loaded.backend}/${loaded.variant}`;
    const track = (r: { backend: BackendName; variant: VariantName }) => ranAs.add(`${r.backend}/${r.variant}`);

    let agreement: number | null = null;
    let embeddingCosine: number | null = null;
    let accuracy: number | null = null;
    try {
      if (images.length > 0) {
        const predictions = await classifyAll();
        predictions.forEach(track);
        if (!reference && loaded.variant === 'fp32' && loaded.backend === 'wasm') {
          reference = predictions;
          referenceBackend = backendLabel('wasm', loaded.threads);
        }
        if (reference) ({ agreement, cosine: embeddingCosine } = agreementWith(reference, predictions));
        accuracy = labelAccuracy(images, predictions);
      }
      for (const batch of config.batches) {
        checkAbort();
        const input = batchTensor(manifest, images, batch);
        const feeds = (): Record<string, TensorData> => ({
          // A fresh copy per call: the bridge may transfer (detach) the buffer to the worker.
          [manifest.preprocess.inputName]: { type: 'float32', data: input.data.slice(), dims: input.dims },
        });
        // Warm-up stops early on a slow backend (SwiftShader takes seconds per run): one run, then the budget.
        const warmStart = now();
        for (let i = 0; i < config.warmupRuns && (i < 1 || now() - warmStart < config.budgetMsPerBatch / 2); i++) track(await engine.run(feeds()));
        let last: { backend: BackendName; variant: VariantName } = loaded;
        const inference: number[] = [];
        const roundTrip: number[] = [];
        const budgetStart = now();
        while (inference.length < config.timedRuns && (inference.length < 3 || now() - budgetStart < config.budgetMsPerBatch)) {
          checkAbort();
          const f = feeds();
          const t0 = now();
          const result = await engine.run(f);
          roundTrip.push(now() - t0);
          track(result);
          last = result;
          inference.push(result.timings.inferenceMs);
        }
        const stats = summarize(inference, batch);
        const floor = compute
          ? floorMs(
              {
                macsPerImage: compute.macsPerImage,
                batch,
                variant: last.variant,
                backend: last.backend,
                threads: loaded.threads,
                hardwareConcurrency: probe.wasm.hardwareConcurrency,
                webgpuOnCpu: adapterOnCpu,
              },
              compute.assumption,
            )
          : null;
        const switched = [...ranAs].filter((k) => k !== expected);
        const why = switched.length && engine.status ? (await engine.status().catch(() => null))?.loaded?.fallbackFrom?.error : undefined;
        const rowNote = [
          note,
          switched.length
            ? `the engine switched from ${expected} to ${switched.join(', ')} while running (runtime fallback${why ? `: ${why}` : ''}); timings are of ${last.backend}/${last.variant}`
            : undefined,
        ]
          .filter(Boolean)
          .join('; ');
        const row: BenchRow = {
          backend: last.backend,
          threads: last.backend === 'wasm' ? loaded.threads : 0,
          variant: last.variant,
          batch,
          runs: stats.runs,
          p50Ms: stats.p50Ms,
          p95Ms: stats.p95Ms,
          minMs: stats.minMs,
          meanMs: stats.meanMs,
          roundTripP50Ms: summarize(roundTrip, batch).p50Ms,
          imagesPerSecond: stats.imagesPerSecond,
          sessionMs: loaded.sessionMs,
          bytes: loaded.bytes,
          agreement,
          embeddingCosine,
          accuracy,
          floorMs: floor,
          floorMultiple: floor ? stats.p50Ms / floor : null,
          ...(rowNote ? { note: rowNote } : {}),
        };
        rows.push(row);
        options.onRow?.(row);
        progress(`${label} batch ${batch}: p50 ${stats.p50Ms.toFixed(1)} ms`);
      }
    } catch (err) {
      if (err instanceof BenchAbortedError) throw err;
      failures.push({ ...choice, variant, message: `Running failed: ${errorText(err)}` });
    }
  }

  return {
    schema: BENCH_REPORT_SCHEMA,
    createdAt: new Date().toISOString(),
    model: { id: manifest.id, version: manifest.version, manifestUrl: config.manifestUrl },
    probe,
    compute,
    images: {
      count: images.length,
      labelled: images.filter((i) => i.labels && Object.keys(i.labels).length > 0).length,
      source: config.imageSetUrl ?? (images.length > 0 ? 'chosen files' : 'none (synthetic input; no agreement)'),
      referenceBackend: reference ? referenceBackend : null,
    },
    config,
    rows,
    failures,
    totalMs: now() - started,
  };
}
