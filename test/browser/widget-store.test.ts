/**
 * The widget on the demo store, cross-origin: the store pages on one port, the widget, the pack
 * and the model on another (as from a CDN). Both elements render, search returns products, events
 * reach the host page, titles with markup render as text, nothing loads before it is needed, and
 * the widget leaves no globals and no console errors behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Request } from 'playwright-core';
import { launchChromium, type LaunchedBrowser } from './chromium.ts';
import { HOSTILE_TITLES, startWidgetFixture, type WidgetFixture } from './widget-fixtures.ts';

describe('widget on the demo store (cross-origin)', () => {
  let f: WidgetFixture;
  let b: LaunchedBrowser;
  const requests: string[] = [];

  beforeAll(async () => {
    f = await startWidgetFixture();
    b = await launchChromium();
    b.page.on('request', (r: Request) => requests.push(r.url()));
  });
  afterAll(async () => {
    await b?.close();
    await f?.close();
  });

  const cdnRequests = () => requests.filter((u) => u.startsWith(f.demo.cdnUrl)).map((u) => new URL(u).pathname);

  it('costs the page only the loader until the widget is visible, then shows similar products', async () => {
    requests.length = 0;
    await b.page.goto(`${f.demo.storeUrl}/`);
    await b.page.waitForFunction(() => customElements.get('drishti-similar') && customElements.get('drishti-lens'));
    // Both elements render their shells (the lens button; the similar row's heading) in shadow DOM.
    await expect.poll(() => b.page.locator('drishti-lens').getByRole('button', { name: 'Search by photo' }).count()).toBe(1);
    await b.page.waitForTimeout(500);
    const before = cdnRequests();
    expect(before.some((p) => p.endsWith('/widget/drishti-widget.js'))).toBe(true);
    expect(before.filter((p) => /worker|runtime|pack|models|ort/.test(p))).toEqual([]);

    await b.page.locator('drishti-similar').scrollIntoViewIfNeeded();
    const cards = b.page.locator('drishti-similar li.card');
    await expect.poll(() => cards.count(), { timeout: 60_000 }).toBe(6);
    const after = cdnRequests();
    expect(after.some((p) => p.endsWith('/pack/pack.json'))).toBe(true);
    // Similar products need the pack only, never the model.
    expect(after.filter((p) => p.startsWith('/models/'))).toEqual([]);
    const ids = await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-product-id')));
    expect(ids).not.toContain(f.items[0]!.id);
    expect(new Set(ids).size).toBe(6);
    // Prices in rupees with Indian grouping.
    expect(await cards.first().locator('[part=price]').textContent()).toMatch(/^₹[\d,]+$/);
  });

  it('sends drishti-select and drishti-add-to-cart with the product id to the host page', async () => {
    const card = b.page.locator('drishti-similar li.card').first();
    const id = await card.getAttribute('data-product-id');
    await card.locator('button.select').click();
    await card.getByRole('button', { name: 'Add to cart' }).click();
    const events = b.page.locator('#events li');
    await expect.poll(() => events.count()).toBe(2);
    expect(await events.evaluateAll((els) => els.map((e) => [e.getAttribute('data-kind'), e.getAttribute('data-product-id')]))).toEqual([
      ['select', id],
      ['add-to-cart', id],
    ]);
    expect(await b.page.locator('#cart-count').textContent()).toBe('1');
  });

  it('renders catalogue titles holding markup or script as text', async () => {
    // The JS API: showing every other product puts the hostile titles on screen.
    await b.page.evaluate(() => {
      document.querySelector('drishti-similar')!.limit = 11;
    });
    const cards = b.page.locator('drishti-similar li.card');
    await expect.poll(() => cards.count(), { timeout: 30_000 }).toBe(11);
    for (const [id, title] of Object.entries(HOSTILE_TITLES)) {
      const card = b.page.locator(`drishti-similar li.card[data-product-id="${id}"]`);
      expect(await card.locator('[part=title]').textContent()).toBe(title);
      expect(await card.locator('[part=title] *').count()).toBe(0);
    }
    expect(await b.page.evaluate(() => (window as { __drishtiPwned?: number }).__drishtiPwned)).toBeUndefined();
  });

  it('finds the photographed product with <drishti-lens>, loading the model only when opened', async () => {
    expect(cdnRequests().filter((p) => p.startsWith('/models/'))).toEqual([]);
    const lens = b.page.locator('drishti-lens');
    await lens.getByRole('button', { name: 'Search by photo' }).click();
    await expect.poll(() => lens.locator('dialog[open]').count()).toBe(1);
    const target = f.items[4]!;
    await lens.locator('input[type=file]').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: target.png });
    const cards = lens.locator('li.card');
    await expect.poll(() => cards.count(), { timeout: 90_000 }).toBe(8);
    expect(await cards.first().getAttribute('data-product-id')).toBe(target.id);
    expect(cdnRequests().some((p) => p === '/models/manifest.json')).toBe(true);
    // Choosing a result reaches the host page too (composed event out of the dialog's shadow root).
    await cards.first().locator('button.select').click();
    await expect.poll(() => b.page.locator('#events li[data-kind=select]').last().getAttribute('data-product-id')).toBe(target.id);
  });

  it('adds no globals besides the element names and logs no console errors', async () => {
    const withWidget = await b.page.evaluate(() => Object.getOwnPropertyNames(window));
    const page2 = await b.context.newPage();
    await page2.goto(`${f.demo.storeUrl}/?widget=off`);
    const without = new Set(await page2.evaluate(() => Object.getOwnPropertyNames(window)));
    await page2.close();
    expect(withWidget.filter((name) => !without.has(name))).toEqual([]);
    expect(b.errors).toEqual([]);
  });

  it('speaks Hindi and follows the host theme', async () => {
    await b.page.goto(`${f.demo.storeUrl}/?lang=hi`);
    const similar = b.page.locator('drishti-similar');
    await similar.scrollIntoViewIfNeeded();
    await expect.poll(() => similar.locator('li.card').count(), { timeout: 60_000 }).toBe(6);
    expect(await similar.locator('[part=heading]').textContent()).toBe('मिलते-जुलते उत्पाद');
    expect(await similar.locator('[part=add-to-cart]').first().textContent()).toBe('कार्ट में डालें');
    // store.css sets --drishti-accent: #8a3b12 and ::part(title) { font-family: Georgia }.
    expect(await similar.locator('[part=add-to-cart]').first().evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(138, 59, 18)');
    expect(await similar.locator('[part=title]').first().evaluate((e) => getComputedStyle(e).fontFamily)).toContain('Georgia');
    expect(b.errors).toEqual([]);
  });

  it('reports bad configuration and unusable photos to the host page, not the console', async () => {
    await b.page.goto(`${f.demo.storeUrl}/`);
    await b.page.waitForFunction(() => customElements.get('drishti-similar'));
    b.errors.length = 0;
    const errorsSeen = () => b.page.locator('#events li[data-kind=error]').allTextContents();
    await b.page.evaluate((packUrl) => {
      const unknown = document.createElement('drishti-similar');
      unknown.id = 'unknown';
      unknown.productId = 'no-such-product';
      unknown.packUrl = packUrl;
      unknown.loading = 'eager';
      const unconfigured = document.createElement('drishti-similar');
      unconfigured.id = 'unconfigured';
      unconfigured.productId = 'p-01';
      unconfigured.loading = 'eager';
      document.querySelector('main')!.prepend(unknown, unconfigured);
    }, f.packUrl);
    await expect.poll(errorsSeen, { timeout: 60_000 }).toHaveLength(2);
    const seen = (await errorsSeen()).sort();
    expect(seen[0]).toMatch(/^error \(config\): Set pack-url/);
    expect(seen[1]).toMatch(/^error \(not-found\): .*no-such-product/);
    expect(await b.page.locator('#unknown [part=status]').textContent()).toContain('no-such-product');

    const found = await b.page.evaluate(() => document.querySelector('drishti-lens')!.search(new Blob(['not a photo'], { type: 'image/jpeg' })));
    expect(found).toEqual([]);
    await expect.poll(errorsSeen, { timeout: 90_000 }).toHaveLength(3);
    expect((await errorsSeen())[2]).toMatch(/^error \(photo\): /);
    expect(await b.page.locator('drishti-lens [part=status]').textContent()).toMatch(/Something went wrong/);
    expect(b.errors).toEqual([]);
  });
});
