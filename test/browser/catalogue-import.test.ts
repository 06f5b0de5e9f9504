/**
 * On-device import on the built app: a merchant's folder of photos (generated here) plus a CSV is
 * imported in the worker with the tiny test model; a reload mid-import resumes it; an unreadable
 * file is listed, not fatal; a CSV title holding markup is shown as text; custom categories are
 * learnt from a few examples and applied to the rest.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './chromium.ts';
import { serveTinyModel, type TinyModelServer } from './engine-fixtures.ts';

const PHOTOS = 120;
let b: LaunchedBrowser;
let tiny: TinyModelServer;
let dir: string;
const files: string[] = [];

/** Two visibly different "styles": warm red with a gold border, cool blue with white stripes. */
async function photo(i: number): Promise<Buffer> {
  const red = i % 2 === 0;
  const w = 1200;
  const h = 1600;
  const bg = red ? { r: 170 + (i % 40), g: 20 + (i % 30), b: 40 } : { r: 20, g: 60 + (i % 40), b: 160 + (i % 50) };
  const overlay = red
    ? `<svg width="${w}" height="${h}"><rect x="40" y="40" width="${w - 80}" height="${h - 80}" fill="none" stroke="#d4a017" stroke-width="${60 + (i % 20)}"/></svg>`
    : `<svg width="${w}" height="${h}">${Array.from({ length: 8 }, (_, k) => `<rect x="0" y="${k * 200 + (i % 50)}" width="${w}" height="60" fill="white"/>`).join('')}</svg>`;
  return sharp({ create: { width: w, height: h, channels: 3, background: bg } })
    .composite([{ input: Buffer.from(overlay) }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

function status(): Promise<string> {
  return b.page.locator('[data-testid="import-status"]').textContent({ timeout: 1000 }).catch(() => '') as Promise<string>;
}

function processed(text: string): number {
  return Number(/(\d+) of \d+ photos processed/.exec(text)?.[1] ?? 0);
}

beforeAll(async () => {
  tiny = await serveTinyModel();
  dir = mkdtempSync(join(tmpdir(), 'drishti-import-'));
  for (let i = 0; i < PHOTOS; i++) {
    const path = join(dir, `photo-${String(i).padStart(3, '0')}.jpg`);
    writeFileSync(path, await photo(i));
    files.push(path);
  }
  writeFileSync(join(dir, 'broken.jpg'), 'not really a jpeg');
  files.push(join(dir, 'broken.jpg'));
  writeFileSync(
    join(dir, 'catalogue.csv'),
    'image,id,title,price,usage\n' +
      'photo-000.jpg,RS-0,"<img src=x onerror=""window.__pwned=1"">Red silk saree",4999,Ethnic\n' +
      'photo-001.jpg,BL-1,Blue striped saree,2499,Ethnic\n',
  );
  files.push(join(dir, 'catalogue.csv'));
  b = await launchChromium();
}, 180_000);

afterAll(async () => {
  await b?.close();
  await tiny?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('on-device catalogue import', () => {
  it('imports a folder, resumes after a reload mid-import, and lists the unreadable file', async () => {
    const url = `${inject('baseUrl')}/import?model=${encodeURIComponent(tiny.manifestUrl)}&backend=wasm`;
    await b.page.goto(url);
    await b.page.locator('[data-testid="files-input"]').setInputFiles(files);
    await expect.poll(async () => processed(await status()), { timeout: 120_000, interval: 50 }).toBeGreaterThanOrEqual(8);
    const before = processed(await status());
    await b.page.reload();
    // The page finds the stored import and resumes it from the next pending photo.
    const resumed = (await b.page.locator('[data-testid="import-message"]').textContent({ timeout: 30_000 })) ?? '';
    expect(resumed).toMatch(/Resuming the import of “My catalogue”: \d+ of 121 photos done/);
    const doneAtReload = Number(/: (\d+) of/.exec(resumed)![1]);
    expect(doneAtReload).toBeGreaterThanOrEqual(before - 1);
    expect(doneAtReload).toBeLessThan(121);
    await expect
      .poll(async () => (await b.page.locator('[data-testid="import-message"]').textContent()) ?? '', { timeout: 300_000, interval: 250 })
      .toMatch(/Done: 120 items tagged and searchable, 1 files could not be read/);
    expect(await b.page.locator('[data-testid="import-failures"]').textContent()).toMatch(/broken\.jpg could not be read as a photo/);
    // Items from the CSV keep their id, title and price; markup in a title is text.
    const grid = b.page.locator('[data-testid="import-items"]');
    await expect.poll(() => grid.locator('li').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await grid.textContent()).toContain('<img src=x onerror="window.__pwned=1">Red silk saree');
    expect(await grid.locator('img[src="x"]').count()).toBe(0);
    expect(await b.page.evaluate(() => (globalThis as { __pwned?: number }).__pwned ?? 0)).toBe(0);
    // Thumbnails come from IndexedDB as object URLs.
    expect(await grid.locator('img').first().getAttribute('src')).toMatch(/^blob:/);
  }, 600_000);

  it('learns custom categories from a few examples and classifies the rest', async () => {
    const grid = b.page.locator('[data-testid="import-items"] li');
    const titles = await grid.locator('.title').allTextContents();
    const pick = async (category: string, parity: number): Promise<void> => {
      await b.page.locator('input[placeholder="Banarasi saree"]').fill(category);
      let n = 0;
      for (let i = 0; i < titles.length && n < 6; i++) {
        const m = /photo (\d+)/.exec(titles[i]!);
        if (m && Number(m[1]) % 2 === parity) {
          await grid.nth(i).locator('button').click();
          n++;
        }
      }
    };
    await pick('Banarasi saree', 0);
    await pick('Ikat', 1);
    await b.page.getByRole('button', { name: /Teach 2 categories/ }).click();
    const report = b.page.locator('[data-testid="category-report"]');
    await expect.poll(() => report.textContent(), { timeout: 60_000 }).toMatch(/Held-out accuracy/);
    const accuracy = Number(/(\d+)%/.exec((await report.textContent())!)![1]);
    console.log(`[measure] custom categories (tiny test model, 2×6 examples): held-out accuracy ${accuracy}%`);
    expect(accuracy).toBeGreaterThanOrEqual(80);
    // Items not used as examples are sorted into the category of their style.
    const assigned = await b.page.locator('[data-custom-category]').evaluateAll((els) =>
      els.map((e) => ({ category: e.getAttribute('data-custom-category'), title: e.closest('li')?.querySelector('.title')?.textContent ?? '' })),
    );
    const judged = assigned.filter((a) => /photo (\d+)/.test(a.title));
    expect(judged.length).toBeGreaterThan(20);
    const right = judged.filter((a) => (Number(/photo (\d+)/.exec(a.title)![1]) % 2 === 0 ? 'Banarasi saree' : 'Ikat') === a.category).length;
    expect(right / judged.length).toBeGreaterThanOrEqual(0.8);
  }, 300_000);
});
