/**
 * The /bench page end to end in Chromium: a tiny generated model (fp32 + int8) and generated
 * labelled images are served through request routing; the page runs WASM 1 and 2 threads and
 * WebGPU (SwiftShader). Numbers are never asserted — only that the run completes, the report is
 * well-formed, and the page shows and downloads it.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BenchPageHandle } from '../../src/app/pages/bench-page.ts';
import { validateBenchReport, type BenchReport } from '../../src/features/bench/shared/bench-report.ts';
import { TINY_LABELS, TINY_MACS, tinyModelFolder } from '../unit/bench-onnx-fixture.ts';
import { launchChromium, type LaunchedBrowser } from './chromium.ts';

const COLOURS: [number, number, number][] = [
  [200, 30, 30],
  [30, 160, 60],
  [40, 40, 200],
];

async function routeFixtures(b: LaunchedBrowser): Promise<void> {
  const folder = tinyModelFolder();
  await b.context.route((u) => u.pathname.startsWith('/__benchtest/model/'), (route) => {
    const name = new URL(route.request().url()).pathname.split('/').pop()!;
    const body = folder.get(name);
    return body
      ? route.fulfill({ status: 200, body: Buffer.from(body), contentType: name.endsWith('.json') ? 'application/json' : 'application/octet-stream' })
      : route.fulfill({ status: 404, body: 'missing' });
  });
  const images = await Promise.all(
    COLOURS.map((background, i) => sharp({ create: { width: 40 + i * 10, height: 30, channels: 3, background: { r: background[0], g: background[1], b: background[2] } } }).png().toBuffer()),
  );
  const list = { images: images.map((_, i) => ({ url: `img/${i}.png`, labels: { articleType: TINY_LABELS[i]! } })) };
  await b.context.route((u) => u.pathname === '/__benchtest/images.json', (route) => route.fulfill({ status: 200, body: JSON.stringify(list), contentType: 'application/json' }));
  await b.context.route((u) => u.pathname.startsWith('/__benchtest/img/'), (route) => {
    const i = Number.parseInt(new URL(route.request().url()).pathname.split('/').pop()!, 10);
    return route.fulfill({ status: 200, body: images[i]!, contentType: 'image/png' });
  });
}

async function waitForBench(b: LaunchedBrowser, timeoutMs: number): Promise<BenchPageHandle> {
  await b.page.waitForFunction(() => ['done', 'error'].includes(globalThis.__drishtiBench?.state ?? ''), undefined, { timeout: timeoutMs, polling: 500 });
  return (await b.page.evaluate(() => globalThis.__drishtiBench))!;
}

describe('/bench page', () => {
  let b: LaunchedBrowser;
  let report: BenchReport;

  beforeAll(async () => {
    b = await launchChromium({ webgpu: true });
    await routeFixtures(b);
    const query = new URLSearchParams({
      manifest: '/__benchtest/model/manifest.json',
      variants: 'fp32,int8',
      backends: 'wasm-1,wasm-2,webgpu',
      batches: '1,8',
      runs: '3',
      warmup: '1',
      budgetMs: '2000',
      clockGhz: '2.6',
      images: '/__benchtest/images.json',
      autorun: '1',
    });
    await b.page.goto(`${inject('baseUrl')}/bench?${query}`);
    const handle = await waitForBench(b, 150_000);
    if (handle.state !== 'done') throw new Error(`The bench run failed: ${handle.error}`);
    report = validateBenchReport(handle.report, '/bench');
  }, 180_000);

  afterAll(async () => {
    await b?.close();
  });

  it('measures every WASM combination at batch 1 and 8 with the device probe and compute floor', () => {
    // Rows with a note ran on WASM after a WebGPU fallback; the WASM combinations are the rest.
    const wasm = report.rows.filter((r) => r.backend === 'wasm' && !r.note).map((r) => `${r.threads}-${r.variant}-${r.batch}`);
    expect(wasm.sort()).toEqual(['1-fp32-1', '1-fp32-8', '1-int8-1', '1-int8-8', '2-fp32-1', '2-fp32-8', '2-int8-1', '2-int8-8']);
    expect(report.probe.wasm.crossOriginIsolated).toBe(true);
    expect(report.probe.userAgent).toMatch(/Chrome/);
    expect(report.compute?.macsPerImage).toBe(TINY_MACS);
    expect(report.images).toMatchObject({ count: 3, labelled: 3, referenceBackend: 'WASM 2 threads' });
    for (const r of report.rows) {
      expect(r.runs).toBeGreaterThanOrEqual(3);
      expect(r.sessionMs).toBeGreaterThan(0);
      expect(r.agreement).not.toBeNull();
      expect(r.accuracy).not.toBeNull();
      if (r.backend === 'wasm') expect(r.floorMultiple).toBeGreaterThan(0);
    }
    // fp32 on WASM is the reference: it agrees with itself whatever the thread count.
    expect(report.rows.filter((r) => r.backend === 'wasm' && r.variant === 'fp32').every((r) => r.agreement === 1)).toBe(true);
  });

  it('measures WebGPU through SwiftShader, or reports why it could not', () => {
    const gpuRows = report.rows.filter((r) => r.backend === 'webgpu');
    const gpuFailures = report.failures.filter((f) => f.backend === 'webgpu');
    const fellBack = report.rows.filter((r) => r.note);
    expect(gpuRows.length + gpuFailures.length + fellBack.length).toBeGreaterThanOrEqual(2);
    for (const f of gpuFailures) expect(f.message.length).toBeGreaterThan(10);
    for (const r of fellBack) expect(r.note).toMatch(/webgpu/i);
  });

  it('shows the table and one chart bar per row', async () => {
    const bars = b.page.locator('drishti-bench-chart svg rect');
    await expect.poll(() => bars.count()).toBe(report.rows.length);
    await expect.poll(() => b.page.locator('drishti-bench-page table tbody tr').count()).toBe(report.rows.length);
    await expect.poll(() => b.page.getByText(/multiply-accumulates per image/).count()).toBeGreaterThan(0);
  });

  it('downloads the report as JSON', async () => {
    const [download] = await Promise.all([b.page.waitForEvent('download'), b.page.getByRole('button', { name: 'Download JSON report' }).click()]);
    const saved = JSON.parse(readFileSync((await download.path())!, 'utf8')) as unknown;
    expect(validateBenchReport(saved, 'download').rows).toHaveLength(report.rows.length);
    expect(download.suggestedFilename()).toMatch(/^drishti-bench-.*\.json$/);
  });

  it('explains a bad query instead of running', async () => {
    await b.page.goto(`${inject('baseUrl')}/bench?backends=webgl&autorun=1`);
    const handle = await waitForBench(b, 20_000);
    expect(handle.state).toBe('error');
    expect(handle.error).toMatch(/Unknown backend "webgl"/);
    await expect.poll(() => b.page.getByRole('alert').first().textContent()).toMatch(/wasm-<threads>/);
  });
});
