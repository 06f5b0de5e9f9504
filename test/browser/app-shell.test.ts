import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './chromium.ts';

describe('app shell served by the production server', () => {
  let b: LaunchedBrowser;
  beforeAll(async () => {
    b = await launchChromium();
  });
  afterAll(async () => {
    await b?.close();
  });

  it('is cross-origin isolated so WASM threads are available', async () => {
    await b.page.goto(inject('baseUrl'));
    await b.page.waitForSelector('drishti-app');
    expect(await b.page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await b.page.title()).toBe('Drishti');
  });

  it('serves the onnxruntime-web runtime from its own origin', async () => {
    const res = await b.page.request.get(`${inject('baseUrl')}/ort/ort-wasm-simd-threaded.jsep.wasm`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('wasm');
  });
});
