/**
 * The update prompt: when a new service worker is published, the page that runs the old one shows
 * "A new version of Drishti is ready" (workbox-window's `waiting`), and Reload activates the new
 * worker and reloads the page under it. The built app is served by a small static server whose
 * sw.js can be swapped for a "new release" (same files, one changed byte sequence).
 */
import { readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, normalize, resolve, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_DIR } from '../../scripts/serve.ts';
import { isolationHeaders } from '../../vite.config.ts';
import { launchChromium, type LaunchedBrowser } from './chromium.ts';
import { loadInPage } from './engine-fixtures.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
};

let release = 1;
/** Full (200) responses per path: what actually crossed the network. */
const fullBodies = new Map<string, number>();
let server: Server;
let baseUrl: string;
let b: LaunchedBrowser;

beforeAll(async () => {
  server = createServer((req, res) => {
    let path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    let file = normalize(resolve(DIST_DIR, `.${path}`));
    if (!file.startsWith(DIST_DIR + sep) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      path = '/index.html';
      file = resolve(DIST_DIR, 'index.html');
    }
    let body: Buffer = readFileSync(file);
    // "Publishing" release 2 changes sw.js, as any rebuild with changed files does.
    if (path === '/sw.js' && release > 1) body = Buffer.concat([body, Buffer.from(`\n// release ${release}\n`)]);
    const etag = `"${release}-${body.byteLength}-${statSync(file).mtimeMs}"`;
    const headers = { ...isolationHeaders, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache', ETag: etag };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers).end();
      return;
    }
    fullBodies.set(path, (fullBodies.get(path) ?? 0) + 1);
    res.writeHead(200, headers);
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  b = await launchChromium();
});

afterAll(async () => {
  await b?.close();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('update prompt', () => {
  it('a first visit downloads the 29 MB ORT runtime once: the precache revalidates the copy the engine fetched', async () => {
    await b.page.goto(baseUrl);
    // The engine loads (and so fetches the runtime) while the service worker installs.
    const load = loadInPage(b.page, { backend: 'wasm' });
    await b.page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
    expect(await load).not.toHaveProperty('error');
    const cached = await b.page.evaluate(async () => {
      for (const name of await caches.keys()) {
        const keys = await (await caches.open(name)).keys();
        if (keys.some((r) => r.url.endsWith('/ort/ort-wasm-simd-threaded.jsep.wasm'))) return name;
      }
      return null;
    });
    expect(cached).toMatch(/^drishti-ort[\d.]+-precache-/);
    expect(fullBodies.get('/ort/ort-wasm-simd-threaded.jsep.wasm')).toBe(1);
  });

  it('offers "a new version is ready — reload" for a new service worker, and reloading activates it', async () => {
    await b.page.goto(baseUrl);
    await b.page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
    const prompt = b.page.locator('drishti-update-prompt .bar');
    expect(await prompt.count()).toBe(0);

    release = 2;
    await b.page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
    await prompt.waitFor({ state: 'visible', timeout: 60_000 });
    expect(await prompt.textContent()).toContain('A new version of Drishti is ready');
    expect(await b.page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => Boolean(r?.waiting)))).toBe(true);

    await Promise.all([b.page.waitForEvent('load', { timeout: 60_000 }), prompt.getByRole('button', { name: 'Reload' }).click()]);
    await b.page.waitForSelector('drishti-app');
    const after = await b.page.evaluate(async () => {
      const r = await navigator.serviceWorker.getRegistration();
      return { waiting: Boolean(r?.waiting), controlled: navigator.serviceWorker.controller !== null };
    });
    expect(after).toEqual({ waiting: false, controlled: true });
    expect(await b.page.locator('drishti-update-prompt .bar').count()).toBe(0);
  });
});
