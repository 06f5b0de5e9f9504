/**
 * The shopper's main flow on the real model and the demo catalogue (built from
 * ../shared/datasets by the same step as `npm start`, reused when already built):
 * a real catalogue photo and a real phone photo → expected article type + a similar-items grid →
 * product page with rows → cart; the same in Hindi; offline after one visit; and the
 * photo-chosen → results-on-screen time on WASM int8 with the model warm (median of 20, reported).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ensureDemoCatalogue } from '../../scripts/demo-catalogue.ts';
import { launchChromium, type LaunchedBrowser } from './chromium.ts';
import { PHONE, gotoApp, horizontalOverflow, lowContrastText, screenshot, smallTouchTargets } from './shopper-helpers.ts';
import { hi } from '../../src/i18n/messages/hi.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const DATASETS = resolve(ROOT, process.env.DRISHTI_DATASETS ?? '../shared/datasets');
const FASHION = join(DATASETS, 'fashion-product-images');
const PHONE_PHOTOS = join(DATASETS, 'clothing-photos');
const FOOTWEAR = ['Casual Shoes', 'Sports Shoes', 'Formal Shoes', 'Heels', 'Flats', 'Sandals', 'Flip Flops'];
/** Force the WASM int8 path the target is stated for. */
const WASM_INT8 = '/?backend=wasm&variant=int8';

/** The first held-out (test split) catalogue photo of `articleType`, so the model has not trained on it. */
function heldOutCatalogPhoto(articleType: string): { path: string; id: string } {
  const split = JSON.parse(readFileSync(join(ROOT, 'models/splits/split.json'), 'utf8')) as { ids: { test: (string | number)[] } };
  const test = new Set(split.ids.test.map(String));
  const rows = readFileSync(join(FASHION, 'styles.csv'), 'utf8').split('\n').slice(1);
  for (const row of rows) {
    const cols = row.split(',');
    const id = cols[0]!;
    if (cols[4] === articleType && test.has(id) && existsSync(join(FASHION, 'images', `${id}.jpg`))) {
      return { id, path: join(FASHION, 'images', `${id}.jpg`) };
    }
  }
  throw new Error(`No held-out ${articleType} photo found in ${FASHION}.`);
}

function phonePhoto(folder: string): string {
  const dir = join(PHONE_PHOTOS, 'validation', folder);
  const first = readdirSync(dir).filter((f) => /\.jpe?g$/i.test(f)).sort()[0];
  if (!first) throw new Error(`No photos in ${dir}.`);
  return join(dir, first);
}

async function upload(page: Page, path: string): Promise<void> {
  await page.locator('#upload').setInputFiles(path);
}

/** Waits for the results of the photo just chosen and returns photo → results time (ms). */
async function waitForResults(page: Page): Promise<number> {
  const handle = await page.waitForFunction(
    () => {
      const home = document.querySelector('drishti-app')?.shadowRoot?.querySelector('drishti-home-page') as HTMLElement | null;
      const failure = home?.shadowRoot?.querySelector('#failure')?.textContent;
      if (failure) return `failure: ${failure}`;
      return home?.dataset.resultsMs ?? null;
    },
    undefined,
    { timeout: 120_000, polling: 'raf' },
  );
  const value = (await handle.jsonValue()) as string;
  if (value.startsWith('failure')) throw new Error(value);
  return Number(value);
}

async function predicted(page: Page, head: string): Promise<{ id: string; text: string }> {
  const dd = page.locator(`drishti-attribute-list dd[data-head="${head}"]`);
  return { id: (await dd.getAttribute('data-label-id')) ?? '', text: (await dd.locator('.value').textContent()) ?? '' };
}

