/**
 * Reads and verifies a catalogue pack from any byte source (fetch in the worker, the file system
 * in Node, IndexedDB for imports). Nothing is trusted: sizes are capped before reading, every file
 * is checked against its sha256 in pack.json, and the pack must match the model that will search it.
 */
import { gunzip, readAllBounded, sha256Hex } from './bytes.ts';
import {
  MANIFEST_FILE,
  PACK_LIMITS,
  PackError,
  decodeEmbeddingsFile,
  parseCategoriesFile,
  parseItemsFile,
  parsePackManifest,
  type CategoriesFile,
  type ItemsFile,
  type PackFileEntry,
  type PackManifest,
} from './pack-format.ts';

/** Returns a file of the pack by its relative path, reading at most maxBytes (throws beyond that). */
export type PackFileSource = (path: string, maxBytes: number) => Promise<Uint8Array>;

export interface LoadedPack {
  manifest: PackManifest;
  items: ItemsFile;
  codes: Int8Array;
  scales: Float32Array;
  categories?: CategoriesFile;
}

export interface ExpectedModel {
  id: string;
  version: string;
  embeddingDims: number;
}

function decodeJson(bytes: Uint8Array, what: string, source: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    throw new PackError(`The catalogue pack ${source} is invalid: ${what} is not valid UTF-8 JSON (${(err as Error).message}).`);
  }
}

async function readVerified(read: PackFileSource, e: PackFileEntry, source: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await read(e.path, e.bytes);
  } catch (err) {
    if (err instanceof PackError) throw err;
    throw new PackError(`Could not read ${e.path} of the catalogue pack ${source}: ${(err as Error).message}`);
  }
  if (bytes.byteLength !== e.bytes) {
    throw new PackError(`The catalogue pack ${source} is damaged: ${e.path} has ${bytes.byteLength} bytes, pack.json says ${e.bytes} (truncated download?).`);
  }
  const sha = await sha256Hex(bytes);
  if (sha !== e.sha256) {
    throw new PackError(`The catalogue pack ${source} is damaged: the sha256 of ${e.path} does not match pack.json (got ${sha.slice(0, 12)}…, expected ${e.sha256.slice(0, 12)}…).`);
  }
  return bytes;
}

/** Checks that a manifest was built with the model that will embed queries. */
export function checkPackModel(manifest: PackManifest, expected: ExpectedModel, source: string): void {
  const m = manifest.model;
  if (m.id !== expected.id || m.version !== expected.version || m.embeddingDims !== expected.embeddingDims) {
    throw new PackError(
      `The catalogue pack ${source} was built with model ${m.id} ${m.version} (${m.embeddingDims}-d) but this app runs ${expected.id} ${expected.version} (${expected.embeddingDims}-d); its search results would be meaningless. Rebuild the pack with \`npm run catalog:build\`.`,
    );
  }
}

export async function readPack(read: PackFileSource, source: string, expected?: ExpectedModel): Promise<LoadedPack> {
  let manifestBytes: Uint8Array;
  try {
    manifestBytes = await read(MANIFEST_FILE, PACK_LIMITS.maxManifestBytes);
  } catch (err) {
    if (err instanceof PackError) throw err;
    throw new PackError(`Could not read ${MANIFEST_FILE} of the catalogue pack ${source}: ${(err as Error).message}`);
  }
  const manifest = parsePackManifest(decodeJson(manifestBytes, MANIFEST_FILE, source), source);
  if (expected) checkPackModel(manifest, expected, source);
  if (manifest.files.items.bytes > PACK_LIMITS.maxItemsFileBytes) {
    throw new PackError(`The catalogue pack ${source} is too large: its items file is ${manifest.files.items.bytes} bytes (limit ${PACK_LIMITS.maxItemsFileBytes}).`);
  }
  const [itemsGz, embBytes] = await Promise.all([
    readVerified(read, manifest.files.items, source),
    readVerified(read, manifest.files.embeddings, source),
  ]);
  let itemsJson: Uint8Array;
  try {
    itemsJson = await gunzip(itemsGz, PACK_LIMITS.maxItemsJsonBytes);
  } catch (err) {
    throw new PackError(`The catalogue pack ${source} is invalid: ${manifest.files.items.path} could not be decompressed (${(err as Error).message}).`);
  }
  const items = parseItemsFile(decodeJson(itemsJson, manifest.files.items.path, source), manifest, source);
  const { codes, scales } = decodeEmbeddingsFile(embBytes, manifest.itemCount, manifest.model.embeddingDims, source);
  const pack: LoadedPack = { manifest, items, codes, scales };
  if (manifest.files.categories) {
    const bytes = await readVerified(read, manifest.files.categories, source);
    pack.categories = parseCategoriesFile(decodeJson(bytes, manifest.files.categories.path, source), manifest.model.embeddingDims, source);
  }
  return pack;
}

/** A PackFileSource over HTTP(S): files resolved relative to the pack.json URL, sizes capped while streaming. */
export function httpPackSource(packJsonUrl: string, init: { signal?: AbortSignal } = {}): PackFileSource {
  return async (path, maxBytes) => {
    const url = new URL(path, packJsonUrl).href;
    const res = await fetch(url, { signal: init.signal ?? null });
    if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}`);
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes && !res.headers.get('content-encoding')) {
      await res.body?.cancel();
      throw new PackError(`The catalogue pack file ${url} is ${declared} bytes, more than the ${maxBytes} expected.`);
    }
    if (!res.body) return new Uint8Array(await res.arrayBuffer());
    return readAllBounded(
      res.body.getReader(),
      maxBytes,
      () => new PackError(`The catalogue pack file ${url} is larger than the ${maxBytes} bytes expected.`),
    );
  };
}
