/**
 * The /engine panel and the runtime it ships with: probe, choice and reasons, a run on a chosen
 * photo with timings; only the JSEP runtime is emitted and precached; under the service worker
 * the page stays cross-origin isolated and the engine still runs.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './chromium.ts';
import { makeTestImages, serveTinyModel, type TinyModelServer } from './engine-fixtures.ts';

let model: TinyModelServer;
let images: Buffer[];
let b: LaunchedBrowser;

beforeAll(async () => {
  model = await serveTinyModel();
  images = await makeTestImages();
  b = await launchChromium();
});
afterAll(async () => {
  await b?.close();
  await model?.close();
});

describe('engine panel', { timeout: 600_000 }, () => {
  it('shows the probe, the chosen backend and why, and classifies a chosen photo with timings', async () => {
    await b.page.goto(`${inject('baseUrl')}/engine?manifest=${encodeURIComponent(model.manifestUrl)}`);
    await b.page.waitForSelector('#probe');
    expect(await b.page.locator('[data-field="simd"]').textContent()).toContain('yes');
    expect(await b.page.locator('[data-field="threads"]').textContent()).toMatch(/cross-origin isolated: yes/);
    const choice = b.page.locator('#choice');
    await choice.waitFor({ timeout: 300_000 });
    const backend = await choice.getAttribute('data-backend');
    const variant = await choice.getAttribute('data-variant');
    expect(['webgpu', 'wasm']).toContain(backend);
    if (backend === 'wasm') expect(variant).toBe('int8');
    const reasons = await b.page.locator('#reasons li').allTextContents();
    expect(reasons.length).toBeGreaterThanOrEqual(2);
    expect(reasons.join(' ')).toMatch(/WASM|WebGPU/);

    await b.page.locator('#image').setInputFiles({ name: 'kurta.jpg', mimeType: 'image/jpeg', buffer: images[2]! });
    const result = b.page.locator('#result');
    await result.waitFor({ timeout: 180_000 });
    const timings = (await b.page.locator('#timings').textContent()) ?? '';
    expect(timings).toMatch(/Preprocess [\d.]+ ms · inference [\d.]+ ms · total [\d.]+ ms/);
    const heads = await b.page.locator('#result tr[data-head]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-head')));
    expect(heads).toEqual(['articleType', 'gender', 'usage', 'colour', 'season']);
    // Hindi label names are shown next to English ones.
    expect(await b.page.locator('#result [lang="hi"]').count()).toBeGreaterThan(0);
    expect(b.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });

  it('explains a file that is not an image instead of failing silently', async () => {
    await b.page.locator('#image').setInputFiles({ name: 'notes.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not really a jpeg') });
    const error = b.page.locator('#error');
    await error.waitFor({ timeout: 30_000 });
    expect(await error.textContent()).toMatch(/not an image this browser can decode.*\[bad-image\]/s);
  });

  it('explains a missing model', async () => {
    await b.page.goto(`${inject('baseUrl')}/engine?manifest=${encodeURIComponent(model.manifestUrl.replace('manifest.json', 'missing.json'))}`);
    const error = b.page.locator('#error');
    await error.waitFor({ timeout: 60_000 });
    expect(await error.textContent()).toMatch(/HTTP 404.*\[manifest\]/s);
  });
});

describe('runtime files and service worker', { timeout: 600_000 }, () => {
  it('emits and precaches only the JSEP runtime the engine loads', async () => {
    const base = inject('baseUrl');
    const sw = await (await b.page.request.get(`${base}/sw.js`)).text();
    const ortEntries = [...sw.matchAll(/url:\s*"(ort\/[^"]+)"/g)].map((m) => m[1]).sort();
    expect(ortEntries).toEqual(['ort/ort-wasm-simd-threaded.jsep.mjs', 'ort/ort-wasm-simd-threaded.jsep.wasm']);
    for (const unused of ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.asyncify.wasm', 'ort-wasm-simd-threaded.jspi.wasm']) {
      expect((await b.page.request.get(`${base}/ort/${unused}`)).headers()['content-type'] ?? '').not.toContain('wasm');
    }
  });

  it('keeps the page cross-origin isolated under the service worker, and the engine runs from the precache', async () => {
    const base = inject('baseUrl');
    await b.page.goto(`${base}/engine?backend=wasm&manifest=${encodeURIComponent(model.manifestUrl)}`);
    await b.page.locator('#choice').waitFor({ timeout: 300_000 });
    // The app registers the worker itself; register it here too in case this build does not (idempotent).
    await b.page.evaluate(async () => {
      if (!(await navigator.serviceWorker.getRegistration())) await navigator.serviceWorker.register('/sw.js');
      await navigator.serviceWorker.ready;
    });
    await b.page.waitForFunction(async () => {
      const keys = await Promise.all((await caches.keys()).map(async (k) => (await (await caches.open(k)).keys()).map((r) => r.url)));
      return keys.flat().some((u) => u.endsWith('/ort/ort-wasm-simd-threaded.jsep.wasm'));
    }, undefined, { timeout: 120_000, polling: 500 });
    await b.page.reload();
    await b.page.locator('#choice').waitFor({ timeout: 300_000 });
    const state = await b.page.evaluate(() => ({ controlled: navigator.serviceWorker.controller !== null, isolated: crossOriginIsolated }));
    expect(state).toEqual({ controlled: true, isolated: true });
    expect(await b.page.locator('#choice').getAttribute('data-backend')).toBe('wasm');
    await b.page.locator('#image').setInputFiles({ name: 'p.png', mimeType: 'image/png', buffer: images[0]! });
    await b.page.locator('#result').waitFor({ timeout: 180_000 });
  });
});
