/**
 * The bench runner against an engine stand-in that runs the tiny fixture model in
 * onnxruntime-web under Node: real sessions, real outputs, so agreement and timings are real.
 */
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { agreementWith, labelAccuracy, orderCombinations, runBench, type BenchEngine, type LabelledImage } from '../../src/features/bench/client/bench-runner.ts';
import { validateBenchReport, type BenchConfig } from '../../src/features/bench/shared/bench-report.ts';
import type { LoadOptions, LoadResult, ProbeResult, TensorData } from '../../src/features/engine/shared/engine-api.ts';
import { parseModelManifest } from '../../src/shared/model-manifest.ts';
import { decodeOutputs, type FloatOutput, type Prediction } from '../../src/shared/model-output.ts';
import { inputDims, preprocessToTensor, type RgbaImage } from '../../src/shared/preprocess.ts';
import { TINY_MACS, tinyModelFolder } from './bench-onnx-fixture.ts';

const folder = tinyModelFolder();
const manifest = parseModelManifest(JSON.parse(new TextDecoder().decode(folder.get('manifest.json'))), 'fixture');
const fetchBytes = async (url: string): Promise<Uint8Array> => {
  const name = new URL(url, 'http://localhost/').pathname.split('/').pop()!;
  const bytes = folder.get(name);
  if (!bytes) throw new Error(`404 ${url}`);
  return bytes;
};

const PROBE: ProbeResult = {
  webgpu: { available: false, shaderF16: false, error: 'not in Node' },
  wasm: { simd: true, threads: false, crossOriginIsolated: false, hardwareConcurrency: 2 },
  userAgent: 'node',
};

/** Node stand-in for the worker engine; WebGPU loads fail as they would without an adapter. */
function nodeEngine(): BenchEngine & { loads: LoadOptions[] } {
  let session: ort.InferenceSession | null = null;
  let loaded: LoadResult | null = null;
  const loads: LoadOptions[] = [];
  const toOutputs = (r: ort.InferenceSession.ReturnType): Record<string, FloatOutput> =>
    Object.fromEntries(Object.entries(r).map(([k, t]) => [k, { data: t.data as Float32Array, dims: t.dims }]));
  return {
    loads,
    probe: async () => PROBE,
    async load(options) {
      loads.push(options);
      if (options.backend === 'webgpu') throw new Error('backend-unavailable: no WebGPU adapter');
      const entry = manifest.variants.find((v) => v.name === options.variant)!;
      const t0 = performance.now();
      await session?.release();
      session = await ort.InferenceSession.create(folder.get(entry.file)!);
      loaded = {
        modelId: manifest.id,
        modelVersion: manifest.version,
        backend: 'wasm',
        variant: entry.name,
        threads: options.threads ?? 1,
        reasons: [],
        bytes: entry.bytes,
        sessionMs: performance.now() - t0,
      };
      return loaded;
    },
    async classify(image: RgbaImage) {
      const spec = manifest.preprocess;
      const x = new ort.Tensor('float32', preprocessToTensor([image], spec), inputDims(1, spec));
      const [p] = decodeOutputs(manifest, toOutputs(await session!.run({ image: x })), 1);
      return { ...p!, timings: { preprocessMs: 0, inferenceMs: 1, totalMs: 1 }, backend: 'wasm', variant: loaded!.variant };
    },
    async run(inputs: Record<string, TensorData>) {
      const feeds = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, new ort.Tensor('float32', t.data, t.dims)]));
      const t0 = performance.now();
      const out = await session!.run(feeds);
      const ms = performance.now() - t0;
      const outputs = Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { type: 'float32' as const, data: t.data as Float32Array, dims: [...t.dims] }]));
      return { outputs, timings: { preprocessMs: 0, inferenceMs: ms, totalMs: ms }, backend: 'wasm', variant: loaded!.variant };
    },
  };
}

function image(seed: number): RgbaImage {
  const data = new Uint8Array(20 * 12 * 3).map((_, i) => (i * (seed + 3) * 29) & 255);
  return { data, width: 20, height: 12, channels: 3 };
}

