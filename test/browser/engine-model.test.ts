/**
 * The engine on the real fashion model (models/manifest.json, served by the app under /models/):
 * the automatic choice on SwiftShader WebGPU (no shader-f16 → fp32) and without WebGPU
 * (WASM → int8), and WASM-vs-WebGPU parity.
 *
 * Parity: the fp32 variant on both backends, the same preprocessed batch through `run`.
 * Tolerance: every head probability within 1e-4 absolute, every embedding within cosine 0.9999
 * of the other, and the same top-1 label on every head. Measured on model 0.1.0: max |Δp| 3.5e-6,
 * cosine 1.000000 (see the `[measure]` line) — float32 kernels on SwiftShader and on WASM SIMD
 * only sum in different orders.
 *
 * Photos: a few catalogue and phone photos from ../shared/datasets (DRISHTI_DATASETS) when present,
 * otherwise generated images — parity does not depend on what the photo shows.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseModelManifest, type ModelManifest } from '../../src/shared/model-manifest.ts';
import { inputDims, preprocessToTensor } from '../../src/shared/preprocess.ts';
import { launchChromium, type LaunchedBrowser } from './chromium.ts';
import { classifyInPage, cosineOf, expectLoad, expectResult, loadInPage, makeTestImages, openEnginePage } from './engine-fixtures.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const DATASETS = resolve(ROOT, process.env.DRISHTI_DATASETS ?? '../shared/datasets');
const PROB_ABS_TOL = 1e-4;
const EMBEDDING_MIN_COSINE = 0.9999;
/** SwiftShader runs a 224×224 EfficientNet on the CPU: tens of seconds per batch on a busy machine. */
const SLOW_MS = 300_000;

let manifest: ModelManifest;
let photos: Buffer[];

/** Up to `n` files of a folder, in name order (deterministic). */
function firstFiles(dir: string, n: number): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.(jpe?g|png)$/i.test(f))
    .sort()
    .slice(0, n)
    .map((f) => join(dir, f));
}

beforeAll(async () => {
  manifest = parseModelManifest(JSON.parse(readFileSync(join(ROOT, 'models/manifest.json'), 'utf8')), 'models/manifest.json');
  const files = [
    ...firstFiles(join(DATASETS, 'fashion-product-images/images'), 2),
    ...firstFiles(join(DATASETS, 'clothing-photos/validation/shirt'), 1),
  ];
  photos = files.length > 0 ? files.map((f) => readFileSync(f)) : (await makeTestImages()).slice(0, 3);
});

async function preprocessed(): Promise<{ b64: string; dims: number[] }> {
  const rgb = await Promise.all(
    photos.map(async (bytes) => {
      const { data, info } = await sharp(bytes).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
      return { data: new Uint8Array(data), width: info.width, height: info.height, channels: 3 as const };
    }),
  );
  const input = preprocessToTensor(rgb, manifest.preprocess);
  return { b64: Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('base64'), dims: inputDims(rgb.length, manifest.preprocess) };
}

/** Runs the preprocessed batch through `engine.run` in the page; outputs come back as plain arrays. */
async function runBatch(b: LaunchedBrowser, b64: string, dims: number[]): Promise<{ outputs: Record<string, number[]>; backend: string; inferenceMs: number }> {
  return b.page.evaluate(
    async ({ b64, dims, name, timeoutMs }) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const data = new Float32Array(bytes.buffer);
      const r = await globalThis.__drishti!.engine.run({ [name]: { type: 'float32', data, dims } }, { timeoutMs });
      const outputs: Record<string, number[]> = {};
      for (const [k, t] of Object.entries(r.outputs)) outputs[k] = Array.from(t.data);
      return { outputs, backend: r.backend, inferenceMs: r.timings.inferenceMs };
    },
    { b64, dims, name: manifest.preprocess.inputName, timeoutMs: SLOW_MS },
  );
}

