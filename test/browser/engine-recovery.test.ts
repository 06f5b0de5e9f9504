/**
 * Recovery paths of the worker bridge in real Chromium: abort, timeout, a hung worker, a crashed
 * worker, a worker killed mid-run, idle release, a thread-count change — and in every case the
 * next call succeeds without a page reload, with no unhandled error reaching the page.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './chromium.ts';
import {
  classifyInPage,
  expectLoad,
  expectResult,
  isError,
  loadInPage,
  makeTestImages,
  openEnginePage,
  serveTinyModel,
  type PlainError,
  type PlainResult,
  type TinyModelServer,
} from './engine-fixtures.ts';

let model: TinyModelServer;
let images: Buffer[];
let b: LaunchedBrowser;
let reference: PlainResult;

function stats(): Promise<{ starts: number; restarts: number; idleReleases: number; alive: boolean; pending: number }> {
  return b.page.evaluate(() => globalThis.__drishti!.engine.bridge.stats);
}

function expectError(r: PlainResult | PlainError): PlainError['error'] {
  if (!isError(r)) throw new Error('Expected the call to fail, it succeeded.');
  return r.error;
}

/** The call after a failure succeeds and gives the same answer as before the failure. */
async function expectRecovered(): Promise<void> {
  const r = expectResult(await classifyInPage(b.page, images[0]!, { timeoutMs: 240_000 }));
  expect(r.heads).toEqual(reference.heads);
}

beforeAll(async () => {
  model = await serveTinyModel();
  images = await makeTestImages();
  b = await launchChromium();
  await openEnginePage(b.page, inject('baseUrl'), { manifest: model.manifestUrl, backend: 'wasm' });
  reference = expectResult(await classifyInPage(b.page, images[0]!, { timeoutMs: 240_000 }));
}, 600_000);
afterAll(async () => {
  await b?.close();
  await model?.close();
});
beforeEach(() => {
  b.errors.length = 0;
});

