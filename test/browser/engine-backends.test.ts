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
  expectLoad,
  expectResult,
  loadInPage,
  makeTestImages,
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
