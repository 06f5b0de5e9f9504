import { describe, expect, it } from 'vitest';
import { orientedSize, readImageHeader, sniffFormat } from '../../src/features/intake/shared/image-header.ts';
import { SVG, gif, heicHead, jpeg, png, webp } from './intake-fixtures.ts';

describe('reading image headers without decoding', () => {
  it('reads JPEG size and finds its end marker', async () => {
    const h = readImageHeader(await jpeg(300, 200));
    expect(h).toMatchObject({ format: 'jpeg', width: 300, height: 200, complete: true, animated: false, orientation: 1 });
  });

  it('notices a JPEG that is cut off', async () => {
    const full = await jpeg(300, 200);
    expect(readImageHeader(full.subarray(0, Math.floor(full.length * 0.6))).complete).toBe(false);
    expect(readImageHeader(full.subarray(0, full.length - 2)).complete).toBe(false);
  });

  it('walks every scan of a progressive JPEG', async () => {
    const sharp = (await import('sharp')).default;
    const raw = Buffer.alloc(64 * 48 * 3);
    for (let i = 0; i < raw.length; i++) raw[i] = (i * 37) % 251; // noisy, so the scans carry data
    const progressive = new Uint8Array(await sharp(raw, { raw: { width: 64, height: 48, channels: 3 } }).jpeg({ progressive: true }).toBuffer());
    expect(readImageHeader(progressive)).toMatchObject({ format: 'jpeg', width: 64, height: 48, complete: true });
    expect(readImageHeader(progressive.subarray(0, Math.floor(progressive.length * 0.7))).complete).toBe(false);
  });

  it('reads the EXIF orientation and swaps the displayed size for rotated photos', async () => {
    const h = readImageHeader(await jpeg(40, 20, 6));
    expect(h.orientation).toBe(6);
    expect(orientedSize(h)).toEqual({ width: 20, height: 40 });
  });

  it('reads PNG and WebP sizes', async () => {
    expect(readImageHeader(await png(123, 45))).toMatchObject({ format: 'png', width: 123, height: 45, complete: true });
    expect(readImageHeader(await webp(77, 66))).toMatchObject({ format: 'webp', width: 77, height: 66 });
    expect(readImageHeader(await webp(77, 66, true))).toMatchObject({ format: 'webp', width: 77, height: 66 });
  });

  it('reads the 10,000 × 10,000 size of a huge PNG from its first bytes', async () => {
    const head = (await png(10_000, 10_000)).subarray(0, 64);
    expect(readImageHeader(head)).toMatchObject({ format: 'png', width: 10_000, height: 10_000 });
  });

  it('tells animated GIFs from still ones', () => {
    expect(readImageHeader(gif(1))).toMatchObject({ format: 'gif', width: 1, height: 1, animated: false, complete: true });
    expect(readImageHeader(gif(3))).toMatchObject({ format: 'gif', animated: true });
  });

  it('recognises SVG, HEIC and non-images by their bytes', () => {
    expect(sniffFormat(SVG)).toBe('svg');
    expect(sniffFormat(new TextEncoder().encode('  <svg xmlns="http://www.w3.org/2000/svg"></svg>'))).toBe('svg');
    expect(readImageHeader(heicHead())).toMatchObject({ format: 'heic', width: 4032, height: 3024 });
    expect(sniffFormat(new TextEncoder().encode('%PDF-1.7 hello'))).toBe('unknown');
    expect(sniffFormat(new TextEncoder().encode('<html><body>hi</body></html>'))).toBe('unknown');
    expect(sniffFormat(new Uint8Array([0xff, 0xd8]))).toBe('unknown');
  });
});
