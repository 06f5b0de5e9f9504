/**
 * Byte-for-byte equality for megabyte buffers: vitest's deep equality walks typed arrays element
 * by element through generic code (seconds per MB), Buffer.compare is a memcmp.
 */
import { expect } from 'vitest';

export function expectSameBytes(actual: ArrayBufferView, expected: ArrayBufferView): void {
  const a = Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength);
  const b = Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength);
  expect(a.byteLength, 'length').toBe(b.byteLength);
  if (Buffer.compare(a, b) === 0) return;
  const i = a.findIndex((v, k) => v !== b[k]);
  expect.fail(`the bytes differ, first at offset ${i}`);
}
