/**
 * `npm run cost:widget`: what the widget costs a host page while it is present but not used.
 *
 * Serves the demo store (demo-store/) and the widget build from two origins and compares the
 * product page with the widget (`/`) to the same page without it (`/?widget=off`):
 *
 * 1. Lighthouse (the npm package, Debian Chromium via chrome-launcher, mobile preset, simulated
 *    throttling): performance score and its metrics, median of RUNS runs per page.
 * 2. Chromium's own counters over a real load (Playwright + CDP, no throttling): main-thread
 *    script/task time, long tasks, requests and bytes from the widget's origin.
 *
 * Reads DRISHTI_WIDGET_DIST (default widget/dist) and RUNS (default 3); prints a table, or JSON with --json.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';
import { startWidgetDemo } from '../../demo-store/serve-demo.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const widgetDir = resolve(ROOT, process.env.DRISHTI_WIDGET_DIST ?? 'widget/dist');
const runs = Math.max(1, Number(process.env.RUNS ?? 3) || 3);

interface LighthouseSample {
  score: number;
  fcpMs: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
  speedIndexMs: number;
}

interface LoadSample {
  scriptMs: number;
  taskMs: number;
  longTasks: number;
  widgetRequests: number;
  widgetBytes: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function lighthouseRun(url: string): Promise<LighthouseSample> {
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const result = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] });
    if (!result) throw new Error('Lighthouse returned no result');
    const lhr = result.lhr;
    if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.message}`);
    const num = (id: string): number => lhr.audits[id]?.numericValue ?? NaN;
    return {
      score: Math.round((lhr.categories.performance?.score ?? NaN) * 100),
      fcpMs: num('first-contentful-paint'),
      lcpMs: num('largest-contentful-paint'),
      tbtMs: num('total-blocking-time'),
      cls: num('cumulative-layout-shift'),
      speedIndexMs: num('speed-index'),
    };
  } finally {
    chrome.kill();
  }
}

async function loadRun(url: string, widgetOrigin: string): Promise<LoadSample> {
  const profile = mkdtempSync(join(tmpdir(), 'drishti-cost-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--no-first-run', '--disable-background-networking'],
    viewport: { width: 412, height: 823 },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    let widgetRequests = 0;
    let widgetBytes = 0;
    page.on('requestfinished', async (req) => {
      if (!req.url().startsWith(widgetOrigin)) return;
      widgetRequests++;
      const sizes = await req.sizes().catch(() => null);
      widgetBytes += sizes ? sizes.responseBodySize + sizes.responseHeadersSize : 0;
    });
    await page.addInitScript(() => {
      const w = window as unknown as { __longTasks: number };
      w.__longTasks = 0;
      new PerformanceObserver((list) => {
        w.__longTasks += list.getEntries().length;
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForTimeout(1500); // let anything the widget would do after load happen
    const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    const metric = (name: string): number => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
    const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number }).__longTasks);
    return { scriptMs: metric('ScriptDuration'), taskMs: metric('TaskDuration'), longTasks, widgetRequests, widgetBytes };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

if (!existsSync(join(widgetDir, 'drishti-widget.js'))) {
  console.error(`No widget build in ${widgetDir}: run \`npm run build:widget\` first.`);
  process.exit(1);
}
const demo = await startWidgetDemo({ widgetDir, productId: 'none' });
const pages = { without: `${demo.storeUrl}/?widget=off`, with: `${demo.storeUrl}/` };
const report: Record<'without' | 'with', { lighthouse: LighthouseSample[]; load: LoadSample[] }> = {
  without: { lighthouse: [], load: [] },
  with: { lighthouse: [], load: [] },
};
let lighthouseError: string | undefined;
try {
  for (let i = 0; i < runs; i++) {
    for (const which of ['without', 'with'] as const) {
      report[which].load.push(await loadRun(pages[which], demo.cdnUrl));
      if (!lighthouseError) {
        try {
          report[which].lighthouse.push(await lighthouseRun(pages[which]));
        } catch (err) {
          lighthouseError = (err as Error).message;
        }
      }
    }
  }
} finally {
  await demo.close();
}

const summary = (which: 'without' | 'with') => {
  const r = report[which];
  const lh = (k: keyof LighthouseSample) => (r.lighthouse.length ? median(r.lighthouse.map((s) => s[k])) : null);
  const ld = (k: keyof LoadSample) => median(r.load.map((s) => s[k]));
  return {
    lighthouse: lighthouseError
      ? null
      : { score: lh('score'), fcpMs: lh('fcpMs'), lcpMs: lh('lcpMs'), tbtMs: lh('tbtMs'), cls: lh('cls'), speedIndexMs: lh('speedIndexMs') },
    load: { scriptMs: ld('scriptMs'), taskMs: ld('taskMs'), longTasks: ld('longTasks'), widgetRequests: ld('widgetRequests'), widgetBytes: ld('widgetBytes') },
  };
};
const out = { runs, without: summary('without'), with: summary('with'), lighthouseError, samples: report };
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(out, null, 2));
} else {
  const f = (n: number | null | undefined, d = 0) => (n === null || n === undefined || Number.isNaN(n) ? '—' : n.toFixed(d));
  console.log(`Host page cost of the widget, present but unused (median of ${runs} runs each)\n`);
  if (lighthouseError) console.log(`Lighthouse could not run here: ${lighthouseError}\n`);
  else {
    const a = out.without.lighthouse!;
    const b = out.with.lighthouse!;
    console.log('Lighthouse (mobile preset)   without widget   with widget');
    console.log(`  performance score          ${f(a.score).padStart(14)}   ${f(b.score).padStart(11)}   (Δ ${f(b.score! - a.score!)})`);
    console.log(`  FCP ms                     ${f(a.fcpMs).padStart(14)}   ${f(b.fcpMs).padStart(11)}`);
    console.log(`  LCP ms                     ${f(a.lcpMs).padStart(14)}   ${f(b.lcpMs).padStart(11)}`);
    console.log(`  TBT ms                     ${f(a.tbtMs).padStart(14)}   ${f(b.tbtMs).padStart(11)}`);
    console.log(`  CLS                        ${f(a.cls, 3).padStart(14)}   ${f(b.cls, 3).padStart(11)}`);
    console.log(`  Speed Index ms             ${f(a.speedIndexMs).padStart(14)}   ${f(b.speedIndexMs).padStart(11)}\n`);
  }
  const a = out.without.load;
  const b = out.with.load;
  console.log('Chromium counters (unthrottled)  without widget   with widget');
  console.log(`  main-thread script ms          ${f(a.scriptMs, 1).padStart(14)}   ${f(b.scriptMs, 1).padStart(11)}`);
  console.log(`  main-thread task ms            ${f(a.taskMs, 1).padStart(14)}   ${f(b.taskMs, 1).padStart(11)}`);
  console.log(`  long tasks (>50 ms)            ${f(a.longTasks).padStart(14)}   ${f(b.longTasks).padStart(11)}`);
  console.log(`  requests to the widget origin  ${f(a.widgetRequests).padStart(14)}   ${f(b.widgetRequests).padStart(11)}`);
  console.log(`  bytes from the widget origin   ${f(a.widgetBytes).padStart(14)}   ${f(b.widgetBytes).padStart(11)}`);
}
