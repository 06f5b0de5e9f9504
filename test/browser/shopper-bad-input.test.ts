/**
 * Bad photos are normal: each gets a clear, translated message, nothing crashes or freezes, and the
 * page keeps working (the next good photo is accepted).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import sharp from 'sharp';
import { launchChromium, type LaunchedBrowser } from './chromium.ts';
import { PHONE, gotoApp, screenshot } from './shopper-helpers.ts';
import { SVG, gif, heicHead, jpeg, png } from '../unit/intake-fixtures.ts';
import { en } from '../../src/i18n/messages/en.ts';
import { hi } from '../../src/i18n/messages/hi.ts';

interface BadFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
  code: string;
  /** The start of the English message (before any placeholder). */
  message: string;
}

async function badFiles(): Promise<BadFile[]> {
  const full = Buffer.from(await jpeg(640, 480));
  return [
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('this is not a photo'), code: 'not-image', message: en['intake.notImage'] },
    { name: 'empty.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(0), code: 'empty', message: en['intake.empty'] },
    { name: 'cut.jpg', mimeType: 'image/jpeg', buffer: full.subarray(0, Math.floor(full.length / 2)), code: 'truncated', message: en['intake.truncated'] },
    { name: 'IMG_0001.HEIC', mimeType: 'image/heic', buffer: Buffer.from(heicHead()), code: 'heic', message: en['intake.heic'] },
    { name: 'huge.png', mimeType: 'image/png', buffer: Buffer.from(await png(10_000, 10_000)), code: 'too-large', message: 'That image is too large (10,000 × 10,000 pixels)' },
    { name: 'dance.gif', mimeType: 'image/gif', buffer: Buffer.from(gif(3)), code: 'animated', message: en['intake.animated'] },
    { name: 'logo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(SVG), code: 'svg', message: en['intake.svg'] },
  ];
}

describe('shopper: bad photo input', () => {
  let b: LaunchedBrowser;
  let files: BadFile[];
  beforeAll(async () => {
    files = await badFiles();
    b = await launchChromium({ viewport: PHONE });
  });
  afterAll(async () => {
    await b?.close();
  });

  it('explains each bad file in English, and the page stays responsive', async () => {
    const { page } = b;
    await gotoApp(page, inject('baseUrl'));
    for (const f of files) {
      await page.locator('#upload').setInputFiles({ name: f.name, mimeType: f.mimeType, buffer: f.buffer });
      const alert = page.locator(`drishti-photo-intake .error[data-code="${f.code}"]`);
      await alert.waitFor({ timeout: 10_000 });
      expect(await alert.textContent(), f.name).toContain(f.message);
      // Not frozen: the main thread answers right away.
      const t0 = Date.now();
      await page.evaluate(() => 1);
      expect(Date.now() - t0, `${f.name}: main thread responsive`).toBeLessThan(1000);
      if (f.code === 'too-large') await screenshot(page, 'snap-bad-input-too-large-en');
    }
    expect(b.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });

  it('explains bad files in Hindi after switching language', async () => {
    const { page } = b;
    await gotoApp(page, inject('baseUrl'));
    await page.locator('drishti-site-header button[data-locale="hi"]').click();
    await page.locator('#upload').setInputFiles({ name: 'dance.gif', mimeType: 'image/gif', buffer: Buffer.from(gif(3)) });
    const alert = page.locator('drishti-photo-intake .error[data-code="animated"]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain(hi['intake.animated']);
    await page.locator('#upload').setInputFiles({ name: 'empty.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(0) });
    await page.locator('drishti-photo-intake .error[data-code="empty"]').waitFor();
    expect(await page.locator('drishti-photo-intake .error').textContent()).toContain(hi['intake.empty']);
    await screenshot(page, 'snap-bad-input-hi');
    await page.locator('drishti-site-header button[data-locale="en"]').click();
  });

  it('takes photos pasted or dropped onto the page, and checks them the same way', async () => {
    const { page } = b;
    await gotoApp(page, inject('baseUrl'));
    // Paste an SVG (refused) …
    await page.evaluate((svg) => {
      const data = new DataTransfer();
      data.items.add(new File([svg], 'pasted.svg', { type: 'image/svg+xml' }));
      document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, new TextDecoder().decode(SVG));
    await page.locator('drishti-photo-intake .error[data-code="svg"]').waitFor();
    // … then drop a real JPEG onto the photo area (accepted: the preview appears, the message goes).
    const bytes = Array.from(await jpeg(320, 240));
    await page.locator('drishti-photo-intake .zone').evaluate((zone, data) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], 'dropped.jpg', { type: 'image/jpeg' }));
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true, composed: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true, composed: true }));
    }, bytes);
    await page.locator('drishti-home-page figure canvas').waitFor();
    expect(await page.locator('drishti-photo-intake .error').count()).toBe(0);
    // Dropped elsewhere on the page, a file is still taken (and checked) rather than opened by the browser.
    await page.locator('drishti-home-page h1').evaluate((h1) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(0)], 'empty.png', { type: 'image/png' }));
      h1.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true, composed: true }));
      h1.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true, composed: true }));
    });
    await page.locator('drishti-photo-intake .error[data-code="empty"]').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
  });

  it('accepts a good photo after bad ones, showing the upright preview (EXIF orientation applied)', async () => {
    const { page } = b;
    await gotoApp(page, inject('baseUrl'));
    await page.locator('#upload').setInputFiles({ name: 'cut.jpg', mimeType: 'image/jpeg', buffer: files[2]!.buffer });
    await page.locator('drishti-photo-intake .error').waitFor();
    // 600 × 300 stored, EXIF orientation 6 (rotate 90°): shown upright as a tall image.
    const rotated = await sharp({ create: { width: 600, height: 300, channels: 3, background: '#c03040' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    await page.locator('#upload').setInputFiles({ name: 'phone.jpg', mimeType: 'image/jpeg', buffer: rotated });
    const canvas = page.locator('drishti-home-page figure canvas');
    await canvas.waitFor();
    expect(await page.locator('drishti-photo-intake .error').count()).toBe(0);
    const size = await canvas.evaluate((c: HTMLCanvasElement) => ({ w: c.width, h: c.height }));
    expect(size.h).toBeGreaterThan(size.w);
    expect(Math.max(size.w, size.h)).toBeLessThanOrEqual(448);
    await screenshot(page, 'snap-preview-en');
    expect(b.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
