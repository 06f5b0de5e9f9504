/**
 * <drishti-correct-tag> and <drishti-share-counts> in Chromium: the components are bundled on their
 * own with Vite and served on a test origin through request routing, so they are exercised exactly
 * as a page would host them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type Rolldown } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './chromium.ts';

// https: experiments use Web Crypto, which browsers offer only in secure contexts.
const ORIGIN = 'https://drishti-component.test';
let bundle = '';

async function bundleComponents(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'drishti-components-'));
  const src = (p: string) => JSON.stringify(resolve(__dirname, '../../src', p));
  const entry = join(dir, 'entry.ts');
  writeFileSync(
    entry,
    [
      `import ${src('features/feedback/client/correct-tag.ts')};`,
      `import ${src('features/experiments/client/share-consent.ts')};`,
      `export { ExperimentsClient } from ${src('features/experiments/client/experiments-client.ts')};`,
      `export { parseExperimentsConfig } from ${src('features/experiments/shared/experiment-config.ts')};`,
    ].join('\n'),
  );
  try {
    return await bundle1(entry);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function bundle1(entry: string): Promise<string> {
  const out = (await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      target: 'es2022',
      lib: { entry, formats: ['es'], fileName: 'components' },
    },
  })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
  const outputs = Array.isArray(out) ? out : [out];
  const chunk = outputs.flatMap((o) => o.output).find((o) => o.type === 'chunk' && o.isEntry);
  if (!chunk || chunk.type !== 'chunk') throw new Error('Vite produced no entry chunk for the components');
  return chunk.code;
}

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><script type="module" src="/components.js"></script></head>
<body><p>Kurta <drishti-correct-tag item-id="15970" head="articleType" model-id="drishti-fashion" model-version="1.2.0"></drishti-correct-tag></p>
<script type="module">
  await customElements.whenDefined('drishti-correct-tag');
  const el = document.querySelector('drishti-correct-tag');
  el.predicted = { id: 'Kurtas', en: 'Kurta', hi: 'कुर्ता' };
  el.options = [{ id: 'Kurtas', en: 'Kurta', hi: 'कुर्ता' }, { id: 'Kurtis', en: 'Kurti', hi: 'कुर्ती' }, { id: 'Tops', en: 'Top', hi: 'टॉप' }];
  window.corrections = [];
  document.addEventListener('drishti-tag-corrected', (e) => window.corrections.push(e.detail));
  document.body.dataset.ready = '1';
</script></body></html>`;

/** The share switch with a configured collector (?url=1) or the bundled config (none). */
const SHARE_PAGE = `<!doctype html><html><head><meta charset="utf-8"></head><body>
<script type="module">
  import { ExperimentsClient, parseExperimentsConfig } from '/components.js';
  const withUrl = new URLSearchParams(location.search).has('url');
  const el = document.createElement('drishti-share-counts');
  if (withUrl) {
    el.client = await ExperimentsClient.open(parseExperimentsConfig({ schema: 'drishti-experiments/1', exportUrl: 'https://collector.shop.example/c',
      experiments: [{ id: 'e', arms: [{ id: 'a', weight: 1 }, { id: 'b', weight: 1 }] }] }, 'test'));
  }
  window.consents = [];
  document.addEventListener('drishti-share-consent', (e) => window.consents.push(e.detail));
  document.body.append(el);
  document.body.dataset.ready = '1';
</script></body></html>`;

async function storedCorrections(b: LaunchedBrowser): Promise<unknown[]> {
  return b.page.evaluate(
    () =>
      new Promise<unknown[]>((resolve, reject) => {
        const req = indexedDB.open('drishti-feedback', 1);
        req.onsuccess = () => {
          const all = req.result.transaction('corrections').objectStore('corrections').getAll();
          all.onsuccess = () => resolve(all.result);
          all.onerror = () => reject(all.error);
        };
        req.onerror = () => reject(req.error);
      }),
  );
}

