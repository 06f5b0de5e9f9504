/**
 * The shop under its experiments, on the built app with the demo catalogue and the real model:
 * a product page's "you may also like" row records an impression (and latency) for this install's
 * ranking arm, and opening a recommended item, wishlisting and adding it to the cart record the
 * outcomes, read back from the device's store and the /experiments report; the model-variant arm
 * reaches the model load (on WASM the fp16 arm is not applicable and int8 runs); the settings page
 * carries the opt-in sharing switch, off; the catalogue pack is downloaded once for browsing and
 * recommendations together.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ensureDemoCatalogue } from '../../scripts/demo-catalogue.ts';
import { launchChromium, type LaunchedBrowser } from './chromium.ts';
import { gotoApp } from './shopper-helpers.ts';

const ROOT = resolve(import.meta.dirname, '../..');

interface StoredEvent {
  experimentId: string;
  arm: string;
  kind: string;
  valueMs?: number;
}

/** The device's experiment events, read straight from IndexedDB. */
function storedEvents(page: Page, experimentId: string): Promise<StoredEvent[]> {
  return page.evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const req = indexedDB.open('drishti-experiments');
      req.onsuccess = () => res(req.result);
      req.onerror = () => rej(req.error);
    });
    if (!db.objectStoreNames.contains('events')) return [];
    const all = await new Promise<StoredEvent[]>((res, rej) => {
      const req = db.transaction('events').objectStore('events').getAll();
      req.onsuccess = () => res(req.result as StoredEvent[]);
      req.onerror = () => rej(req.error);
    });
    db.close();
    return all.filter((e) => e.experimentId === id);
  }, experimentId);
}

async function waitForEvent(page: Page, experimentId: string, kind: string): Promise<StoredEvent[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const events = await storedEvents(page, experimentId);
    if (events.some((e) => e.kind === kind) || Date.now() > deadline) return events;
    await page.waitForTimeout(100);
  }
}

/** The assignment's hash position, computed here independently of src/ (SHA-256, first 52 bits). */
function bucket(experimentId: string, installId: string): number {
  const d = createHash('sha256').update(`${experimentId}\n${installId}`).digest();
  return (d.readUInt32BE(0) * 2 ** 20 + (d.readUInt32BE(4) >>> 12)) / 2 ** 52;
}

