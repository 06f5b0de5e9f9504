import { describe, expect, it } from 'vitest';
import type { PreprocessSpec } from '../../src/shared/model-manifest.ts';
import { PreprocessError, preprocessToTensor, type RgbaImage } from '../../src/shared/preprocess.ts';

const spec = (size: number): PreprocessSpec => ({
  inputName: 'image',
  size,
  resize: 'pad-to-square-bilinear',
  padValue: [255, 255, 255],
  mean: [0.5, 0.25, 0],
  std: [0.5, 0.25, 1],
});

function image(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      data.set([r, g, b, 255], (y * width + x) * 4);
    }
  return { data, width, height, channels: 4 };
}

describe('preprocessToTensor', () => {
  it('leaves an image of the model size untouched apart from normalisation (NCHW)', () => {
    const img = image(4, 4, (x, y) => [x * 60, y * 60, 255]);
    const t = preprocessToTensor([img], spec(4));
    expect(t.length).toBe(3 * 16);
    // red plane: (p/255 - 0.5)/0.5 at (x=3, y=1)
    expect(t[1 * 4 + 3]).toBeCloseTo((180 / 255 - 0.5) / 0.5, 5);
    // green plane at (x=0, y=2)
    expect(t[16 + 2 * 4]).toBeCloseTo((120 / 255 - 0.25) / 0.25, 5);
    // blue plane: std 1, mean 0 → p/255
    expect(t[32 + 5]).toBeCloseTo(1, 6);
  });

  it('pads a wide image to a centred square with the pad colour before resizing', () => {
    // 4×2 black image → 4×4 square with a white row above and below.
    const img = image(4, 2, () => [0, 0, 0]);
    const t = preprocessToTensor([img], spec(4));
    const red = (x: number, y: number) => t[y * 4 + x]!;
    expect(red(0, 0)).toBeCloseTo(1, 5); // white pad: (1 - 0.5)/0.5
    expect(red(2, 1)).toBeCloseTo(-1, 5); // black image: (0 - 0.5)/0.5
    expect(red(2, 2)).toBeCloseTo(-1, 5);
    expect(red(3, 3)).toBeCloseTo(1, 5);
  });

  it('downscales bilinearly with half-pixel centres (2×2 blocks average)', () => {
    const img = image(4, 4, (x) => (x % 2 === 0 ? [0, 0, 0] : [200, 0, 0]));
    const t = preprocessToTensor([img], { ...spec(2), mean: [0, 0, 0], std: [1, 1, 1] });
    expect(t[0]! * 255).toBeCloseTo(100, 3);
    expect(t[3]! * 255).toBeCloseTo(100, 3);
  });

  it('stacks a batch and accepts RGB input', () => {
    const rgb: RgbaImage = { data: new Uint8Array([255, 0, 0]), width: 1, height: 1, channels: 3 };
    const t = preprocessToTensor([rgb, rgb], { ...spec(1), mean: [0, 0, 0], std: [1, 1, 1] });
    expect(Array.from(t)).toEqual([1, 0, 0, 1, 0, 0]);
  });

  it('rejects empty batches and inconsistent buffers with a clear error', () => {
    expect(() => preprocessToTensor([], spec(2))).toThrow(PreprocessError);
    const bad: RgbaImage = { data: new Uint8Array(5), width: 2, height: 2, channels: 3 };
    expect(() => preprocessToTensor([bad], spec(2))).toThrow(/expected 2×2×3/);
    const empty: RgbaImage = { data: new Uint8Array(0), width: 0, height: 3, channels: 3 };
    expect(() => preprocessToTensor([empty], spec(2))).toThrow(/no pixels/);
  });
});