describe('real model on SwiftShader WebGPU and on WASM', { timeout: 2 * SLOW_MS }, () => {
  let b: LaunchedBrowser;
  beforeAll(async () => {
    b = await launchChromium({ webgpu: true });
  });
  afterAll(async () => {
    await b?.close();
  });

  it('chooses WebGPU + fp32 for the embedded model (no shader-f16 on SwiftShader) and says why', async () => {
    const load = await openEnginePage(b.page, inject('baseUrl'), {});
    const probe = await b.page.evaluate(() => globalThis.__drishti!.engine.probe());
    expect(probe.webgpu).toMatchObject({ available: true, shaderF16: false });
    expect(load).toMatchObject({ modelId: manifest.id, modelVersion: manifest.version, backend: 'webgpu', variant: 'fp32' });
    expect(load.reasons.join(' | ')).toMatch(/adapter has no shader-f16 → fp32 variant/);
    expect(load.fallbackFrom).toBeUndefined();
  });

  it(`gives the same outputs on WASM and WebGPU (fp32; |Δp| ≤ ${PROB_ABS_TOL}, embedding cosine ≥ ${EMBEDDING_MIN_COSINE}, same top-1)`, async () => {
    const { b64, dims } = await preprocessed();
    const gpuLoad = expectLoad(await loadInPage(b.page, { backend: 'webgpu', variant: 'fp32' }));
    const gpu = await runBatch(b, b64, dims);
    const cpuLoad = expectLoad(await loadInPage(b.page, { backend: 'wasm', variant: 'fp32' }));
    const cpu = await runBatch(b, b64, dims);
    expect([gpu.backend, cpu.backend]).toEqual(['webgpu', 'wasm']);

    const batch = dims[0]!;
    let worstProb = 0;
    for (const head of manifest.heads) {
      const n = head.labels.length;
      const g = gpu.outputs[head.output]!;
      const c = cpu.outputs[head.output]!;
      expect(g).toHaveLength(batch * n);
      expect(c).toHaveLength(batch * n);
      for (let i = 0; i < g.length; i++) worstProb = Math.max(worstProb, Math.abs(g[i]! - c[i]!));
      for (let k = 0; k < batch; k++) {
        const argmax = (v: number[]): number => v.indexOf(Math.max(...v));
        expect(argmax(g.slice(k * n, (k + 1) * n)), `top-1 ${head.name} of photo ${k}`).toBe(argmax(c.slice(k * n, (k + 1) * n)));
      }
    }
    const d = manifest.embedding.dims;
    let worstCos = 1;
    for (let k = 0; k < batch; k++) {
      const e1 = gpu.outputs[manifest.embedding.output]!.slice(k * d, (k + 1) * d);
      const e2 = cpu.outputs[manifest.embedding.output]!.slice(k * d, (k + 1) * d);
      worstCos = Math.min(worstCos, cosineOf(e1, e2));
    }
    console.log(
      `[measure] ${manifest.id} ${manifest.version} fp32, batch ${batch}: WebGPU(SwiftShader) session ${gpuLoad.sessionMs.toFixed(0)} ms, ` +
        `run ${gpu.inferenceMs.toFixed(0)} ms; WASM session ${cpuLoad.sessionMs.toFixed(0)} ms, run ${cpu.inferenceMs.toFixed(0)} ms; ` +
        `max |Δp| ${worstProb.toExponential(2)}, min embedding cosine ${worstCos.toFixed(6)}`,
    );
    expect(worstProb).toBeLessThanOrEqual(PROB_ABS_TOL);
    expect(worstCos).toBeGreaterThanOrEqual(EMBEDDING_MIN_COSINE);
  });
});

describe('real model without WebGPU', { timeout: SLOW_MS }, () => {
  let b: LaunchedBrowser;
  beforeAll(async () => {
    b = await launchChromium();
  });
  afterAll(async () => {
    await b?.close();
  });

  it('chooses WASM + int8 with min(4, cores) threads and classifies a photo with timings', async () => {
    const load = await openEnginePage(b.page, inject('baseUrl'), {});
    const probe = await b.page.evaluate(() => globalThis.__drishti!.engine.probe());
    expect(probe.webgpu.available).toBe(false);
    expect(load).toMatchObject({ backend: 'wasm', variant: 'int8', threads: Math.min(4, probe.wasm.hardwareConcurrency) });
    expect(load.reasons.join(' | ')).toMatch(/WASM → int8/);
    const r = expectResult(await classifyInPage(b.page, photos[0]!, { timeoutMs: SLOW_MS }));
    expect(r.backend).toBe('wasm');
    expect(r.heads.map((h) => h.head)).toEqual(manifest.heads.map((h) => h.name));
    expect(r.embedding).toHaveLength(manifest.embedding.dims);
    expect(r.timings.inferenceMs).toBeGreaterThan(0);
    console.log(
      `[measure] ${manifest.id} wasm/int8 ×${load.threads}: session ${load.sessionMs.toFixed(0)} ms (first, with runtime start), ` +
        `preprocess ${r.timings.preprocessMs.toFixed(1)} ms, inference ${r.timings.inferenceMs.toFixed(0)} ms (first run)`,
    );
  });
});
