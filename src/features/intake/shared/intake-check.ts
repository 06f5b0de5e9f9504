/**
 * Decides, from the file's size and header alone, whether a photo can be used — and if not, why,
 * in terms the UI turns into a translated message. Nothing here decodes pixels.
 */
import { orientedSize, readImageHeader, type ImageFormat, type ImageHeader } from './image-header.ts';

export type IntakeProblemCode =
  | 'empty'
  | 'not-image'
  | 'svg'
  | 'animated'
  | 'heic'
  | 'truncated'
  | 'too-large'
  | 'file-too-big'
  | 'too-small'
  | 'undecodable';

export interface IntakeLimits {
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** Largest image accepted, in pixels (width × height), checked before decoding. */
  maxPixels: number;
  /** Smallest side that still shows something recognisable. */
  minSide: number;
}

/** 50 MP covers full-resolution phone cameras; 10,000 × 10,000 (100 MP) is refused. */
export const DEFAULT_LIMITS: IntakeLimits = { maxBytes: 40 * 1024 * 1024, maxPixels: 50_000_000, minSide: 16 };

export class IntakeError extends Error {
  override name = 'IntakeError';
  constructor(
    readonly code: IntakeProblemCode,
    message: string,
    readonly details: { width?: number; height?: number; bytes?: number; format?: ImageFormat } = {},
  ) {
    super(message);
  }
}

/** Formats this app hands to the browser's decoder. HEIC goes through too: a browser that can decode it may. */
const DECODABLE: ReadonlySet<ImageFormat> = new Set(['jpeg', 'png', 'gif', 'webp', 'bmp', 'avif', 'heic']);

/**
 * Throws an IntakeError for a file that must not be decoded; returns the header otherwise.
 * `declaredType` (the File's MIME type) is only a hint for files whose bytes say nothing.
 */
export function checkImageBytes(bytes: Uint8Array, declaredType: string, limits: IntakeLimits = DEFAULT_LIMITS): ImageHeader {
  if (bytes.length === 0) throw new IntakeError('empty', 'The file is empty (0 bytes).', { bytes: 0 });
  if (bytes.length > limits.maxBytes) {
    throw new IntakeError('file-too-big', `The file is ${bytes.length} bytes; at most ${limits.maxBytes} are accepted.`, { bytes: bytes.length });
  }
  const header = readImageHeader(bytes);
  const { format } = header;
  if (format === 'svg' || declaredType === 'image/svg+xml') {
    throw new IntakeError('svg', 'SVG drawings are not photos and are not searched.', { format: 'svg' });
  }
  if (format === 'unknown') {
    // Unknown bytes with an image type may still be something the browser decodes (e.g. ICO); anything else is not a photo.
    if (!declaredType.startsWith('image/')) throw new IntakeError('not-image', 'The file is not an image.', { format });
    return header;
  }
  if (!DECODABLE.has(format)) throw new IntakeError('not-image', `Unsupported image format ${format}.`, { format });
  if (header.animated) throw new IntakeError('animated', 'Animated images are not searched.', { format });
  if (!header.complete) throw new IntakeError('truncated', `The ${format.toUpperCase()} file ends before its last byte.`, { format });
  const size = orientedSize(header);
  if (size) checkDimensions(size.width, size.height, limits, format);
  return header;
}

/** Also used after decoding, for formats whose header did not give dimensions. */
export function checkDimensions(width: number, height: number, limits: IntakeLimits = DEFAULT_LIMITS, format?: ImageFormat): void {
  if (width <= 0 || height <= 0) throw new IntakeError('undecodable', `The image reports ${width} × ${height} pixels.`, { width, height, format });
  if (width * height > limits.maxPixels) {
    throw new IntakeError('too-large', `The image is ${width} × ${height} pixels; at most ${limits.maxPixels} pixels are accepted.`, { width, height, format });
  }
  if (Math.min(width, height) < limits.minSide) {
    throw new IntakeError('too-small', `The image is only ${width} × ${height} pixels.`, { width, height, format });
  }
}

/** The size to decode at so the longest side is at most maxSide (never upscaled). */
export function fitWithin(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