const IMAGES: LabelledImage[] = [0, 1, 2, 3].map((i) => ({ name: `img${i}`, pixels: image(i), labels: { articleType: 'Shirts' } }));

const CONFIG: BenchConfig = {
  manifestUrl: '/fixture/manifest.json',
  variants: ['int8', 'fp32'],
  backends: [
    { backend: 'wasm', threads: 1 },
    { backend: 'webgpu', threads: 1 },
    { backend: 'wasm', threads: 2 },
  ],
  batches: [1, 8],
  warmupRuns: 1,
  timedRuns: 4,
  budgetMsPerBatch: 5000,
};

describe('bench runner', () => {
  it('measures every (backend, variant, batch), counts MACs, reports failures, and the report is well-formed', async () => {
    const engine = nodeEngine();
    const progress: number[] = [];
    const report = await runBench(engine, CONFIG, IMAGES, { clockGhz: 2.6, fetchBytes, onProgress: (p) => progress.push(p.done) });
    validateBenchReport(JSON.parse(JSON.stringify(report)), 'runner');

    // fp32 on WASM with the most threads goes first (the agreement reference); then backend by backend.
    expect(engine.loads.map((l) => `${l.backend}-${l.threads}-${l.variant}`)).toEqual([
      'wasm-2-fp32', 'wasm-2-int8', 'wasm-1-fp32', 'wasm-1-int8', 'webgpu-1-fp32', 'webgpu-1-int8',
    ]);
    expect(report.rows.map((r) => `${r.threads}-${r.variant}-${r.batch}`)).toEqual([
      '2-fp32-1', '2-fp32-8', '2-int8-1', '2-int8-8', '1-fp32-1', '1-fp32-8', '1-int8-1', '1-int8-8',
    ]);
    expect(report.failures.map((f) => `${f.backend} ${f.variant}`)).toEqual(['webgpu fp32', 'webgpu int8']);
    expect(report.failures[0]!.message).toMatch(/Session creation failed.*no WebGPU adapter/);

    expect(report.compute?.macsPerImage).toBe(TINY_MACS);
    expect(report.images).toMatchObject({ count: 4, labelled: 4, referenceBackend: 'WASM 2 threads' });
    for (const r of report.rows) {
      expect(r.runs).toBeGreaterThanOrEqual(3);
      expect(r.floorMs! * r.floorMultiple!).toBeCloseTo(r.p50Ms, 6);
      // batch 8 costs eight images' MACs
      expect(r.floorMs).toBeCloseTo(((TINY_MACS * r.batch) / (r.threads * (r.variant === 'int8' ? 16 : 8) * 2.6e9)) * 1000, 9);
      expect(r.bytes).toBe(manifest.variants.find((v) => v.name === r.variant)!.bytes);
    }
    const fp32 = report.rows.filter((r) => r.variant === 'fp32');
    expect(fp32.every((r) => r.agreement === 1 && Math.abs(r.embeddingCosine! - 1) < 1e-6)).toBe(true);
    expect(progress.at(-1)).toBeGreaterThan(progress[0]!);
  }, 60_000);

  it('notices when the engine switches backend while running (runtime fallback) and labels the row by what ran', async () => {
    const inner = nodeEngine();
    // WebGPU "loads", then every result says WASM ran, as after a failing WebGPU run.
    const engine: BenchEngine = {
      ...inner,
      load: async (o) => ({ ...(await inner.load({ ...o, backend: 'wasm' })), backend: o.backend ?? 'wasm' }),
      status: async () => ({
        runtimeThreads: 1,
        loaded: { modelId: 'm', modelVersion: '1', backend: 'wasm', variant: 'int8', threads: 1, reasons: [], bytes: 1, sessionMs: 1, fallbackFrom: { backend: 'webgpu', variant: 'int8', error: 'WebGPU run failed: boom' } },
      }),
    };
    const report = await runBench(engine, { ...CONFIG, variants: ['int8'], backends: [{ backend: 'webgpu', threads: 1 }], batches: [1] }, IMAGES, { clockGhz: 3, fetchBytes });
    expect(report.rows).toHaveLength(1);
    expect(report.rows[0]).toMatchObject({ backend: 'wasm', variant: 'int8' });
    expect(report.rows[0]!.note).toMatch(/switched from webgpu\/int8 to wasm\/int8 while running \(runtime fallback: WebGPU run failed: boom\)/);
  }, 60_000);

  it('without images it times a synthetic batch and reports no agreement', async () => {
    const report = await runBench(nodeEngine(), { ...CONFIG, backends: [{ backend: 'wasm', threads: 1 }], batches: [2] }, [], { clockGhz: 3, fetchBytes });
    expect(report.rows).toHaveLength(2);
    expect(report.rows.every((r) => r.agreement === null && r.accuracy === null)).toBe(true);
    expect(report.images.source).toMatch(/synthetic/);
  }, 60_000);

  it('refuses an impossible configuration before touching the engine', async () => {
    const engine = nodeEngine();
    await expect(runBench(engine, { ...CONFIG, timedRuns: 1 }, [], { clockGhz: 3, fetchBytes })).rejects.toThrow(/at least 3/);
    await expect(runBench(engine, { ...CONFIG, variants: [] }, [], { clockGhz: 3, fetchBytes })).rejects.toThrow(/variant/);
    expect(engine.loads).toEqual([]);
  });

  it('explains a manifest address that serves something else', async () => {
    const html = async () => new TextEncoder().encode('<!doctype html><title>Drishti</title>');
    await expect(runBench(nodeEngine(), CONFIG, [], { clockGhz: 3, fetchBytes: html })).rejects.toThrow(/manifest \/fixture\/manifest\.json is not JSON/);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(runBench(nodeEngine(), CONFIG, IMAGES, { clockGhz: 3, fetchBytes, signal: controller.signal })).rejects.toThrow(/stopped/);
  });

  it('orders the reference first even when fp32 is listed last', () => {
    const order = orderCombinations({ ...CONFIG, variants: ['int8', 'fp16', 'fp32'] }).map((c) => `${c.choice.backend}${c.choice.threads}-${c.variant}`);
    expect(order.slice(0, 3)).toEqual(['wasm2-fp32', 'wasm2-int8', 'wasm2-fp16']);
  });
});

