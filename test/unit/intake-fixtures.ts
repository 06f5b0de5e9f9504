/** Tiny image files made on the fly for the intake tests (no dataset copies in the repository). */
import sharp from 'sharp';

export async function jpeg(width: number, height: number, orientation?: number): Promise<Uint8Array> {
  let img = sharp({ create: { width, height, channels: 3, background: { r: 180, g: 40, b: 60 } } }).jpeg({ quality: 80 });
  if (orientation) img = img.withMetadata({ orientation });
  return new Uint8Array(await img.toBuffer());
}

const pngCache = new Map<string, Promise<Uint8Array>>();
/** Cached: the 10,000 × 10,000 one takes a second to encode. */
export function png(width: number, height: number): Promise<Uint8Array> {
  const key = `${width}x${height}`;
  let made = pngCache.get(key);
  if (!made) {
    made = sharp({ create: { width, height, channels: 3, background: '#3366aa' } }).png().toBuffer().then((b) => new Uint8Array(b));
    pngCache.set(key, made);
  }
  return made;
}

export async function webp(width: number, height: number, lossless = false): Promise<Uint8Array> {
  return new Uint8Array(await sharp({ create: { width, height, channels: 3, background: '#88aa33' } }).webp({ lossless }).toBuffer());
}

/** A 1×1 GIF with `frames` image blocks (two or more = animated). */
export function gif(frames: number): Uint8Array {
  const header = [0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0x80, 0, 0, 0xff, 0xff, 0xff, 0, 0, 0];
  const loop = [0x21, 0xff, 0x0b, ...'NETSCAPE2.0'.split('').map((c) => c.charCodeAt(0)), 0x03, 0x01, 0x00, 0x00, 0x00];
  const frame = [0x21, 0xf9, 0x04, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0x02, 0x02, 0x44, 0x01, 0x00];
  const body: number[] = frames > 1 ? [...loop] : [];
  for (let i = 0; i < frames; i++) body.push(...frame);
  return new Uint8Array([...header, ...body, 0x3b]);
}

export const SVG = new TextEncoder().encode('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');

/** The start of an HEIC file: an ftyp box with brand heic and an ispe box giving 4032 × 3024. */
export function heicHead(): Uint8Array {
  const enc = (s: string): number[] => s.split('').map((c) => c.charCodeAt(0));
  const be32 = (n: number): number[] => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  const ftyp = [...be32(24), ...enc('ftyp'), ...enc('heic'), ...be32(0), ...enc('mif1'), ...enc('heic')];
  const ispe = [...be32(20), ...enc('ispe'), ...be32(0), ...be32(4032), ...be32(3024)];
  return new Uint8Array([...ftyp, ...ispe, ...new Array<number>(64).fill(0)]);
}
