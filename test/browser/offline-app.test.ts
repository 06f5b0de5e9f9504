/**
 * The built app as an installable, offline PWA: the manifest and service worker satisfy
 * Chromium's installability check, and after one online visit the app reloads, navigates and
 * loads its pages with the network off (app shell and chunks come from the Workbox precache).
 */
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './chromium.ts';

let b: LaunchedBrowser;
beforeEach(async () => {
  b = await launchChromium({ viewport: { width: 360, height: 640 } });
});
afterEach(async () => {
  await b?.close();
});

/** First visit: load the app and wait until the service worker has precached and controls the page. */
async function visitOnline(): Promise<void> {
  await b.page.goto(inject('baseUrl'));
  await b.page.waitForSelector('drishti-app');
  await b.page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await b.page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
}

describe('installable offline PWA', () => {
  it('passes Chromium installability: manifest with 192/512 and maskable icons, a controlling service worker', async () => {
    await visitOnline();
    const manifestHref = await b.page.evaluate(() => document.querySelector<HTMLLinkElement>('link[rel="manifest"]')?.href);
    expect(manifestHref).toBe(`${inject('baseUrl')}/manifest.webmanifest`);
    const cdp = await b.context.newCDPSession(b.page);
    const manifest = await cdp.send('Page.getAppManifest');
    expect(manifest.errors).toEqual([]);
    const parsed = JSON.parse(manifest.data ?? '{}') as { display?: string; icons?: Array<{ sizes: string; purpose?: string }> };
    expect(parsed.display).toBe('standalone');
    const sizes = (parsed.icons ?? []).map((i) => `${i.sizes}:${i.purpose ?? 'any'}`);
    expect(sizes).toEqual(expect.arrayContaining(['192x192:any', '512x512:any', '512x512:maskable']));
    for (const icon of ['/icons/icon-192.png', '/icons/icon-512.png', '/icons/maskable-512.png']) {
      const res = await b.page.request.get(`${inject('baseUrl')}${icon}`);
      expect(res.headers()['content-type']).toBe('image/png');
    }
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
  });

  it('after one online visit, reloads, navigates and opens every page with the network off', async () => {
    await visitOnline();
    const failed: string[] = [];
    b.page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
    await b.context.setOffline(true);
    expect(await b.page.evaluate(() => navigator.onLine)).toBe(false);

    await b.page.reload();
    await expect.poll(() => b.page.locator('main h1').first().isVisible(), { timeout: 20_000 }).toBe(true);

    // A direct navigation to a deep link is answered by the service worker's navigation fallback.
    await b.page.goto(`${inject('baseUrl')}/settings`);
    await expect.poll(() => b.page.locator('drishti-settings-page h1').first().isVisible(), { timeout: 20_000 }).toBe(true);

    // In-app navigation loads lazily split page chunks: they must come from the precache.
    for (const path of ['/browse', '/cart', '/engine', '/']) {
      await b.page.evaluate((p) => {
        history.pushState(null, '', p);
        dispatchEvent(new PopStateEvent('popstate'));
      }, path);
      await expect.poll(() => b.page.locator('main h1').first().isVisible(), { timeout: 20_000 }).toBe(true);
      expect(new URL(b.page.url()).pathname).toBe(path);
    }
    // ERR_ABORTED is a request cut short by our own navigation (e.g. a page's worker), not the network.
    const appFailures = failed.filter((f) => f.startsWith(inject('baseUrl')) && !/\/(models|catalogues)\//.test(f) && !f.endsWith('net::ERR_ABORTED'));
    expect(appFailures).toEqual([]);
    expect(b.errors.filter((e) => /Failed to fetch dynamically imported module|ChunkLoadError/.test(e))).toEqual([]);
  });
});
