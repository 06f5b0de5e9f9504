/**
 * Turns what the page sends (an encoded Blob, an ImageBitmap, or pixels) into RGBA pixels in the
 * worker, so decoding never blocks the page. EXIF orientation is applied by createImageBitmap.
 */
import type { RgbaImage } from '../../../shared/preprocess.ts';
import type { ImageInput } from '../shared/engine-api.ts';
import { EngineError } from '../shared/engine-errors.ts';

/** Larger photos are decoded at most this big (long side): the model sees 224 px, and this bounds memory. */
const MAX_DECODE_SIDE = 2048;

function isRgbaImage(input: ImageInput): input is RgbaImage {
  return typeof input === 'object' && input !== null && 'data' in input && 'channels' in input;
}

async function toBitmap(input: Blob | ImageBitmap): Promise<ImageBitmap> {
  if (typeof ImageBitmap !== 'undefined' && input instanceof ImageBitmap) return input;
  const blob = input as Blob;
  if (blob.size === 0) throw new EngineError('bad-image', 'The image file is empty. Choose a photo (JPEG, PNG or WebP).');
  let probe: ImageBitmap;
  try {
    probe = await createImageBitmap(blob, { imageOrientation: 'from-image' });
  } catch (err) {
    throw new EngineError(
      'bad-image',
      `The file (${blob.type || 'unknown type'}, ${blob.size} bytes) is not an image this browser can decode (${(err as Error).message}). Choose a JPEG, PNG or WebP photo.`,
    );
  }
  const side = Math.max(probe.width, probe.height);
  if (side <= MAX_DECODE_SIDE) return probe;
  const scale = MAX_DECODE_SIDE / side;
  const resized = await createImageBitmap(probe, {
    resizeWidth: Math.max(1, Math.round(probe.width * scale)),
    resizeHeight: Math.max(1, Math.round(probe.height * scale)),
    resizeQuality: 'high',
  });
  probe.close();
  return resized;
}

export async function decodeImage(input: ImageInput): Promise<RgbaImage> {
  if (isRgbaImage(input)) return input;
  const bitmap = await toBitmap(input);
  try {
    if (bitmap.width === 0 || bitmap.height === 0) throw new EngineError('bad-image', 'The image has no pixels.');
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new EngineError('bad-image', 'This browser cannot read image pixels in a worker (no OffscreenCanvas 2D).');
    ctx.drawImage(bitmap, 0, 0);
    const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    return { data, width: bitmap.width, height: bitmap.height, channels: 4 };
  } finally {
    bitmap.close();
  }
}
