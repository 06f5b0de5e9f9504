/**
 * Turns whatever the shopper handed us (camera shot, upload, paste, drop) into a small, upright
 * image for the preview and the engine: header checks first (so a 100-megapixel or broken file is
 * refused before decoding), then one decode by the browser off the main thread with EXIF orientation
 * applied and the size reduced during decoding.
 */
import type { RgbaImage } from '../../../shared/preprocess.ts';
import type { ImageFormat } from '../shared/image-header.ts';
import { orientedSize } from '../shared/image-header.ts';
import { DEFAULT_LIMITS, IntakeError, checkDimensions, checkImageBytes, fitWithin, type IntakeLimits } from '../shared/intake-check.ts';

export interface IntakePhoto {
  /** Upright and downscaled (longest side ≤ maxSide); the caller closes it when done. */
  bitmap: ImageBitmap;
  /** The same pixels as RGBA, for the engine. */
  pixels: RgbaImage;
  format: ImageFormat;
  /** Upright size of the original image. */
  sourceWidth: number;
  sourceHeight: number;
  /** Milliseconds from the call to pixels ready. */
  decodeMs: number;
}

export interface LoadPhotoOptions {
  /** Longest side of the decoded image (default 448: twice the model input, so its resize averages). */
  maxSide?: number;
  limits?: IntakeLimits;
  signal?: AbortSignal;
  /** Give up on a decode that takes longer than this (default 20 s). */
  timeoutMs?: number;
}

function withTimeout<T>(promise: Promise<T>, ms: number, signal: AbortSignal | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new IntakeError('undecodable', `Decoding took longer than ${ms} ms.`)), ms);
    const onAbort = (): void => reject(signal?.reason ?? new DOMException('Aborted', 'AbortError'));
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function bitmapPixels(bitmap: ImageBitmap): RgbaImage {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new IntakeError('undecodable', 'This browser could not create a 2D canvas to read the photo.');
  ctx.drawImage(bitmap, 0, 0);
  const { data, width, height } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
  return { data, width, height, channels: 4 };
}

export async function loadPhoto(file: Blob, options: LoadPhotoOptions = {}): Promise<IntakePhoto> {
  const started = performance.now();
  const limits = options.limits ?? DEFAULT_LIMITS;
  const maxSide = options.maxSide ?? 448;
  const timeoutMs = options.timeoutMs ?? 20_000;
  options.signal?.throwIfAborted();
  if (file.size === 0) throw new IntakeError('empty', 'The file is empty (0 bytes).', { bytes: 0 });
  if (file.size > limits.maxBytes) {
    throw new IntakeError('file-too-big', `The file is ${file.size} bytes; at most ${limits.maxBytes} are accepted.`, { bytes: file.size });
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const header = checkImageBytes(bytes, file.type, limits);
  const upright = orientedSize(header);

  let bitmap: ImageBitmap;
  try {
    const target = upright ? fitWithin(upright.width, upright.height, maxSide) : undefined;
    const decodeOptions: ImageBitmapOptions = { imageOrientation: 'from-image', resizeQuality: 'high' };
    if (target && upright && (target.width < upright.width || target.height < upright.height)) {
      decodeOptions.resizeWidth = target.width;
      decodeOptions.resizeHeight = target.height;
    }
    // Decode from the bytes already read (a File may have changed on disk since).
    const blob = new Blob([bytes], { type: file.type });
    bitmap = await withTimeout(createImageBitmap(blob, decodeOptions), timeoutMs, options.signal);
  } catch (err) {
    if (err instanceof IntakeError || (err instanceof DOMException && err.name === 'AbortError')) throw err;
    if (header.format === 'heic') throw new IntakeError('heic', 'This browser cannot decode HEIC images.', { format: 'heic' });
    throw new IntakeError('undecodable', `The browser could not decode the ${header.format} image: ${(err as Error).message}`, { format: header.format });
  }

  try {
    if (!upright) {
      // The header gave no size (unusual formats): check after decoding, then shrink if needed.
      checkDimensions(bitmap.width, bitmap.height, limits, header.format);
      const target = fitWithin(bitmap.width, bitmap.height, maxSide);
      if (target.width < bitmap.width) {
        const small = await createImageBitmap(bitmap, { resizeWidth: target.width, resizeHeight: target.height, resizeQuality: 'high' });
        bitmap.close();
        bitmap = small;
      }
    }
    const pixels = bitmapPixels(bitmap);
    return {
      bitmap,
      pixels,
      format: header.format,
      sourceWidth: upright?.width ?? bitmap.width,
      sourceHeight: upright?.height ?? bitmap.height,
      decodeMs: performance.now() - started,
    };
  } catch (err) {
    bitmap.close();
    throw err;
  }
}
