import { describe, expect, it } from 'vitest';
import { ManifestError, parseModelManifest } from '../../src/shared/model-manifest.ts';
import { cosine, decodeOutputs } from '../../src/shared/model-output.ts';

function validManifest(): Record<string, unknown> {
  return {
    schemaVersion: 1,
    id: 'tiny',
    version: '0.0.1',
    preprocess: { inputName: 'image', size: 4, resize: 'pad-to-square-bilinear', padValue: [255, 255, 255], mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
    heads: [
      { name: 'gender', output: 'gender', labels: [{ id: 'Men', en: 'Men', hi: 'पुरुष' }, { id: 'Women', en: 'Women', hi: 'महिलाएँ' }] },
    ],
    embedding: { output: 'embedding', dims: 2 },
    variants: [{ name: 'int8', file: 'tiny.int8.onnx', bytes: 10, sha256: 'a'.repeat(64), dtype: 'int8', intendedBackend: 'wasm' }],
  };
}

describe('parseModelManifest', () => {
  it('accepts a valid manifest', () => {
    const m = parseModelManifest(validManifest(), 'test.json');
    expect(m.heads[0]!.labels[1]!.hi).toBe('महिलाएँ');
    expect(m.variants[0]!.intendedBackend).toBe('wasm');
  });

  it.each([
    ['schemaVersion', 2, /schemaVersion 2 is not supported/],
    ['heads', [], /"heads" must be a non-empty list/],
    ['variants', [{ name: 'int4' }], /variants\[0\]\.name must be one of/],
    ['preprocess', { resize: 'stretch' }, /preprocess\.resize "stretch"/],
  ])('rejects a bad %s with a message naming the file', (key, value, message) => {
    const bad = { ...validManifest(), [key]: value };
    expect(() => parseModelManifest(bad, 'models/manifest.json')).toThrow(ManifestError);
    expect(() => parseModelManifest(bad, 'models/manifest.json')).toThrow(message);
    expect(() => parseModelManifest(bad, 'models/manifest.json')).toThrow(/models\/manifest\.json/);
  });

  it('refuses variant files outside the model folder', () => {
    const m = validManifest();
    (m.variants as Record<string, unknown>[])[0]!.file = '../../etc/passwd';
    expect(() => parseModelManifest(m, 'x')).toThrow(/relative path inside the model folder/);
  });
});

describe('decodeOutputs', () => {
  it('labels each image of a batch with its top classes and slices its embedding', () => {
    const m = parseModelManifest(validManifest(), 'x');
    const preds = decodeOutputs(
      m,
      {
        gender: { data: new Float32Array([0.2, 0.8, 0.9, 0.1]), dims: [2, 2] },
        embedding: { data: new Float32Array([1, 0, 0, 1]), dims: [2, 2] },
      },
      2,
    );
    expect(preds[0]!.heads[0]!.top[0]).toMatchObject({ id: 'Women', hi: 'महिलाएँ' });
    expect(preds[0]!.heads[0]!.top[0]!.score).toBeCloseTo(0.8);
    expect(preds[1]!.heads[0]!.top[0]!.id).toBe('Men');
    expect(Array.from(preds[1]!.embedding)).toEqual([0, 1]);
  });

  it('says which output is missing or mis-sized', () => {
    const m = parseModelManifest(validManifest(), 'x');
    expect(() => decodeOutputs(m, { gender: { data: new Float32Array(2), dims: [1, 2] } }, 1)).toThrow(/"embedding"/);
    expect(() =>
      decodeOutputs(m, { gender: { data: new Float32Array(3), dims: [1, 3] }, embedding: { data: new Float32Array(2), dims: [1, 2] } }, 1),
    ).toThrow(/Output "gender" has 3 values/);
  });

  it('computes cosine similarity', () => {
    expect(cosine([1, 0], [1, 0])).toBeCloseTo(1);
    expect(cosine([1, 0], [0, 2])).toBeCloseTo(0);
    expect(cosine([0, 0], [1, 1])).toBe(0);
  });
});