describe('<drishti-correct-tag>', () => {
  let b: LaunchedBrowser;
  beforeAll(async () => {
    bundle = await bundleComponents();
    b = await launchChromium();
    await b.context.route(`${ORIGIN}/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/components.js') return route.fulfill({ contentType: 'text/javascript', body: bundle });
      if (path === '/share.html') return route.fulfill({ contentType: 'text/html', body: SHARE_PAGE });
      return route.fulfill({ contentType: 'text/html', body: PAGE });
    });
  });
  afterAll(async () => {
    await b?.close();
  });

  it('saves a shopper’s correction on the device and announces it', async () => {
    await b.page.goto(`${ORIGIN}/`);
    await b.page.waitForSelector('body[data-ready="1"]');
    const tag = b.page.locator('drishti-correct-tag');
    await tag.getByRole('button', { name: 'Wrong tag?' }).click();
    const select = tag.getByRole('combobox', { name: 'Not Kurta? It is:' });
    const options = await select.locator('option').allInnerTexts();
    expect(options).toEqual(['Choose the right one', 'Kurti', 'Top', 'Something else…']);
    // Saving with nothing chosen explains what to do instead of storing anything.
    await tag.getByRole('button', { name: 'Save' }).click();
    expect(await tag.getByRole('alert').innerText()).toBe('Choose or type the right tag first.');
    await select.selectOption('Kurtis');
    await tag.getByRole('button', { name: 'Save' }).click();
    await tag.getByRole('status').waitFor();
    expect(await tag.getByRole('status').innerText()).toMatch(/saved on this phone/);
    const stored = (await storedCorrections(b)) as Record<string, string>[];
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      schema: 'drishti-correction/1',
      itemId: '15970',
      head: 'articleType',
      predicted: 'Kurtas',
      corrected: 'Kurtis',
      modelId: 'drishti-fashion',
      modelVersion: '1.2.0',
    });
    expect(stored[0]!.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(await b.page.evaluate(() => (window as unknown as { corrections: unknown[] }).corrections)).toEqual(stored);
  });

  it('accepts a new name typed by the shopper, and speaks Hindi when the app does', async () => {
    await b.page.evaluate(() => localStorage.setItem('drishti.locale', 'hi'));
    await b.page.reload();
    await b.page.waitForSelector('body[data-ready="1"]');
    const tag = b.page.locator('drishti-correct-tag');
    await tag.getByRole('button', { name: 'टैग गलत है?' }).click();
    const select = tag.getByRole('combobox', { name: 'कुर्ता नहीं? यह है:' });
    expect(await select.locator('option').allInnerTexts()).toEqual(['सही विकल्प चुनें', 'कुर्ती', 'टॉप', 'कुछ और…']);
    await select.selectOption('__other__');
    await tag.getByRole('textbox', { name: 'सही नाम लिखें' }).fill('  Anarkali Kurta ');
    await tag.getByRole('button', { name: 'सहेजें' }).click();
    await tag.getByRole('status').waitFor();
    const stored = (await storedCorrections(b)) as Record<string, string>[];
    // One record per item and tag: the new answer replaced the earlier one.
    expect(stored).toHaveLength(1);
    expect(stored[0]!.corrected).toBe('Anarkali Kurta');
  });
});

describe('<drishti-share-counts>', () => {
  let b: LaunchedBrowser;
  beforeAll(async () => {
    bundle ||= await bundleComponents();
    b = await launchChromium();
    await b.context.route(`${ORIGIN}/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/components.js') return route.fulfill({ contentType: 'text/javascript', body: bundle });
      return route.fulfill({ contentType: 'text/html', body: SHARE_PAGE });
    });
  });
  afterAll(async () => {
    await b?.close();
  });

  it('says nothing is collected when the shop has no collector', async () => {
    await b.page.goto(`${ORIGIN}/share.html`);
    await b.page.waitForSelector('body[data-ready="1"]');
    await b.page.locator('drishti-share-counts p').waitFor();
    expect(await b.page.locator('drishti-share-counts p').innerText()).toBe('This shop collects nothing from this phone.');
    expect(await b.page.locator('drishti-share-counts input').count()).toBe(0);
  });

  it('is off by default, remembers the shopper’s choice, and speaks Hindi', async () => {
    await b.page.goto(`${ORIGIN}/share.html?url`);
    const box = b.page.getByRole('checkbox', { name: /Share anonymous counts .* with collector\.shop\.example/ });
    await box.waitFor();
    expect(await box.isChecked()).toBe(false);
    await box.check();
    await b.page.getByRole('status').filter({ hasText: 'Sharing is on.' }).waitFor();
    expect(await b.page.evaluate(() => (window as unknown as { consents: boolean[] }).consents)).toEqual([true]);
    await b.page.evaluate(() => localStorage.setItem('drishti.locale', 'hi'));
    await b.page.reload();
    const hindi = b.page.getByRole('checkbox', { name: /collector\.shop\.example के साथ सिफ़ारिशों/ });
    await hindi.waitFor();
    expect(await hindi.isChecked()).toBe(true);
  });
});
