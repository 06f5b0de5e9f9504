/**
 * What the downloader fetches: one file, described well enough to verify it. Model variants and
 * catalogue-pack files both map onto this, so there is one downloader for everything.
 */
import type { ChunkHashes, ModelVariant } from '../../../shared/model-manifest.ts';

export type { ChunkHashes };

export interface FileEntry {
  /** Absolute URL (or one the page's fetch resolves). */
  url: string;
  bytes: number;
  /** Lower-case hex sha256 of the whole file. */
  sha256: string;
  /** Optional per-chunk hashes; without them chunks are checked only as part of the whole file. */
  chunks?: ChunkHashes;
}

/** The file entry for a model variant; `manifestUrl` is where manifest.json was loaded from. */
export function fileEntryForVariant(manifestUrl: string | URL, variant: ModelVariant): FileEntry {
  const entry: FileEntry = { url: new URL(variant.file, manifestUrl).href, bytes: variant.bytes, sha256: variant.sha256 };
  if (variant.chunks) entry.chunks = variant.chunks;
  return entry;
}

/** Byte range [start, end) of chunk `index` for a file of `bytes` split every `size` bytes. */
export function chunkRange(index: number, size: number, bytes: number): { start: number; end: number } {
  const start = index * size;
  return { start, end: Math.min(start + size, bytes) };
}

export function chunkCount(bytes: number, size: number): number {
  return Math.max(1, Math.ceil(bytes / size));
}
