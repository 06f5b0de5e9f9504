/**
 * The wishlist and cart live in IndexedDB: they survive reloads; the settings page lists what is
 * stored with sizes and deletes all of it.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium, type LaunchedBrowser } from './chromium.ts';
import { PHONE, gotoApp, screenshot } from './shopper-helpers.ts';
import { en } from '../../src/i18n/messages/en.ts';

/** Writes wishlist and cart entries the way the app's shop store does (database "drishti-shop", v1). */
async function seedShop(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('drishti-shop', 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore('wishlist', { keyPath: 'key' }).createIndex('addedAt', 'addedAt');
        req.result.createObjectStore('cart', { keyPath: 'key' }).createIndex('addedAt', 'addedAt');
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const item = (id: string, title: string, priceInr: number) => ({ id, catalogueId: 'demo', title, priceInr, thumbnailUrl: '/icons/icon-192.png' });
    const tx = db.transaction(['wishlist', 'cart'], 'readwrite');
    tx.objectStore('wishlist').put({ key: 'demo\u0000k1', item: item('k1', 'Red silk kurta', 1499), addedAt: 1 });
    tx.objectStore('cart').put({ key: 'demo\u0000s1', item: item('s1', 'Running shoes', 61728), quantity: 2, addedAt: 1, updatedAt: 1 });
    await new Promise((r) => (tx.oncomplete = r));
    db.close();
  });
}

describe('shopper: wishlist, cart and stored data', () => {
  let b: LaunchedBrowser;
  beforeAll(async () => {
    b = await launchChromium({ viewport: PHONE });
  });
  afterAll(async () => {
    await b?.close();
  });

  it('shows the wishlist and cart after a reload, with the total in rupees (Indian grouping)', async () => {
    const { page } = b;
    await gotoApp(page, inject('baseUrl'));
    await seedShop(page);
    await gotoApp(page, inject('baseUrl'), '/wishlist');
    await page.locator('#wishlist li[data-item-id="k1"]').waitFor();
    expect(await page.locator('#wishlist li').textContent()).toContain('₹1,499');
    await gotoApp(page, inject('baseUrl'), '/cart');
    await page.locator('#cart li[data-item-id="s1"]').waitFor();
    expect(await page.locator('#total').textContent()).toContain('₹1,23,456');
    expect(await page.locator('drishti-site-header a[href="/cart"]').getAttribute('aria-label')).toBe('Cart, 2 items');
    // One fewer: the quantity and the total follow.
    await page.getByRole('button', { name: 'One fewer Running shoes' }).click();
    await page.waitForFunction(() => {
      const root = document.querySelector('drishti-app')?.shadowRoot?.querySelector('drishti-cart-page')?.shadowRoot;
      return root?.querySelector('#total')?.textContent?.includes('₹61,728');
    });
    await screenshot(page, 'cart-en');
    await page.reload();
    await page.locator('#cart li[data-item-id="s1"]').waitFor();
    expect(await page.locator('#total').textContent()).toContain('₹61,728');
  });

  it('moves a wishlist item to the cart', async () => {
    const { page } = b;
    await gotoApp(page, inject('baseUrl'), '/wishlist');
    await page.getByRole('button', { name: en['wishlist.moveToCart'] }).click();
    await page.locator('#empty').waitFor();
    await gotoApp(page, inject('baseUrl'), '/cart');
    await page.locator('#cart li[data-item-id="k1"]').waitFor();
  });

  it('lists what is stored on the settings page and deletes all of it', async () => {
    const { page } = b;
    await gotoApp(page, inject('baseUrl'), '/settings');
    const shopRow = page.locator('#stored tr[data-kind="shop"]');
    await shopRow.waitFor();
    expect(await shopRow.textContent()).toContain(en['settings.kind.shop']);
    await screenshot(page, 'settings-en');
    page.once('dialog', (d) => void d.accept());
    await page.locator('#delete-all').click();
    // Either deleted at once or after the reload that closes connections still holding a database.
    await page.waitForFunction(
      async () => !(await indexedDB.databases()).some((d) => d.name === 'drishti-shop'),
      undefined,
      { timeout: 15_000, polling: 250 },
    );
    await gotoApp(page, inject('baseUrl'), '/cart');
    await page.locator('drishti-cart-page #empty').waitFor();
  });
});
