/**
 * The fixed labelled images the bench checks agreement on. Either a JSON list served next to
 * the app (`npm run bench` serves one built from the datasets folder; the model pipeline's
 * golden set works too) or files the developer picks (unlabelled).
 *
 * Image-set JSON: `{ "images": [{ "url": "…", "labels": { "<head>": "<label id>" } }] }`; URLs are
 * relative to the JSON file.
 */
import type { LabelledImage } from './bench-runner.ts';
import type { RgbaImage } from '../../../shared/preprocess.ts';

export class ImageSetError extends Error {
  override name = 'ImageSetError';
}

export interface ImageSetEntry {
  url: string;
  labels?: Record<string, string>;
}

export function parseImageSet(json: unknown, source: string): ImageSetEntry[] {
  const fail = (what: string): never => {
    throw new ImageSetError(`The image set ${source} is invalid: ${what}.`);
  };
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { images?: unknown }).images)) {
    return fail('expected {"images": [{"url": …, "labels": {…}}]}');
  }
  const list = (json as { images: unknown[] }).images;
  if (list.length === 0) fail('it lists no images');
  return list.map((e, i) => {
    if (typeof e !== 'object' || e === null) return fail(`images[${i}] is not an object`);
    const { url, labels } = e as { url?: unknown; labels?: unknown };
    if (typeof url !== 'string' || url.length === 0) return fail(`images[${i}].url must be a non-empty string`);
    if (labels === undefined) return { url };
    if (typeof labels !== 'object' || labels === null || Object.values(labels).some((v) => typeof v !== 'string')) {
      return fail(`images[${i}].labels must map head names to label ids`);
    }
    return { url, labels: labels as Record<string, string> };
  });
}

/** Decodes an encoded image into pixels on the page (the runner hands pixels to the worker). */
export async function decodeBlob(blob: Blob, name: string): Promise<RgbaImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
  } catch (err) {
    throw new ImageSetError(`${name} is not an image this browser can decode (${(err as Error).message}).`);
  }
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new ImageSetError('This browser cannot read image pixels (no OffscreenCanvas 2D).');
    ctx.drawImage(bitmap, 0, 0);
    const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    return { data, width: bitmap.width, height: bitmap.height, channels: 4 };
  } finally {
    bitmap.close();
  }
}

export async function loadImageSet(setUrl: string): Promise<LabelledImage[]> {
  const absolute = new URL(setUrl, location.href);
  const res = await fetch(absolute);
  if (!res.ok) throw new ImageSetError(`Could not fetch the image set ${setUrl} (HTTP ${res.status}).`);
  let json: unknown;
  try {
    json = await res.json();
  } catch (err) {
    throw new ImageSetError(`The image set ${setUrl} is not JSON (${(err as Error).message}).`);
  }
  const entries = parseImageSet(json, setUrl);
  return Promise.all(
    entries.map(async (entry) => {
      const url = new URL(entry.url, absolute).href;
      const img = await fetch(url);
      if (!img.ok) throw new ImageSetError(`Could not fetch ${url} from the image set (HTTP ${img.status}).`);
      const pixels = await decodeBlob(await img.blob(), url);
      return { name: entry.url, pixels, ...(entry.labels ? { labels: entry.labels } : {}) };
    }),
  );
}

export async function loadFiles(files: FileList | File[]): Promise<LabelledImage[]> {
  return Promise.all(Array.from(files, async (f) => ({ name: f.name, pixels: await decodeBlob(f, f.name) })));
}
