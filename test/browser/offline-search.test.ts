/**
 * "Once a model and a pack are stored, the whole app works with the network off": after one
 * online visit that loads the shipped model (/models/) and a catalogue pack (served cross-origin
 * by the fault server), the page reloads offline, loads both from IndexedDB, and answers a visual
 * search. The pack server counts requests, so nothing can quietly come from the network.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildPackFiles } from '../../src/features/catalogue/shared/pack-writer.ts';
import { syntheticItems } from '../../src/features/catalogue/shared/synthetic-catalogue.ts';
import type { LoadResult } from '../../src/features/engine/shared/engine-api.ts';
import { DIST_DIR } from '../../scripts/serve.ts';
import { startFaultServer, type FaultServer, type ServedFile } from '../delivery/fault-server.ts';
import { launchChromium, type LaunchedBrowser } from './chromium.ts';
import { loadInPage, makeTestImages } from './engine-fixtures.ts';

type Plain<T> = T | { error: { name: string; code?: string; message: string } };
interface SearchResult {
  hits: { item: { id: string } }[];
}

let b: LaunchedBrowser;
let packs: FaultServer;

function ok<T>(r: Plain<T>): T {
  if (r && typeof r === 'object' && 'error' in r) throw new Error(`Expected a result, got ${r.error.name}: ${r.error.message}`);
  return r as T;
}

function loadPack(url: string): Promise<Plain<{ itemCount: number; id: string }>> {
  return b.page.evaluate(async (u) => {
    const client = (globalThis as unknown as { __drishtiCatalogue: { loadPack(u: string): Promise<{ itemCount: number; id: string }> } }).__drishtiCatalogue;
    try {
      return await client.loadPack(u);
    } catch (err) {
      const e = err as Error & { code?: string };
      return { error: { name: e.name, code: e.code, message: e.message } };
    }
  }, url);
}

async function searchByPhoto(photo: Buffer, catalogueId: string): Promise<SearchResult> {
  return b.page.evaluate(
    async ({ bytes, catalogueId }) => {
      const client = (globalThis as unknown as { __drishtiCatalogue: { search(q: unknown): Promise<SearchResult> } }).__drishtiCatalogue;
      const blob = new Blob([new Uint8Array(bytes)], { type: 'image/png' });
      return client.search({ catalogueId, by: { kind: 'image', image: blob }, k: 10 });
    },
    { bytes: [...photo], catalogueId },
  );
}

async function openApp(): Promise<void> {
  await b.page.goto(`${inject('baseUrl')}/import`);
  await b.page.waitForFunction(() => '__drishtiCatalogue' in globalThis && '__drishti' in globalThis, undefined, { timeout: 30_000 });
}

beforeAll(async () => {
  const manifest = JSON.parse(readFileSync(resolve(DIST_DIR, 'models/manifest.json'), 'utf8')) as { id: string; version: string; embedding: { dims: number } };
  const model = { id: manifest.id, version: manifest.version, embeddingDims: manifest.embedding.dims };
  const { files } = await buildPackFiles({
    id: 'offline-shop',
    title: 'Offline shop',
    model,
    pricing: { currency: 'INR', source: 'feed', note: '' },
    paths: { image: 'images/{id}.jpg', thumbnail: 'thumbs/{id}.webp' },
    items: syntheticItems(400, model.embeddingDims, 5),
  });
  const served: Record<string, ServedFile> = {};
  for (const [name, data] of files) served[`/shop/${name}`] = { data, etag: `"${name}"` };
  packs = await startFaultServer(served);
  b = await launchChromium();
}, 120_000);

afterAll(async () => {
  await b?.close();
  await packs?.close();
});

describe('the app with the network off', () => {
  it('after one online visit, reloads offline and answers a visual search from the stored model and pack', async () => {
    const packUrl = `${packs.url}/shop/pack.json`;
    const [photo] = await makeTestImages();

    await openApp();
    await b.page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
    const online = await loadInPage(b.page, { backend: 'wasm' });
    if ('error' in online) throw new Error(`the model did not load online: ${online.error.message}`);
    const info = ok(await loadPack(packUrl));
    expect(info.itemCount).toBe(400);
    expect((await searchByPhoto(photo!, info.id)).hits).toHaveLength(10);
    const packRequests = packs.log.length;

    await b.context.setOffline(true);
    await openApp();
    expect(await b.page.evaluate(() => navigator.onLine)).toBe(false);
    const t0 = Date.now();
    const offline = (await loadInPage(b.page, { backend: 'wasm' })) as LoadResult;
    expect(offline).not.toHaveProperty('error');
    expect(offline.modelVersion).toBe(online.modelVersion);
    const loadMs = Date.now() - t0;
    const offlineInfo = ok(await loadPack(packUrl));
    expect(offlineInfo.itemCount).toBe(400);
    const result = await searchByPhoto(photo!, offlineInfo.id);
    expect(result.hits).toHaveLength(10);
    expect(packs.log.length).toBe(packRequests);
    // The settings page lists what is stored, offline too.
    await b.page.goto(`${inject('baseUrl')}/settings`);
    const status = b.page.locator('drishti-storage-status');
    await expect.poll(() => status.locator('li[data-kind="model"]').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    expect(await status.locator('li[data-kind="pack"]').count()).toBe(1);
    expect(await status.locator('li[data-kind="model"]').first().textContent()).toMatch(/int8/);
    console.log(`[offline-search] offline: model ${online.variant} loaded from IndexedDB in ${loadMs} ms; pack of 400 items from IndexedDB; visual search answered with ${result.hits.length} hits`);
  });
});