describe('agreement and accuracy', () => {
  const pred = (ids: string[], emb: number[]): Prediction => ({
    heads: ids.map((id, i) => ({ head: `h${i}`, top: [{ id, en: id, hi: id, score: 0.9 }] })),
    embedding: Float32Array.from(emb),
  });

  it('is the share of matching top-1 labels over images × heads, with the mean embedding cosine', () => {
    const ref = [pred(['a', 'x'], [1, 0]), pred(['b', 'y'], [0, 1])];
    const cand = [pred(['a', 'x'], [1, 0]), pred(['c', 'y'], [1, 0])];
    const { agreement, cosine } = agreementWith(ref, cand);
    expect(agreement).toBe(0.75);
    expect(cosine).toBeCloseTo(0.5, 10);
    expect(() => agreementWith(ref, cand.slice(1))).toThrow(RangeError);
  });

  it('scores accuracy on the first labelled head, skipping unlabelled images', () => {
    const imgs: LabelledImage[] = [
      { name: 'a', pixels: image(0), labels: { h1: 'x' } },
      { name: 'b', pixels: image(1), labels: { h1: 'z' } },
      { name: 'c', pixels: image(2) },
    ];
    const preds = [pred(['a', 'x'], [1]), pred(['b', 'y'], [1]), pred(['c', 'y'], [1])];
    expect(labelAccuracy(imgs, preds)).toBe(0.5);
    expect(labelAccuracy([{ name: 'd', pixels: image(0) }], [preds[0]!])).toBeNull();
  });
});
