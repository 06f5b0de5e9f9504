import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, IntakeError, checkDimensions, checkImageBytes, fitWithin } from '../../src/features/intake/shared/intake-check.ts';
import { SVG, gif, heicHead, jpeg, png } from './intake-fixtures.ts';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof IntakeError) return err.code;
    throw err;
  }
  return 'ok';
}

describe('deciding whether a file can be used as a photo', () => {
  it('accepts ordinary photos', async () => {
    expect(checkImageBytes(await jpeg(640, 480), 'image/jpeg')).toMatchObject({ format: 'jpeg', width: 640, height: 480 });
    expect(checkImageBytes(await png(64, 64), 'image/png').format).toBe('png');
  });

  it('refuses each kind of bad input with its own reason', async () => {
    const full = await jpeg(300, 200);
    expect(codeOf(() => checkImageBytes(new Uint8Array(0), 'image/jpeg'))).toBe('empty');
    expect(codeOf(() => checkImageBytes(new TextEncoder().encode('just some text'), 'text/plain'))).toBe('not-image');
    expect(codeOf(() => checkImageBytes(SVG, 'image/svg+xml'))).toBe('svg');
    expect(codeOf(() => checkImageBytes(SVG, ''))).toBe('svg');
    expect(codeOf(() => checkImageBytes(gif(2), 'image/gif'))).toBe('animated');
    expect(codeOf(() => checkImageBytes(full.subarray(0, full.length >> 1), 'image/jpeg'))).toBe('truncated');
    const huge = await png(10_000, 10_000);
    const tiny = await png(8, 8);
    expect(codeOf(() => checkImageBytes(huge, 'image/png'))).toBe('too-large');
    expect(codeOf(() => checkImageBytes(tiny, 'image/png'))).toBe('too-small');
    expect(codeOf(() => checkImageBytes(new Uint8Array(DEFAULT_LIMITS.maxBytes + 1), 'image/jpeg'))).toBe('file-too-big');
  });

  it('lets HEIC through to the decoder (some browsers can open it) but checks its size first', () => {
    expect(checkImageBytes(heicHead(), 'image/heic').format).toBe('heic');
  });

  it('reports the dimensions of a too-large image for the message', async () => {
    try {
      checkImageBytes(await png(10_000, 10_000), 'image/png');
      expect.unreachable();
    } catch (err) {
      expect((err as IntakeError).details).toMatchObject({ width: 10_000, height: 10_000 });
    }
  });

  it('checks dimensions after decoding for formats without a readable header', () => {
    expect(codeOf(() => checkDimensions(9000, 9000))).toBe('too-large');
    expect(codeOf(() => checkDimensions(4000, 3000))).toBe('ok');
  });

  it('computes a downscaled size that keeps the aspect ratio and never enlarges', () => {
    expect(fitWithin(4000, 3000, 448)).toEqual({ width: 448, height: 336 });
    expect(fitWithin(3000, 4000, 448)).toEqual({ width: 336, height: 448 });
    expect(fitWithin(224, 224, 448)).toEqual({ width: 224, height: 224 });
  });
});
