/**
 * `npm run bench [-- --json rows.json --report report.json …]`: runs the /bench page of the
 * production build in Debian's headless Chromium (WASM 1 thread, WASM 2 threads, WebGPU through
 * SwiftShader by default), prints a Markdown table and optionally writes the rows / full report.
 *
 * The labelled images for the agreement check are a fixed, representative subset of the
 * catalogue dataset (DRISHTI_DATASETS, default ../shared/datasets), handed to the page through
 * Playwright request routing — nothing is copied into the build.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchChromium } from '../../scripts/chromium.ts';
import { DIST_DIR, ROOT, serveDist } from '../../scripts/serve.ts';
import { parseBenchParams, formatBenchParams, BenchParamsError } from '../features/bench/shared/bench-params.ts';
import { toJsonRows, toMarkdown, validateBenchReport, type BenchReport } from '../features/bench/shared/bench-report.ts';
import { parseModelManifest, type ModelManifest } from '../shared/model-manifest.ts';
import { readCatalogueSource, representativeSubset } from './catalog/dataset-reader.ts';
import { readClockGhz } from './cpu-info.ts';

const USAGE = `Usage: npm run bench -- [options]
  --json <file>        write the rows as JSON ({backend, threads, variant, batch, p50Ms, p95Ms, sessionMs, bytes, agreement, …}[])
  --report <file>      write the full report (device probe, compute floor, config, rows)
  --variants <list>    fp32,fp16,int8 (default: every variant in the manifest)
  --backends <list>    default wasm-1,wasm-2,webgpu
  --batches <list>     default 1,8
  --runs <n>           timed runs per batch (default 20; fewer if --budget-ms runs out, never under 3)
  --warmup <n>         warm-up runs per batch (default 3)
  --budget-ms <n>      time budget per (combination, batch) (default 20000)
  --images <n>         labelled catalogue images for agreement (default 16; 0 = synthetic input, no agreement)
  --manifest <file>    benchmark a model folder other than the build's /models/ (its manifest.json path)
  --clock-ghz <x>      CPU clock for the compute floor (default: read from /proc/cpuinfo)
  --timeout-min <n>    give up after this many minutes (default 60)`;

class UsageError extends Error {
  override name = 'UsageError';
}

interface CliOptions {
  json?: string;
  report?: string;
  query: string;
  images: number;
  manifestFile?: string;
  timeoutMs: number;
}

function parseCli(argv: string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        json: { type: 'string' },
        report: { type: 'string' },
        variants: { type: 'string' },
        backends: { type: 'string', default: 'wasm-1,wasm-2,webgpu' },
        batches: { type: 'string', default: '1,8' },
        runs: { type: 'string', default: '20' },
        warmup: { type: 'string', default: '3' },
        'budget-ms': { type: 'string', default: '20000' },
        images: { type: 'string', default: '16' },
        manifest: { type: 'string' },
        'clock-ghz': { type: 'string' },
        'timeout-min': { type: 'string', default: '60' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const clock = values['clock-ghz'] ?? String(readClockGhz() ?? 3);
  const params = new URLSearchParams({
    backends: values.backends,
    batches: values.batches,
    runs: values.runs,
    warmup: values.warmup,
    budgetMs: values['budget-ms'],
    clockGhz: clock,
  });
  if (values.variants) params.set('variants', values.variants);
  // Validate with the page's own parser so a typo fails here, not in the browser.
  try {
    parseBenchParams(`?${params}`, 2);
  } catch (err) {
    if (err instanceof BenchParamsError) throw new UsageError(err.message);
    throw err;
  }
  const images = Number(values.images);
  if (!Number.isInteger(images) || images < 0 || images > 256) throw new UsageError('--images must be a whole number from 0 to 256.');
  const minutes = Number(values['timeout-min']);
  if (!(minutes > 0)) throw new UsageError('--timeout-min must be a positive number.');
  return {
    ...(values.json ? { json: values.json } : {}),
    ...(values.report ? { report: values.report } : {}),
    ...(values.manifest ? { manifestFile: resolve(values.manifest) } : {}),
    query: params.toString(),
    images,
    timeoutMs: minutes * 60_000,
  };
}

/** Serves a model folder (its manifest and the files it lists, nothing else) at /__bench/model/. */
async function routeModel(page: Page, manifestFile: string): Promise<ModelManifest> {
  let manifest: ModelManifest;
  try {
    manifest = parseModelManifest(JSON.parse(readFileSync(manifestFile, 'utf8')), manifestFile);
  } catch (err) {
    throw new UsageError(`--manifest ${manifestFile}: ${(err as Error).message}`);
  }
  const dir = dirname(manifestFile);
  const files = new Map<string, string>([['manifest.json', manifestFile]]);
  for (const v of manifest.variants) files.set(v.file, join(dir, v.file));
  await page.context().route((u) => u.pathname.startsWith('/__bench/model/'), async (route) => {
    const name = decodeURIComponent(new URL(route.request().url()).pathname.replace(/^\/__bench\/model\//, ''));
    const path = files.get(name);
    if (!path) return route.fulfill({ status: 404, body: 'not part of the model' });
    return route.fulfill({
      status: 200,
      body: readFileSync(path),
      headers: { 'Content-Type': name.endsWith('.json') ? 'application/json' : 'application/octet-stream', 'Cross-Origin-Resource-Policy': 'same-origin' },
    });
  });
  return manifest;
}

function datasetsDir(): string {
  return resolve(process.env.DRISHTI_DATASETS ?? join(ROOT, '..', 'shared', 'datasets'));
}

/** The model pipeline's test-split ids (models/splits/split.json), if present and readable. */
function readTestSplit(): Set<string> | undefined {
  try {
    const split = JSON.parse(readFileSync(join(ROOT, 'models', 'splits', 'split.json'), 'utf8')) as { ids?: { test?: unknown } };
    const ids = split.ids?.test;
    return Array.isArray(ids) ? new Set(ids.map(String)) : undefined;
  } catch {
    return undefined;
  }
}

/** A fixed, representative set of labelled catalogue images served to the page at /__bench/images.json. */
async function routeImages(page: Page, manifest: ModelManifest, count: number): Promise<number> {
  const source = join(datasetsDir(), 'fashion-product-images');
  const read = readCatalogueSource(source);
  // Held-out images only, when the model pipeline's split is there: accuracy on training photos flatters.
  const testIds = readTestSplit();
  const pool = testIds ? read.rows.filter((r) => testIds.has(r.id)) : read.rows;
  const rows = representativeSubset(pool.length > 0 ? pool : read.rows, count);
  const known = new Map(manifest.heads.map((h) => [h.name, new Set(h.labels.map((l) => l.id))]));
  const entries = rows.map((r, i) => {
    const labels: Record<string, string> = {};
    for (const [head, value] of Object.entries(r.attributes)) {
      // Only labels the model can predict; others would count as misses for the wrong reason.
      if (value && known.get(head)?.has(value)) labels[head] = value;
    }
    return { url: `img/${i}${r.image.slice(r.image.lastIndexOf('.'))}`, labels, path: r.image };
  });
  const body = JSON.stringify({ images: entries.map(({ url, labels }) => ({ url, labels })) });
  await page.context().route((u) => u.pathname === '/__bench/images.json', (route) => route.fulfill({ status: 200, body, contentType: 'application/json' }));
  await page.context().route((u) => u.pathname.startsWith('/__bench/img/'), async (route) => {
    const name = basename(new URL(route.request().url()).pathname);
    const entry = entries[Number.parseInt(name, 10)];
    if (!entry) return route.fulfill({ status: 404, body: 'no such image' });
    return route.fulfill({ status: 200, body: readFileSync(entry.path), contentType: 'image/jpeg' });
  });
  return entries.length;
}

async function fetchManifest(baseUrl: string): Promise<ModelManifest> {
  const url = `${baseUrl}/models/manifest.json`;
  const res = await fetch(url).catch((err: Error) => {
    throw new UsageError(`Could not fetch ${url}: ${err.message}`);
  });
  if (!res.ok) {
    throw new UsageError(`The build serves no model at ${url} (HTTP ${res.status}). Build the model (models/README.md) and rebuild, or pass --manifest <file>.`);
  }
  return parseModelManifest(await res.json(), url);
}

async function waitForReport(page: Page, timeoutMs: number): Promise<BenchReport> {
  const deadline = Date.now() + timeoutMs;
  let lastMessage = '';
  for (;;) {
    const handle = await page.evaluate(() => globalThis.__drishtiBench ?? null);
    if (handle?.state === 'done') return validateBenchReport(handle.report, 'the /bench page');
    if (handle?.state === 'error') throw new Error(`The /bench page reported: ${handle.error ?? 'unknown error'}`);
    const message = handle?.progress ? `[${handle.progress.done}/${handle.progress.total}] ${handle.progress.message}` : '';
    if (message && message !== lastMessage) {
      process.stderr.write(`${message}\n`);
      lastMessage = message;
    }
    if (Date.now() > deadline) throw new Error(`The benchmark did not finish within ${Math.round(timeoutMs / 60_000)} minutes (last: ${lastMessage || 'nothing'}).`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Writes a file completely or not at all. */
function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

async function main(): Promise<number> {
  const opts = parseCli(process.argv.slice(2));
  const { url, server } = await serveDist(0).catch((err: Error) => {
    throw new UsageError(`${err.message} (build folder: ${DIST_DIR})`);
  });
  const wantsWebGpu = new URLSearchParams(opts.query).get('backends')?.includes('webgpu') ?? false;
  const browser = await launchChromium({ webgpu: wantsWebGpu });
  try {
    const params = new URLSearchParams(opts.query);
    const manifest = opts.manifestFile ? await routeModel(browser.page, opts.manifestFile) : await fetchManifest(url);
    if (opts.manifestFile) params.set('manifest', '/__bench/model/manifest.json');
    if (!params.has('variants')) params.set('variants', manifest.variants.map((v) => v.name).join(','));
    if (opts.images > 0) {
      const n = await routeImages(browser.page, manifest, opts.images);
      process.stderr.write(`${n} labelled catalogue images from ${datasetsDir()}${readTestSplit() ? ' (the model’s test split)' : ''}\n`);
      params.set('images', '/__bench/images.json');
    }
    params.set('autorun', '1');
    const settings = parseBenchParams(`?${params}`, 2);
    const pageUrl = `${url}/bench${formatBenchParams(settings)}`;
    process.stderr.write(`Benchmarking ${manifest.id} ${manifest.version} in ${pageUrl}\n`);
    await browser.page.goto(pageUrl);
    const loadBefore = loadavg()[0]!;
    const report = await waitForReport(browser.page, opts.timeoutMs);
    console.log(toMarkdown(report));
    // Other processes on the machine skew every number; say how busy it was.
    console.log(`\nLoad average (1 min) before/after: ${loadBefore.toFixed(1)} / ${loadavg()[0]!.toFixed(1)} on ${report.probe.wasm.hardwareConcurrency} cores.`);
    if (opts.json) writeAtomically(opts.json, `${JSON.stringify(toJsonRows(report), null, 2)}\n`);
    if (opts.report) writeAtomically(opts.report, `${JSON.stringify(report, null, 2)}\n`);
    return report.rows.length > 0 ? 0 : 1;
  } finally {
    await browser.close();
    await server.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) console.error(`${err.message}\n\n${USAGE}`);
    else console.error(`npm run bench failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
