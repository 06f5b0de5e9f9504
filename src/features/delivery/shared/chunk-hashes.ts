/**
 * Per-chunk sha256 for a file, as stored in a manifest's `chunks` field. Used by the Node script
 * that annotates manifests and by the tests; the downloader only reads them.
 */
import type { ChunkHashes } from '../../../shared/model-manifest.ts';
import { sha256Hex } from './sha256.ts';

/** 1 MiB: small enough that a dropped 3G connection loses little, large enough that hashing is cheap. */
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;

export async function computeChunkHashes(bytes: Uint8Array, size = DEFAULT_CHUNK_SIZE): Promise<ChunkHashes> {
  if (!Number.isInteger(size) || size < 1024) throw new RangeError(`Chunk size must be a whole number ≥ 1024 (got ${size}).`);
  const sha256: string[] = [];
  for (let start = 0; start < bytes.length || sha256.length === 0; start += size) {
    sha256.push(await sha256Hex(bytes.subarray(start, Math.min(start + size, bytes.length))));
  }
  return { size, sha256 };
}
