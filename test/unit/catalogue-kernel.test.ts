import { seededRandom } from '../../src/shared/seeded-random.ts';
import { describe, expect, it } from 'vitest';
import { Int8DotKernel } from '../../src/features/catalogue/shared/int8-kernel.ts';
import { exactSearch, dotRow } from '../../src/features/catalogue/shared/vector-search.ts';
import { inverseCodeNorms, quantizeRows } from '../../src/features/catalogue/shared/int8-codec.ts';
import { clusteredVectors, gaussian } from './catalogue-synthetic.ts';

describe('WASM SIMD int8 kernel', () => {
  for (const dims of [32, 256]) {
    it(`matches the JS dot products (dims ${dims}) within the query's int16 rounding`, () => {
      const rows = 500;
      const m = quantizeRows(clusteredVectors(rows, dims, 3), dims);
      const kernel = Int8DotKernel.create(rows, dims);
      expect(kernel).not.toBeNull();
      kernel!.codes.set(m.codes);
      const random = seededRandom(9).next;
      const q = Float32Array.from({ length: dims }, () => gaussian(random));
      const f = kernel!.setQuery(q);
      const dots = kernel!.scoreAll();
      for (let r = 0; r < rows; r++) {
        const ref = dotRow(q, m.codes, r, dims);
        // Each query value is rounded to a step of f: the error is at most Σ|code| × f / 2.
        let bound = 0;
        for (let j = 0; j < dims; j++) bound += Math.abs(m.codes[r * dims + j]!) * f * 0.5;
        expect(Math.abs(dots[r]! * f - ref)).toBeLessThanOrEqual(bound + 1e-9);
      }
      // The gather variant scores listed rows in the listed order.
      kernel!.setOrder(Int32Array.from({ length: rows }, (_, i) => rows - 1 - i));
      const some = kernel!.scoreOrdered(10, 5);
      for (let i = 0; i < 5; i++) expect(some[i]! * f).toBeCloseTo(dotRow(q, m.codes, rows - 1 - (10 + i), dims), 0);
    });
  }

  it('gives the same top-k as the JS scan', () => {
    const dims = 256;
    const m = quantizeRows(clusteredVectors(3000, dims, 5), dims);
    const inv = inverseCodeNorms(m);
    const kernel = Int8DotKernel.create(m.rows, dims)!;
    kernel.codes.set(m.codes);
    const q = clusteredVectors(1, dims, 6);
    const js = exactSearch(m, inv, q, 10, null);
    const simd = exactSearch(m, inv, q, 10, null, -1, kernel);
    expect([...simd.rows]).toEqual([...js.rows]);
  });

  it('refuses dims that are not a multiple of 16 (callers fall back to JS)', () => {
    expect(Int8DotKernel.create(10, 24)).toBeNull();
    expect(Int8DotKernel.create(0, 32)).toBeNull();
  });
});