// Each restart recompiles the ~29 MB runtime in a fresh worker: slow on a loaded 2-core machine.
describe('engine recovery', { timeout: 600_000 }, () => {
  it('rejects an aborted call with a DOMException AbortError, then works', async () => {
    const r = expectError(await classifyInPage(b.page, images[1]!, { abortAfterMs: 0 }));
    expect(r.name).toBe('AbortError');
    expect(r.isDomException).toBe(true);
    await expectRecovered();
  });

  it('terminates a busy worker on abort and restarts it for the next call', async () => {
    const before = await stats();
    const r = await b.page.evaluate(async () => {
      const controller = new AbortController();
      const t0 = performance.now();
      setTimeout(() => controller.abort(), 300);
      try {
        await globalThis.__drishti!.engine.debug.crash('hang', { signal: controller.signal, timeoutMs: 60_000 });
        return { name: 'resolved', ms: 0, isDomException: false };
      } catch (err) {
        return { name: (err as Error).name, ms: performance.now() - t0, isDomException: err instanceof DOMException };
      }
    });
    expect(r.name).toBe('AbortError');
    expect(r.isDomException).toBe(true);
    expect(r.ms).toBeLessThan(5_000);
    expect((await stats()).restarts).toBe(before.restarts + 1);
    await expectRecovered();
    expect((await stats()).starts).toBe(before.starts + 1);
  });

  it('times out a hung worker with a typed error, restarts it, and the next call succeeds', async () => {
    const before = await stats();
    const r = await b.page.evaluate(async () => {
      const t0 = performance.now();
      try {
        await globalThis.__drishti!.engine.debug.crash('hang', { timeoutMs: 1_500 });
        return { name: 'resolved', code: '', message: '', ms: 0 };
      } catch (err) {
        const e = err as Error & { code?: string };
        return { name: e.name, code: e.code ?? '', message: e.message, ms: performance.now() - t0 };
      }
    });
    expect(r).toMatchObject({ name: 'EngineError', code: 'timeout' });
    expect(r.message).toMatch(/restarted/);
    expect(r.ms).toBeGreaterThanOrEqual(1_400);
    expect(r.ms).toBeLessThan(10_000);
    await expectRecovered();
    const after = await stats();
    expect(after.restarts).toBe(before.restarts + 1);
    // The fresh worker re-applied the last load() before classifying.
    const status = await b.page.evaluate(() => globalThis.__drishti!.engine.status());
    expect(status.loaded?.backend).toBe('wasm');
  });

  it('reports a crashed worker at once as worker-crashed, and the next call succeeds', async () => {
    const r = await b.page.evaluate(async () => {
      const t0 = performance.now();
      try {
        await globalThis.__drishti!.engine.debug.crash('throw', { timeoutMs: 30_000 });
        return { name: 'resolved', code: '', ms: 0 };
      } catch (err) {
        const e = err as Error & { code?: string };
        return { name: e.name, code: e.code ?? '', ms: performance.now() - t0 };
      }
    });
    expect(r).toMatchObject({ name: 'EngineError', code: 'worker-crashed' });
    // Detected from the error event, not by waiting for the timeout.
    expect(r.ms).toBeLessThan(10_000);
    await expectRecovered();
    expect(b.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });

  it('recovers when the worker is killed mid-run', async () => {
    const r = await b.page.evaluate(
      async ({ b64 }) => {
        const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const engine = globalThis.__drishti!.engine;
        const pending = engine.classify(new Blob([bin]), { timeoutMs: 3_000 });
        // Let the call reach the worker, then make the worker vanish without telling the bridge.
        await new Promise((r) => setTimeout(r, 20));
        engine.debug.kill();
        try {
          await pending;
          return { name: 'resolved', code: '' };
        } catch (err) {
          const e = err as Error & { code?: string };
          return { name: e.name, code: e.code ?? '' };
        }
      },
      { b64: images[2]!.toString('base64') },
    );
    // Either the reply was already on its way (resolved) or the bridge noticed the silence (timeout).
    expect(['resolved', 'EngineError']).toContain(r.name);
    if (r.name === 'EngineError') expect(r.code).toBe('timeout');
    await expectRecovered();
  });

  it('releases an idle worker and transparently recreates it', async () => {
    await b.page.evaluate(() => globalThis.__drishti!.engine.bridge.configure({ idleMs: 400 }));
    await expectRecovered();
    const before = await stats();
    expect(before.alive).toBe(true);
    await b.page.waitForTimeout(1_200);
    const idle = await stats();
    expect(idle.alive).toBe(false);
    expect(idle.idleReleases).toBe(before.idleReleases + 1);
    await b.page.evaluate(() => globalThis.__drishti!.engine.bridge.configure({ idleMs: 5 * 60_000 }));
    await expectRecovered();
    const after = await stats();
    expect(after.alive).toBe(true);
    expect(after.starts).toBe(before.starts + 1);
  });

  it('restarts the worker when a load needs another WASM thread count', async () => {
    const status = await b.page.evaluate(() => globalThis.__drishti!.engine.status());
    const other = status.runtimeThreads === 1 ? 2 : 1;
    const load = expectLoad(await loadInPage(b.page, { manifestUrl: model.manifestUrl, backend: 'wasm', threads: other }));
    expect(load.threads).toBe(other);
    const now = await b.page.evaluate(() => globalThis.__drishti!.engine.status());
    expect(now.runtimeThreads).toBe(other);
    await expectRecovered();
  });

  it('turns bad input into typed errors a person can act on', async () => {
    const bad = expectError(await classifyInPage(b.page, Buffer.from('this is not an image')));
    expect(bad).toMatchObject({ name: 'EngineError', code: 'bad-image' });
    expect(bad.message).toMatch(/JPEG, PNG or WebP/);
    const empty = expectError(await classifyInPage(b.page, Buffer.alloc(0)));
    expect(empty.code).toBe('bad-image');
    const missing = await loadInPage(b.page, { manifestUrl: model.manifestUrl.replace('manifest.json', 'nope.json') });
    expect(isError(missing) && missing.error.code).toBe('manifest');
    expect(isError(missing) && missing.error.message).toMatch(/HTTP 404/);
    // A failed load changes nothing: the model loaded before still answers.
    await expectRecovered();
    expect(b.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });

  it('rejects a model whose bytes do not match the manifest as an integrity error', async () => {
    const r = await loadInPage(b.page, { manifestUrl: model.corruptManifestUrl, backend: 'wasm' });
    expect(isError(r) && r.error.code).toBe('integrity');
    // The message names the file (the default fetcher and the delivery cache word the rest differently).
    expect(isError(r) && r.error.message).toMatch(/corrupt\/tiny\.int8\.onnx/);
    await expectRecovered();
  });
});