/** An install id that lands in the model experiment's fp16 arm (second half of the 50/50 split). */
function installIdInFp16Arm(): string {
  for (let i = 0; ; i++) {
    const id = `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
    if (bucket('model-precision-1', id) >= 0.5) return id;
  }
}

/** Gives this browser profile a chosen install id before the app first opens its experiments database. */
async function seedInstallId(page: Page, installId: string): Promise<void> {
  await page.evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const req = indexedDB.open('drishti-experiments', 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore('meta');
        req.result.createObjectStore('events', { keyPath: 'seq', autoIncrement: true }).createIndex('by-experiment', 'experimentId');
      };
      req.onsuccess = () => res(req.result);
      req.onerror = () => rej(req.error);
    });
    const tx = db.transaction('meta', 'readwrite');
    tx.objectStore('meta').put(id, 'installId');
    await new Promise<void>((res, rej) => {
      tx.oncomplete = () => res();
      tx.onerror = () => rej(tx.error);
    });
    db.close();
  }, installId);
}

interface ModelDecision {
  arm: string;
  applied: boolean;
  counted: boolean;
  note?: string;
  loaded?: { backend: string; variant: string };
}

async function modelDecision(page: Page): Promise<ModelDecision> {
  const handle = await page.waitForFunction(
    () => {
      const raw = localStorage.getItem('drishti.modelExperiment');
      const d = raw ? (JSON.parse(raw) as { loaded?: unknown }) : null;
      return d?.loaded ? raw : null;
    },
    undefined,
    { timeout: 120_000 },
  );
  return JSON.parse((await handle.jsonValue()) as string) as ModelDecision;
}

describe('shopper under experiments (demo catalogue, real model)', () => {
  let b: LaunchedBrowser | undefined;
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'models/manifest.json'))) throw new Error('models/manifest.json is missing: these tests need the packaged model.');
    ensureDemoCatalogue();
  }, 600_000);
  afterEach(async () => {
    await b?.close();
    b = undefined;
  });

  it('records an impression for the ranking arm on a product page, and the click, wishlist and add-to-cart that follow', async () => {
    b = await launchChromium();
    const { page } = b;
    // Fresh profile: count every request for the pack's files, from the page and the worker alike.
    const packFiles: string[] = [];
    b.context.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/catalogues/demo/') && /\.(json|gz|i8)$/.test(path)) packFiles.push(path);
    });
    await gotoApp(page, inject('baseUrl'), '/browse');
    await page.locator('drishti-browse-page drishti-product-card a').first().click();
    await page.waitForFunction(() => location.pathname === '/product');
    const alsoLike = page.locator('drishti-product-page #also-like-row drishti-product-card a');
    await alsoLike.first().waitFor({ timeout: 60_000 });

    let events = await waitForEvent(page, 'ranking-weights-1', 'impression');
    const arm = events.find((e) => e.kind === 'impression')?.arm;
    expect(['balanced', 'visual']).toContain(arm);
    expect(events.every((e) => e.arm === arm)).toBe(true);
    const latency = events.filter((e) => e.kind === 'latency');
    expect(latency.length).toBeGreaterThan(0);
    expect(latency.every((e) => typeof e.valueMs === 'number' && e.valueMs >= 0)).toBe(true);
    expect(events.filter((e) => e.kind === 'click')).toHaveLength(0);

    // The pack was downloaded once: the recommendations reuse the catalogue the worker already holds.
    const downloads = (name: string) => packFiles.filter((p) => p.endsWith(name)).length;
    expect(downloads('items.json.gz')).toBe(1);
    expect(downloads('embeddings.i8')).toBe(1);

    // Open a recommended item: a click; then wishlist it and add it to the cart (twice: counted once).
    const clickedId = await alsoLike.first().getAttribute('data-item-id');
    await alsoLike.first().click();
    await page.waitForFunction((id) => new URLSearchParams(location.search).get('id') === id, clickedId);
    await page.locator('drishti-product-page #add-to-cart').waitFor();
    events = await waitForEvent(page, 'ranking-weights-1', 'click');
    expect(events.filter((e) => e.kind === 'click')).toHaveLength(1);
    await page.locator('drishti-product-page #wishlist').click();
    await page.locator('drishti-product-page #add-to-cart').click();
    await page.waitForFunction(
      () => document.querySelector('drishti-app')?.shadowRoot?.querySelector('drishti-site-header')?.shadowRoot?.querySelector('a[href="/cart"] .count')?.textContent === '1',
    );
    await page.locator('drishti-product-page #add-to-cart').click();
    await page.waitForFunction(
      () => document.querySelector('drishti-app')?.shadowRoot?.querySelector('drishti-site-header')?.shadowRoot?.querySelector('a[href="/cart"] .count')?.textContent === '2',
    );
    events = await waitForEvent(page, 'ranking-weights-1', 'add-to-cart');
    expect(events.filter((e) => e.kind === 'wishlist')).toHaveLength(1);
    expect(events.filter((e) => e.kind === 'add-to-cart')).toHaveLength(1);
    expect(events.every((e) => e.arm === arm)).toBe(true);

    // The report page shows the same counts for the arm.
    await gotoApp(page, inject('baseUrl'), '/experiments');
    const row = page.locator(`drishti-experiments-page article[data-experiment="ranking-weights-1"] tr[data-arm="${arm}"]`);
    await row.waitFor({ timeout: 30_000 });
    const impressions = events.filter((e) => e.kind === 'impression').length;
    expect(Number((await row.locator('td[data-col="impressions"]').innerText()).replace(/\D/g, ''))).toBe(impressions);
    expect(await row.locator('td[data-col="click"]').innerText()).toMatch(/^1\b/);
    expect(await row.locator('td[data-col="add-to-cart"]').innerText()).toMatch(/^1\b/);
    expect(await row.locator('td[data-col="latency"]').innerText()).toMatch(/ms$/);
  });

  it('loads the model for the fp16 arm with the automatic choice on WASM, recorded as not applicable and not counted', async () => {
    b = await launchChromium();
    const { page } = b;
    await gotoApp(page, inject('baseUrl'), '/not-a-page');
    await seedInstallId(page, installIdInFp16Arm());
    await gotoApp(page, inject('baseUrl'), '/');
    const decision = await modelDecision(page);
    expect(decision).toMatchObject({ arm: 'fp16', applied: false, counted: false, loaded: { backend: 'wasm', variant: 'int8' } });
    expect(decision.note).toMatch(/^not applicable: .*WebGPU/);

    // A photo result on this device adds nothing to the model experiment (neither arm is compared here).
    const photo = await sharp({ create: { width: 96, height: 128, channels: 3, background: { r: 30, g: 60, b: 160 } } }).jpeg().toBuffer();
    await page.locator('#upload').setInputFiles({ name: 'shirt.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.waitForFunction(
      () => {
        const home = document.querySelector('drishti-app')?.shadowRoot?.querySelector('drishti-home-page') as HTMLElement | null;
        return !!home?.dataset.resultsMs;
      },
      undefined,
      { timeout: 120_000 },
    );
    expect(await storedEvents(page, 'model-precision-1')).toEqual([]);
  });

  it('passes the int8 arm to the engine load on WASM', async () => {
    b = await launchChromium();
    const { page } = b;
    await gotoApp(page, inject('baseUrl'), '/not-a-page');
    let i = 0;
    let id = '';
    do id = `10000000-0000-4000-8000-${(i++).toString(16).padStart(12, '0')}`;
    while (bucket('model-precision-1', id) >= 0.5);
    await seedInstallId(page, id);
    await gotoApp(page, inject('baseUrl'), '/');
    const decision = await modelDecision(page);
    expect(decision).toMatchObject({ arm: 'int8', applied: true, counted: false, loaded: { backend: 'wasm', variant: 'int8' } });
    expect(decision.note).toMatch(/not counted/);
  });

  it('has the sharing switch on the settings page, off by default', async () => {
    b = await launchChromium();
    const { page } = b;
    await gotoApp(page, inject('baseUrl'), '/settings');
    // The bundled config names no collector: the switch says nothing is collected, and consent is off.
    const note = page.locator('drishti-settings-page drishti-share-counts p').first();
    await note.waitFor({ timeout: 15_000 });
    expect(await note.innerText()).toMatch(/collects nothing/);
    expect(await page.locator('drishti-settings-page drishti-share-counts input[type=checkbox]:checked').count()).toBe(0);
    const consent = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const req = indexedDB.open('drishti-experiments');
        req.onsuccess = () => res(req.result);
        req.onerror = () => rej(req.error);
      });
      const value = await new Promise<unknown>((res, rej) => {
        const req = db.transaction('meta').objectStore('meta').get('exportConsent');
        req.onsuccess = () => res(req.result);
        req.onerror = () => rej(req.error);
      });
      db.close();
      return value ?? false;
    });
    expect(consent).toBe(false);
  });
});
