/**
 * The engine in real Chromium: automatic backend choice, WASM-vs-WebGPU parity, overrides, and
 * the WebGPU → WASM fallbacks (session creation failure, device loss).
 *
 * Parity tolerance (fp32 on both backends, same preprocessed input through `run`): every output
 * value within 1e-3 absolute (probabilities and embedding components), embedding cosine ≥ 0.9999.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import sharp from 'sharp';
import { preprocessToTensor, inputDims } from '../../src/shared/preprocess.ts';
import { parseModelManifest, type ModelManifest } from '../../src/shared/model-manifest.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, type LaunchedBrowser } from './chromium.ts';
import {
  classifyInPage,
  cosineOf,
  expectLoad,
  expectResult,
  loadInPage,
  makeTestImages,
  openEnginePage,
  serveTinyModel,
  type TinyModelServer,
} from './engine-fixtures.ts';

const PARITY_ABS_TOL = 1e-3;
const PARITY_MIN_COSINE = 0.9999;

let model: TinyModelServer;
let images: Buffer[];
let manifest: ModelManifest;

beforeAll(async () => {
  model = await serveTinyModel();
  images = await makeTestImages();
  manifest = parseModelManifest(JSON.parse(readFileSync(join(model.dir, 'manifest.json'), 'utf8')), 'tiny manifest');
});
afterAll(async () => {
  await model?.close();
});

/** Runs raw preprocessed tensors through `engine.run` in the page and returns every output as plain arrays. */
async function runRaw(b: LaunchedBrowser, input: Float32Array, dims: number[]): Promise<{ outputs: Record<string, number[]>; backend: string }> {
  return b.page.evaluate(
    async ({ data, dims, name }) => {
      const r = await globalThis.__drishti!.engine.run({ [name]: { type: 'float32', data: new Float32Array(data), dims } });
      const outputs: Record<string, number[]> = {};
      for (const [k, t] of Object.entries(r.outputs)) outputs[k] = Array.from(t.data);
      return { outputs, backend: r.backend };
    },
    { data: Array.from(input), dims, name: manifest.preprocess.inputName },
  );
}

async function preprocessed(): Promise<{ input: Float32Array; dims: number[] }> {
  const rgba = await Promise.all(
    images.map(async (bytes) => {
      const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      return { data: new Uint8Array(data), width: info.width, height: info.height, channels: 3 as const };
    }),
  );
  return { input: preprocessToTensor(rgba, manifest.preprocess), dims: inputDims(rgba.length, manifest.preprocess) };
}

