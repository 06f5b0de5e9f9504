/**
 * Reads a catalogue photo (file or http(s) URL) once and derives what the build needs from it:
 * pixels for the model, a ≤256-px WebP thumbnail and a ≤1024-px JPEG product image.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import sharp, { type Sharp } from 'sharp';
import type { RgbaImage } from '../../shared/preprocess.ts';
import { decodeImageFile } from '../model-session.ts';

export const THUMB_SIDE = 256;
export const IMAGE_SIDE = 1024;
const MAX_SOURCE_BYTES = 40 << 20;
const FETCH_TIMEOUT_MS = 20_000;

export interface PreparedImage {
  pixels: RgbaImage;
  thumb: Uint8Array;
  image: Uint8Array;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function readSource(source: string): Promise<Uint8Array> {
  if (/^https?:\/\//i.test(source)) {
    const res = await fetch(source, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!res.ok) throw new Error(`${source} answered HTTP ${res.status}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.byteLength > MAX_SOURCE_BYTES) throw new Error(`${source} is larger than ${MAX_SOURCE_BYTES >> 20} MB`);
    return bytes;
  }
  const bytes = await readFile(source);
  if (bytes.byteLength === 0) throw new Error(`${source} is an empty file`);
  if (bytes.byteLength > MAX_SOURCE_BYTES) throw new Error(`${source} is larger than ${MAX_SOURCE_BYTES >> 20} MB`);
  return bytes;
}

export async function prepareImage(source: string): Promise<PreparedImage> {
  const bytes = await readSource(source);
  const pixels = await decodeImageFile(bytes);
  const base = (): Sharp => sharp(bytes, { failOn: 'error' }).rotate().removeAlpha();
  const [thumb, image] = await Promise.all([
    base().resize(THUMB_SIDE, THUMB_SIDE, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 78 }).toBuffer(),
    base().resize(IMAGE_SIDE, IMAGE_SIDE, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 85, mozjpeg: true }).toBuffer(),
  ]);
  return { pixels, thumb: new Uint8Array(thumb), image: new Uint8Array(image) };
}
