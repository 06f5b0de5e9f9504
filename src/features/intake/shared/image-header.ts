/**
 * Reads what a photo file is from its bytes alone, before anything is decoded: the real format
 * (file names and MIME types lie), the pixel dimensions (so a 10,000 × 10,000 image is refused
 * before it can exhaust memory), whether it is animated, whether a JPEG/PNG is cut off, and the
 * EXIF orientation. Pure functions over Uint8Array: runs on the page, in a worker and in Node.
 */

export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'bmp' | 'avif' | 'heic' | 'svg' | 'unknown';

export interface ImageHeader {
  format: ImageFormat;
  /** Stored (un-rotated) dimensions when the header could be read. */
  width?: number;
  height?: number;
  /** More than one frame (GIF, APNG, animated WebP). */
  animated: boolean;
  /** False when the file ends before its format's end marker (JPEG EOI, PNG IEND, GIF trailer). */
  complete: boolean;
  /** EXIF orientation 1–8 (JPEG only; 1 when absent). 5–8 swap width and height on display. */
  orientation: number;
}

const ascii = (b: Uint8Array, at: number, len: number): string =>
  at + len <= b.length ? String.fromCharCode(...b.subarray(at, at + len)) : '';
const be16 = (b: Uint8Array, i: number): number => (b[i]! << 8) | b[i + 1]!;
const le16 = (b: Uint8Array, i: number): number => b[i]! | (b[i + 1]! << 8);
const be32 = (b: Uint8Array, i: number): number => ((b[i]! << 24) >>> 0) + ((b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!);
const le32 = (b: Uint8Array, i: number): number => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16)) + ((b[i + 3]! << 24) >>> 0);

const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

export function sniffFormat(b: Uint8Array): ImageFormat {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && be32(b, 0) === 0x89504e47 && be32(b, 4) === 0x0d0a1a0a) return 'png';
  if (ascii(b, 0, 4) === 'GIF8') return 'gif';
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return 'webp';
  if (ascii(b, 0, 2) === 'BM' && b.length >= 26) return 'bmp';
  if (ascii(b, 4, 4) === 'ftyp') {
    // The major brand, then compatible brands: AVIF files often list mif1 too, so AVIF wins first.
    const boxSize = Math.min(be32(b, 0), b.length);
    const brands: string[] = [ascii(b, 8, 4)];
    for (let i = 16; i + 4 <= boxSize; i += 4) brands.push(ascii(b, i, 4));
    if (brands.some((x) => AVIF_BRANDS.has(x))) return 'avif';
    if (brands.some((x) => HEIC_BRANDS.has(x))) return 'heic';
    return 'unknown';
  }
  if (looksLikeSvg(b)) return 'svg';
  return 'unknown';
}

function looksLikeSvg(b: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(0, 2048));
  } catch {
    return false;
  }
  const start = text.replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (!start.startsWith('<')) return false;
  return start.startsWith('<svg') || ((start.startsWith('<?xml') || start.startsWith('<!doctype') || start.startsWith('<!--')) && start.includes('<svg'));
}

function exifOrientation(b: Uint8Array, start: number, end: number): number {
  // APP1 payload: "Exif\0\0" then a TIFF header (II or MM), IFD0 offset, entries of 12 bytes.
  if (ascii(b, start, 6) !== 'Exif\0\0') return 1;
  const tiff = start + 6;
  const little = ascii(b, tiff, 2) === 'II';
  const u16 = (i: number): number => (little ? le16(b, i) : be16(b, i));
  const u32 = (i: number): number => (little ? le32(b, i) : be32(b, i));
  if (tiff + 8 > end) return 1;
  const ifd = tiff + u32(tiff + 4);
  if (ifd + 2 > end) return 1;
  const count = u16(ifd);
  for (let k = 0; k < count; k++) {
    const entry = ifd + 2 + k * 12;
    if (entry + 12 > end) break;
    if (u16(entry) === 0x0112) {
      const v = u16(entry + 8);
      return v >= 1 && v <= 8 ? v : 1;
    }
  }
  return 1;
}

function isSof(m: number): boolean {
  return m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
}

/** Walks JPEG segments and entropy-coded scans to the EOI marker; a file that runs out first is cut off. */
function readJpeg(b: Uint8Array): ImageHeader {
  const h: ImageHeader = { format: 'jpeg', animated: false, complete: false, orientation: 1 };
  let i = 2;
  const n = b.length;
  while (i + 1 < n) {
    if (b[i] !== 0xff) return h; // Not at a marker: corrupt structure; treat as incomplete.
    let m = b[i + 1]!;
    while (m === 0xff && i + 2 < n) {
      i++; // fill bytes
      m = b[i + 1]!;
    }
    if (m === 0xd9) {
      h.complete = true;
      return h;
    }
    if ((m >= 0xd0 && m <= 0xd7) || m === 0x01) {
      i += 2;
      continue;
    }
    if (i + 4 > n) return h;
    const len = be16(b, i + 2);
    const segStart = i + 4;
    const segEnd = i + 2 + len;
    if (isSof(m) && segStart + 5 <= n) {
      h.height = be16(b, segStart + 1);
      h.width = be16(b, segStart + 3);
    } else if (m === 0xe1 && h.orientation === 1) {
      h.orientation = exifOrientation(b, segStart, Math.min(segEnd, n));
    }
    i = segEnd;
    if (m === 0xda) {
      // Entropy-coded data: 0xFF is followed by 0x00 (stuffing) or a restart marker until the next real marker.
      while (i + 1 < n) {
        if (b[i] === 0xff) {
          const nx = b[i + 1]!;
          if (nx !== 0 && !(nx >= 0xd0 && nx <= 0xd7) && nx !== 0xff) break;
        }
        i++;
      }
      if (i + 1 >= n) return h;
    }
  }
  return h;
}