describe('engine on SwiftShader WebGPU and on WASM', () => {
  let b: LaunchedBrowser;
  beforeAll(async () => {
    b = await launchChromium({ webgpu: true });
  });
  afterAll(async () => {
    await b?.close();
  });

  it('chooses WebGPU + fp32 when the adapter lacks shader-f16, and says why', async () => {
    const load = await openEnginePage(b.page, inject('baseUrl'), { manifest: model.manifestUrl });
    const probe = await b.page.evaluate(() => globalThis.__drishti!.engine.probe());
    expect(probe.webgpu.available).toBe(true);
    expect(probe.webgpu.shaderF16).toBe(false);
    expect(probe.wasm.simd).toBe(true);
    expect(probe.wasm.crossOriginIsolated).toBe(true);
    expect(load.backend).toBe('webgpu');
    expect(load.variant).toBe('fp32');
    expect(load.reasons.join(' | ')).toMatch(/shader-f16/);
    expect(load.fallbackFrom).toBeUndefined();
    const r = expectResult(await classifyInPage(b.page, images[0]!));
    expect(r.backend).toBe('webgpu');
    expect(r.heads.map((h) => h.head)).toEqual(manifest.heads.map((h) => h.name));
    expect(r.timings.inferenceMs).toBeGreaterThan(0);
    expect(r.timings.totalMs).toBeGreaterThanOrEqual(r.timings.inferenceMs);
    console.log(`[measure] tiny model webgpu/fp32: session ${load.sessionMs.toFixed(1)} ms, inference ${r.timings.inferenceMs.toFixed(1)} ms`);
  });

  it(`gives the same outputs on WASM and WebGPU (fp32, |Δ| ≤ ${PARITY_ABS_TOL}, embedding cosine ≥ ${PARITY_MIN_COSINE})`, async () => {
    const { input, dims } = await preprocessed();
    const gpuLoad = expectLoad(await loadInPage(b.page, { manifestUrl: model.manifestUrl, backend: 'webgpu', variant: 'fp32' }));
    expect(gpuLoad.backend).toBe('webgpu');
    const gpu = await runRaw(b, input, dims);
    const cpuLoad = expectLoad(await loadInPage(b.page, { manifestUrl: model.manifestUrl, backend: 'wasm', variant: 'fp32' }));
    expect(cpuLoad.backend).toBe('wasm');
    const cpu = await runRaw(b, input, dims);
    expect(gpu.backend).toBe('webgpu');
    expect(cpu.backend).toBe('wasm');
    expect(Object.keys(gpu.outputs).sort()).toEqual(Object.keys(cpu.outputs).sort());
    let worst = 0;
    for (const [name, values] of Object.entries(cpu.outputs)) {
      const other = gpu.outputs[name]!;
      expect(other.length).toBe(values.length);
      for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs(values[i]! - other[i]!));
    }
    console.log(`[measure] tiny model WASM vs WebGPU fp32: max |Δ| = ${worst.toExponential(2)}`);
    expect(worst).toBeLessThanOrEqual(PARITY_ABS_TOL);
    const d = manifest.embedding.dims;
    for (let i = 0; i < images.length; i++) {
      const e1 = cpu.outputs[manifest.embedding.output]!.slice(i * d, (i + 1) * d);
      const e2 = gpu.outputs[manifest.embedding.output]!.slice(i * d, (i + 1) * d);
      expect(cosineOf(e1, e2)).toBeGreaterThanOrEqual(PARITY_MIN_COSINE);
    }
    // The images differ, so the outputs must too (guards against a constant model or input).
    const first = cpu.outputs[manifest.heads[0]!.output]!;
    const n = manifest.heads[0]!.labels.length;
    expect(first.slice(0, n)).not.toEqual(first.slice(n, 2 * n));
  });

  it('falls back to WASM when WebGPU session creation fails, and reports it', async () => {
    const load = expectLoad(await loadInPage(b.page, { manifestUrl: model.manifestUrl, debugFailWebGpu: true }));
    expect(load.backend).toBe('wasm');
    expect(load.variant).toBe('int8');
    expect(load.fallbackFrom?.backend).toBe('webgpu');
    expect(load.fallbackFrom?.error).toMatch(/WebGPU session/);
    expect(load.reasons[0]).toMatch(/fell back to WASM/);
    const c = expectResult(await classifyInPage(b.page, images[1]!));
    expect(c.backend).toBe('wasm');
  });

  it('moves to WASM when a WebGPU run fails, retries there, and reports it', async () => {
    const load = expectLoad(
      await loadInPage(b.page, { manifestUrl: model.manifestUrl, backend: 'webgpu', variant: 'fp32', debugFailWebGpuRun: true }),
    );
    expect(load.backend).toBe('webgpu');
    const r = expectResult(await classifyInPage(b.page, images[0]!));
    expect(r.backend).toBe('wasm');
    expect(r.variant).toBe('fp32');
    const status = await b.page.evaluate(() => globalThis.__drishti!.engine.status());
    expect(status.loaded?.fallbackFrom).toMatchObject({ backend: 'webgpu', variant: 'fp32' });
    expect(status.loaded?.fallbackFrom?.error).toMatch(/WebGPU run failed: simulated kernel failure/);
  });

  it('moves to WASM after the GPU device is lost, and the next call succeeds', async () => {
    const load = expectLoad(await loadInPage(b.page, { manifestUrl: model.manifestUrl, backend: 'webgpu', variant: 'fp32' }));
    expect(load.backend).toBe('webgpu');
    const before = expectResult(await classifyInPage(b.page, images[2]!));
    expect(before.backend).toBe('webgpu');
    const lost = await b.page.evaluate(() => globalThis.__drishti!.engine.debug.loseDevice());
    expect(lost).toBe(true);
    const after = expectResult(await classifyInPage(b.page, images[2]!));
    expect(after.backend).toBe('wasm');
    expect(after.variant).toBe('fp32');
    // Same variant on another backend: the same answer.
    expect(after.heads[0]!.top[0]!.id).toBe(before.heads[0]!.top[0]!.id);
    const status = await b.page.evaluate(() => globalThis.__drishti!.engine.status());
    expect(status.loaded?.backend).toBe('wasm');
    expect(status.loaded?.fallbackFrom?.error).toMatch(/GPU device/);
  });

  it('honours ?backend=wasm&variant=fp32&threads=1 from the URL', async () => {
    const load = await openEnginePage(b.page, inject('baseUrl'), { manifest: model.manifestUrl, backend: 'wasm', variant: 'fp32', threads: '1' });
    expect(load).toMatchObject({ backend: 'wasm', variant: 'fp32', threads: 1 });
    expect(load.reasons).toContain('backend=wasm requested');
    const shown = await b.page.locator('#choice').getAttribute('data-backend');
    expect(shown).toBe('wasm');
  });
});

describe('engine without WebGPU', () => {
  let b: LaunchedBrowser;
  beforeAll(async () => {
    b = await launchChromium();
  });
  afterAll(async () => {
    await b?.close();
  });

  it('chooses WASM + int8 with up to 4 threads when cross-origin isolated', async () => {
    const load = await openEnginePage(b.page, inject('baseUrl'), { manifest: model.manifestUrl });
    const probe = await b.page.evaluate(() => globalThis.__drishti!.engine.probe());
    if (probe.webgpu.available) {
      // Some Chromium builds expose an adapter without the flag; then the policy picks WebGPU.
      expect(load.backend).toBe('webgpu');
      return;
    }
    expect(load.backend).toBe('wasm');
    expect(load.variant).toBe('int8');
    expect(load.threads).toBe(Math.min(4, probe.wasm.hardwareConcurrency));
    const r = expectResult(await classifyInPage(b.page, images[0]!));
    expect(r.backend).toBe('wasm');
    console.log(
      `[measure] tiny model wasm/int8 ×${load.threads}: session ${load.sessionMs.toFixed(1)} ms, inference ${r.timings.inferenceMs.toFixed(1)} ms`,
    );
  });
});
