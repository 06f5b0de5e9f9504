/**
 * Image preprocessing shared by the page, the worker and the Node CLIs. It mirrors
 * models/drishti/preprocess.py exactly (the parity test compares both through golden outputs):
 * pad to a centred square with the pad colour (extra pixel bottom/right), bilinear resize to
 * size×size with half-pixel centres and no antialias, then (p/255 − mean)/std into NCHW float32.
 */
import type { PreprocessSpec } from './model-manifest.ts';

/** Decoded pixels, row-major, interleaved RGB or RGBA (alpha is ignored: catalogue photos are opaque). */
export interface RgbaImage {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  channels: 3 | 4;
}

export class PreprocessError extends Error {
  override name = 'PreprocessError';
}

function checkImage(img: RgbaImage): void {
  if (!Number.isInteger(img.width) || !Number.isInteger(img.height) || img.width < 1 || img.height < 1) {
    throw new PreprocessError(`The image has no pixels (${img.width}×${img.height}).`);
  }
  if (img.data.length !== img.width * img.height * img.channels) {
    throw new PreprocessError(
      `The image buffer holds ${img.data.length} bytes, expected ${img.width}×${img.height}×${img.channels}.`,
    );
  }
}

/**
 * Writes one preprocessed image into `out` at `offset` (CHW). The square canvas is virtual: a
 * sample that falls in the padding reads the pad colour, so no padded copy is allocated.
 */
function preprocessInto(img: RgbaImage, spec: PreprocessSpec, out: Float32Array, offset: number): void {
  checkImage(img);
  const { size, padValue, mean, std } = spec;
  const side = Math.max(img.width, img.height);
  const padLeft = Math.floor((side - img.width) / 2);
  const padTop = Math.floor((side - img.height) / 2);
  const scale = side / size;
  const plane = size * size;
  const { data, width, channels } = img;

  // Source coordinate and weights per output column/row (half-pixel centres, clamped at edges).
  const axis = (n: number): { i0: Int32Array; i1: Int32Array; w: Float32Array } => {
    const i0 = new Int32Array(n);
    const i1 = new Int32Array(n);
    const w = new Float32Array(n);
    for (let o = 0; o < n; o++) {
      let src = (o + 0.5) * scale - 0.5;
      if (src < 0) src = 0;
      if (src > side - 1) src = side - 1;
      const lo = Math.floor(src);
      i0[o] = lo;
      i1[o] = Math.min(lo + 1, side - 1);
      w[o] = src - lo;
    }
    return { i0, i1, w };
  };
  const xs = axis(size);
  const ys = axis(size);

  const sample = (sx: number, sy: number, c: number): number => {
    const x = sx - padLeft;
    const y = sy - padTop;
    if (x < 0 || y < 0 || x >= img.width || y >= img.height) return padValue[c]!;
    return data[(y * width + x) * channels + c]!;
  };

  const k = new Float32Array(3);
  const b = new Float32Array(3);
  for (let c = 0; c < 3; c++) {
    k[c] = 1 / (255 * std[c]!);
    b[c] = -mean[c]! / std[c]!;
  }
  for (let oy = 0; oy < size; oy++) {
    const y0 = ys.i0[oy]!;
    const y1 = ys.i1[oy]!;
    const wy = ys.w[oy]!;
    for (let ox = 0; ox < size; ox++) {
      const x0 = xs.i0[ox]!;
      const x1 = xs.i1[ox]!;
      const wx = xs.w[ox]!;
      const o = offset + oy * size + ox;
      for (let c = 0; c < 3; c++) {
        const top = sample(x0, y0, c) * (1 - wx) + sample(x1, y0, c) * wx;
        const bottom = sample(x0, y1, c) * (1 - wx) + sample(x1, y1, c) * wx;
        const p = top * (1 - wy) + bottom * wy;
        out[o + c * plane] = p * k[c]! + b[c]!;
      }
    }
  }
}

/** Preprocesses a batch into one NCHW float32 tensor [images.length, 3, size, size]. */
export function preprocessToTensor(images: RgbaImage[], spec: PreprocessSpec): Float32Array {
  if (images.length === 0) throw new PreprocessError('No images to preprocess.');
  const per = 3 * spec.size * spec.size;
  const out = new Float32Array(images.length * per);
  images.forEach((img, i) => preprocessInto(img, spec, out, i * per));
  return out;
}

/** Tensor dims for a batch, as onnxruntime expects them. */
export function inputDims(batch: number, spec: PreprocessSpec): [number, number, number, number] {
  return [batch, 3, spec.size, spec.size];
}