function readPng(b: Uint8Array): ImageHeader {
  const h: ImageHeader = { format: 'png', animated: false, complete: false, orientation: 1 };
  if (b.length >= 24 && ascii(b, 12, 4) === 'IHDR') {
    h.width = be32(b, 16);
    h.height = be32(b, 20);
  }
  // Walk chunks: acTL before IDAT means APNG; IEND means the file is whole.
  let i = 8;
  while (i + 8 <= b.length) {
    const len = be32(b, i);
    const type = ascii(b, i + 4, 4);
    if (type === 'acTL') h.animated = true;
    if (type === 'IEND') {
      h.complete = true;
      break;
    }
    i += 12 + len;
  }
  return h;
}

function readGif(b: Uint8Array): ImageHeader {
  const h: ImageHeader = { format: 'gif', animated: false, complete: false, orientation: 1 };
  if (b.length < 13) return h;
  h.width = le16(b, 6);
  h.height = le16(b, 8);
  let i = 13;
  if (b[10]! & 0x80) i += 3 * (1 << ((b[10]! & 0x07) + 1));
  let frames = 0;
  const skipSubBlocks = (): void => {
    while (i < b.length) {
      const size = b[i]!;
      i += 1 + size;
      if (size === 0) return;
    }
  };
  while (i < b.length) {
    const block = b[i]!;
    if (block === 0x3b) {
      h.complete = true;
      break;
    } else if (block === 0x21) {
      i += 2;
      skipSubBlocks();
    } else if (block === 0x2c) {
      frames++;
      if (frames > 1) {
        // The second frame is enough to know; the rest of the file is not needed.
        h.animated = true;
        h.complete = true;
        break;
      }
      const flags = b[i + 9] ?? 0;
      i += 10;
      if (flags & 0x80) i += 3 * (1 << ((flags & 0x07) + 1));
      i += 1; // LZW minimum code size
      skipSubBlocks();
    } else {
      break;
    }
  }
  return h;
}

function readWebp(b: Uint8Array): ImageHeader {
  const h: ImageHeader = { format: 'webp', animated: false, complete: b.length >= 8 + le32(b, 4), orientation: 1 };
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ' && b.length >= 30) {
    h.width = le16(b, 26) & 0x3fff;
    h.height = le16(b, 28) & 0x3fff;
  } else if (chunk === 'VP8L' && b.length >= 25) {
    const bits = le32(b, 21);
    h.width = (bits & 0x3fff) + 1;
    h.height = ((bits >>> 14) & 0x3fff) + 1;
  } else if (chunk === 'VP8X' && b.length >= 30) {
    h.animated = (b[20]! & 0x02) !== 0;
    h.width = 1 + (b[24]! | (b[25]! << 8) | (b[26]! << 16));
    h.height = 1 + (b[27]! | (b[28]! << 8) | (b[29]! << 16));
  }
  return h;
}

function readBmp(b: Uint8Array): ImageHeader {
  const w = le32(b, 18);
  const hRaw = le32(b, 22) | 0; // signed: negative means top-down rows
  return { format: 'bmp', width: w, height: Math.abs(hRaw), animated: false, complete: true, orientation: 1 };
}

/** HEIF/AVIF: the largest 'ispe' (image spatial extent) box gives the full image size. */
function readIsoBmff(b: Uint8Array, format: 'heic' | 'avif'): ImageHeader {
  const h: ImageHeader = { format, animated: false, complete: true, orientation: 1 };
  const limit = Math.min(b.length, 1 << 20);
  for (let i = 4; i + 16 <= limit; i++) {
    if (b[i] === 0x69 && b[i + 1] === 0x73 && b[i + 2] === 0x70 && b[i + 3] === 0x65) {
      const w = be32(b, i + 8);
      const ht = be32(b, i + 12);
      if (w * ht > (h.width ?? 0) * (h.height ?? 0)) {
        h.width = w;
        h.height = ht;
      }
    }
  }
  return h;
}

export function readImageHeader(bytes: Uint8Array): ImageHeader {
  const format = sniffFormat(bytes);
  switch (format) {
    case 'jpeg':
      return readJpeg(bytes);
    case 'png':
      return readPng(bytes);
    case 'gif':
      return readGif(bytes);
    case 'webp':
      return readWebp(bytes);
    case 'bmp':
      return readBmp(bytes);
    case 'heic':
    case 'avif':
      return readIsoBmff(bytes, format);
    default:
      return { format, animated: false, complete: true, orientation: 1 };
  }
}

/** Display dimensions after EXIF orientation (5–8 rotate by 90°). */
export function orientedSize(h: ImageHeader): { width: number; height: number } | undefined {
  if (h.width === undefined || h.height === undefined) return undefined;
  return h.orientation >= 5 ? { width: h.height, height: h.width } : { width: h.width, height: h.height };
}
