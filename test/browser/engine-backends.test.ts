/**
 * The engine's WebGPU → WASM fallbacks (session creation failure, a failing run, device loss) and
 * URL overrides in real Chromium, on the tiny generated model (fast; the fallbacks do not depend
 * on the model). The automatic choice and WASM-vs-WebGPU parity on the real model are in
 * engine-model.test.ts.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './chromium.ts';
import {
  classifyInPage,
  cosineOf,
  expectLoad,
  expectResult,
  loadInPage,
  makeTestImages,
  maxProbDiff,
  openEnginePage,
  serveTinyModel,
  type TinyModelServer,
} from './engine-fixtures.ts';

let model: TinyModelServer;
let images: Buffer[];

beforeAll(async () => {
  model = await serveTinyModel();
  images = await makeTestImages();
});
afterAll(async () => {
  await model?.close();
});

// Generous limits: every fresh worker compiles the ~29 MB runtime, slow on a busy 2-core machine.
describe('engine on SwiftShader WebGPU and on WASM', { timeout: 600_000 }, () => {
  let b: LaunchedBrowser;
  beforeAll(async () => {
    b = await launchChromium({ webgpu: true });
  });
  afterAll(async () => {
    await b?.close();
  });

  it('loads the tiny model on WebGPU by default here (SwiftShader: fp32)', async () => {
    const load = await openEnginePage(b.page, inject('baseUrl'), { manifest: model.manifestUrl });
    expect(load).toMatchObject({ backend: 'webgpu', variant: 'fp32' });
    expect(expectResult(await classifyInPage(b.page, images[0]!)).backend).toBe('webgpu');
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
    // The page-side view follows, so panels show what the engine runs on now.
    expect(await b.page.evaluate(() => globalThis.__drishti!.engine.lastLoad?.backend)).toBe('wasm');
  });

  it('honours ?backend=wasm&variant=fp32&threads=1 from the URL', async () => {
    const load = await openEnginePage(b.page, inject('baseUrl'), { manifest: model.manifestUrl, backend: 'wasm', variant: 'fp32', threads: '1' });
    expect(load).toMatchObject({ backend: 'wasm', variant: 'fp32', threads: 1 });
    expect(load.reasons).toContain('backend=wasm requested');
    const shown = await b.page.locator('#choice').getAttribute('data-backend');
    expect(shown).toBe('wasm');
  });
});

// Regression: a worker whose first session was WASM (the bench's fp32 reference, ?backend=wasm, a
// user switching backends) then loading WebGPU. onnxruntime-web frees every GPU buffer when a session
// created before its WebGPU backend started is released while a WebGPU session is open, so each
// WebGPU run failed ("no GPU data for input") and silently moved to WASM. The engine must release
// such a session first (engine.ts load); here classify() must really run on WebGPU, with no
// run-time fallback, and agree with WASM.
describe('WebGPU after a WASM session in the same worker', { timeout: 600_000 }, () => {
  /** Tiny fp32 model: kernels on SwiftShader and WASM SIMD only sum in a different order. */
  const PROB_ABS_TOL = 1e-4;
  const EMBEDDING_MIN_COSINE = 0.9999;
  let b: LaunchedBrowser;
  beforeAll(async () => {
    b = await launchChromium({ webgpu: true });
  });
  afterAll(async () => {
    await b?.close();
  });

  it('classifies on WebGPU with no run-time fallback and matches WASM', async () => {
    // A fresh worker whose first session is WASM (WebGPU not started yet).
    const first = await openEnginePage(b.page, inject('baseUrl'), { manifest: model.manifestUrl, backend: 'wasm', variant: 'fp32' });
    expect(first).toMatchObject({ backend: 'wasm', variant: 'fp32' });
    const cpu = [expectResult(await classifyInPage(b.page, images[0]!))];
    cpu.push(expectResult(await classifyInPage(b.page, images[1]!)));
    expect(cpu.map((r) => r.backend)).toEqual(['wasm', 'wasm']);

    const load = expectLoad(await loadInPage(b.page, { manifestUrl: model.manifestUrl, backend: 'webgpu', variant: 'fp32' }));
    expect(load).toMatchObject({ backend: 'webgpu', variant: 'fp32' });
    expect(load.fallbackFrom).toBeUndefined();
    const gpu = [expectResult(await classifyInPage(b.page, images[0]!))];
    gpu.push(expectResult(await classifyInPage(b.page, images[1]!)));
    expect(gpu.map((r) => `${r.backend}/${r.variant}`)).toEqual(['webgpu/fp32', 'webgpu/fp32']);
    const status = await b.page.evaluate(() => globalThis.__drishti!.engine.status());
    expect(status.loaded?.backend).toBe('webgpu');
    expect(status.loaded?.fallbackFrom, 'no run-time fallback to WASM').toBeUndefined();

    let worstProb = 0;
    let worstCos = 1;
    for (let i = 0; i < gpu.length; i++) {
      for (const h of gpu[i]!.heads) expect(h.top[0]!.id, h.head).toBe(cpu[i]!.heads.find((c) => c.head === h.head)!.top[0]!.id);
      worstProb = Math.max(worstProb, maxProbDiff(gpu[i]!, cpu[i]!));
      worstCos = Math.min(worstCos, cosineOf(gpu[i]!.embedding, cpu[i]!.embedding));
    }
    console.log(
      `[measure] tiny fp32, 2 images: WebGPU inference ${gpu.map((r) => r.timings.inferenceMs.toFixed(1)).join('/')} ms, ` +
        `WASM ${cpu.map((r) => r.timings.inferenceMs.toFixed(1)).join('/')} ms; max |Δp| ${worstProb.toExponential(2)}, min embedding cosine ${worstCos.toFixed(6)}`,
    );
    expect(worstProb).toBeLessThanOrEqual(PROB_ABS_TOL);
    expect(worstCos).toBeGreaterThanOrEqual(EMBEDDING_MIN_COSINE);
  });
});