describe('shopper: photo → what it is → similar items → product (real model, demo catalogue)', () => {
  let b: LaunchedBrowser;
  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'models/manifest.json'))) throw new Error('models/manifest.json is missing: these tests need the packaged model.');
    if (!existsSync(join(FASHION, 'styles.csv'))) throw new Error(`The dataset is missing at ${FASHION} (set DRISHTI_DATASETS).`);
    ensureDemoCatalogue();
    b = await launchChromium({ viewport: PHONE });
  }, 600_000);
  afterAll(async () => {
    await b?.close();
  });

  it('recognises a catalogue photo and shows similar items from the store', async () => {
    const { page } = b;
    await gotoApp(page, inject('baseUrl'), WASM_INT8);
    const photo = heldOutCatalogPhoto('Tshirts');
    // Privacy: while the photo is searched, nothing is sent anywhere — only same-origin GETs (app files, thumbnails).
    const sent: string[] = [];
    const onRequest = (r: { method(): string; url(): string; postData(): string | null }): void => {
      if (r.method() !== 'GET' || r.postData() || !r.url().startsWith(inject('baseUrl'))) sent.push(`${r.method()} ${r.url()}`);
    };
    page.on('request', onRequest);
    await upload(page, photo.path);
    await waitForResults(page);
    page.off('request', onRequest);
    expect(sent).toEqual([]);
    expect((await predicted(page, 'articleType')).id).toBe('Tshirts');
    const cards = page.locator('#similar-grid drishti-product-card');
    expect(await cards.count()).toBeGreaterThan(3);
    await screenshot(page, 'snap-results-catalogue-photo-en');
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await smallTouchTargets(page)).toEqual([]);
    expect(await lowContrastText(page)).toEqual([]);
    const first = await cards.count();
    await page.locator('#more-similar').click();
    await page.waitForFunction((n) => {
      const grid = document.querySelector('drishti-app')?.shadowRoot?.querySelector('drishti-home-page')?.shadowRoot?.querySelector('#similar-grid');
      return (grid?.shadowRoot?.querySelectorAll('drishti-product-card').length ?? 0) > n;
    }, first);
  });

  it('recognises a phone photo of shoes as footwear', async () => {
    const { page } = b;
    await upload(page, phonePhoto('shoes'));
    await waitForResults(page);
    expect(FOOTWEAR).toContain((await predicted(page, 'articleType')).id);
    expect(await page.locator('#similar-grid drishti-product-card').count()).toBeGreaterThan(0);
    await screenshot(page, 'snap-results-phone-photo-en');
  });

  it('shows the results in Hindi, labels from the model manifest', async () => {
    const { page } = b;
    const manifest = JSON.parse(readFileSync(join(ROOT, 'models/manifest.json'), 'utf8')) as {
      heads: { name: string; labels: { id: string; hi: string }[] }[];
    };
    await page.locator('drishti-site-header button[data-locale="hi"]').click();
    const type = await predicted(page, 'articleType');
    const hindiName = manifest.heads.find((h) => h.name === 'articleType')!.labels.find((l) => l.id === type.id)!.hi;
    expect(type.text).toBe(hindiName);
    expect(await page.locator('drishti-home-page #similar-heading').textContent()).toBe(hi['similar.heading']);
    await screenshot(page, 'snap-results-hi');
    await page.locator('drishti-site-header button[data-locale="en"]').click();
  });

  it('opens a product with similar and you-may-also-like rows, and adds it to the cart', async () => {
    const { page } = b;
    await page.locator('#similar-grid drishti-product-card a').first().click();
    await page.waitForFunction(() => location.pathname === '/product');
    await page.locator('drishti-product-page #similar-row drishti-product-card').first().waitFor({ timeout: 30_000 });
    await page.locator('drishti-product-page #also-like-row drishti-product-card').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('drishti-product-page #price').textContent()).toMatch(/₹[\d,]+/);
    await page.locator('drishti-product-page #add-to-cart').click();
    await page.waitForFunction(() =>
      document.querySelector('drishti-app')?.shadowRoot?.querySelector('drishti-site-header')?.shadowRoot?.querySelector('a[href="/cart"] .count')?.textContent === '1',
    );
    await screenshot(page, 'product-en');
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await smallTouchTargets(page)).toEqual([]);
    expect(await lowContrastText(page)).toEqual([]);
  });

  it('browses the catalogue with facets and a search within the results', async () => {
    const { page } = b;
    await gotoApp(page, inject('baseUrl'), '/browse');
    const count = page.locator('drishti-browse-page #result-count');
    await count.waitFor();
    const all = await count.textContent();
    await page.locator('drishti-facet-filters select[name="articleType"]').selectOption('Tshirts');
    await page.waitForFunction((before) => {
      const el = document.querySelector('drishti-app')?.shadowRoot?.querySelector('drishti-browse-page')?.shadowRoot?.querySelector('#result-count');
      return el && el.textContent !== before;
    }, all);
    expect(new URL(page.url()).searchParams.get('articleType')).toBe('Tshirts');
    await screenshot(page, 'browse-filtered-en');
  });

  it('works offline after one online visit', async () => {
    const { page, context } = b;
    await gotoApp(page, inject('baseUrl'), WASM_INT8);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await context.setOffline(true);
    try {
      await page.reload();
      await page.waitForSelector('drishti-app main[aria-busy="false"]');
      await upload(page, heldOutCatalogPhoto('Tshirts').path);
      await waitForResults(page);
      expect((await predicted(page, 'articleType')).id).toBe('Tshirts');
      expect(await page.locator('#similar-grid drishti-product-card').count()).toBeGreaterThan(0);
      await screenshot(page, 'snap-results-offline-en');
    } finally {
      await context.setOffline(false);
    }
  });

  it('lists the stored model, history and cart on the settings page, with sizes', async () => {
    const { page } = b;
    await gotoApp(page, inject('baseUrl'), '/settings');
    const models = page.locator('#stored tr[data-kind="models"]');
    await models.waitFor({ timeout: 30_000 });
    expect(await models.locator('td.num').textContent()).toMatch(/[\d.]+\s*MB/);
    expect(await page.locator('#stored tr[data-kind="history"]').count()).toBe(1);
    expect(await page.locator('#stored tr[data-kind="shop"]').count()).toBe(1);
    await screenshot(page, 'settings-stored-en');
  });

  it('measures photo chosen → attributes and similar items on screen (WASM int8, model warm, median of 20)', async () => {
    const { page } = b;
    await gotoApp(page, inject('baseUrl'), WASM_INT8);
    const photo = heldOutCatalogPhoto('Tshirts').path;
    // Warm-up: model load and the first inferences (WASM compile, allocations) are not part of the target.
    for (let i = 0; i < 3; i++) {
      await upload(page, photo);
      await waitForResults(page);
    }
    const times: number[] = [];
    const breakdown: Record<string, number>[] = [];
    for (let i = 0; i < 20; i++) {
      await upload(page, i % 2 ? phonePhoto('shoes') : photo);
      times.push(await waitForResults(page));
      breakdown.push(await page.locator('drishti-home-page').evaluate((el) => JSON.parse((el as HTMLElement).dataset.timings ?? '{}') as Record<string, number>));
    }
    const medianOf = (key: string): number => {
      const v = breakdown.map((b) => b[key] ?? 0).sort((a, c) => a - c);
      return (v[9]! + v[10]!) / 2;
    };
    const parts = Object.fromEntries(['decodeMs', 'classifyMs', 'preprocessMs', 'inferenceMs', 'searchMs', 'renderMs'].map((k) => [k, medianOf(k)]));
    const sorted = [...times].sort((a, c) => a - c);
    const median = (sorted[9]! + sorted[10]!) / 2;
    const load = await page.evaluate(() => (globalThis as { __drishti?: { engine: { lastLoad: unknown } } }).__drishti?.engine.lastLoad);
    const report = { target: 'photo chosen → attributes + similar items on screen ≤ 400 ms', medianMs: median, minMs: sorted[0], maxMs: sorted[19], medianParts: parts, times, load };
    mkdirSync(join(ROOT, 'test-results'), { recursive: true });
    writeFileSync(join(ROOT, 'test-results/shopper-photo-to-results.json'), JSON.stringify(report, null, 2));
    console.log(`photo → results: median ${median.toFixed(1)} ms over 20 (min ${sorted[0]!.toFixed(1)}, max ${sorted[19]!.toFixed(1)}); median parts ${JSON.stringify(parts)}`);
    // A measurement, not a pass/fail target: only check that it produced 20 real timings.
    expect(times.every((ms) => ms > 0 && Number.isFinite(ms))).toBe(true);
  });
});
