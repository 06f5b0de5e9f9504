/** Records kept by the delivery storage (IndexedDB or, when that is unavailable, memory). */

export type AssetKind = 'model' | 'pack';

/** One file, content-addressed by its sha256, stored as chunks; `complete` only after full verification. */
export interface StoredFile {
  sha256: string;
  /** Where it was last downloaded from (informational; the same bytes may come from another URL). */
  url: string;
  bytes: number;
  chunkSize: number;
  complete: boolean;
  /** ETag (or Last-Modified) of the server copy the stored chunks came from; chunks of two copies never mix. */
  validator?: string;
  createdAt: number;
  updatedAt: number;
  lastUsedAt: number;
}

export interface AssetFile {
  /** e.g. a variant name ("int8") or a pack file name ("vectors.bin"). */
  name: string;
  sha256: string;
  bytes: number;
}

/** A model or pack version: the set of files that make it up, keyed by kind, id and version. */
export interface StoredAsset {
  kind: AssetKind;
  id: string;
  version: string;
  files: AssetFile[];
  storedAt: number;
  lastUsedAt: number;
}

/** Which version of a model or pack is the one to use. Changed only when the new one is complete. */
export interface ActiveRecord {
  kind: AssetKind;
  id: string;
  version: string;
  activatedAt: number;
}

/** The storage primitives; two implementations (IndexedDB, memory) keep the same contract. */
export interface DeliveryBackend {
  readonly kind: 'indexeddb' | 'memory';
  getFile(sha256: string): Promise<StoredFile | undefined>;
  putFile(file: StoredFile): Promise<void>;
  listFiles(): Promise<StoredFile[]>;
  /** Removes the file record and every chunk of it in one transaction. */
  deleteFile(sha256: string): Promise<void>;
  getChunk(sha256: string, index: number): Promise<Uint8Array | undefined>;
  /** Stores a chunk and bumps the file's `updatedAt`; may throw a QuotaExceededError. */
  putChunk(sha256: string, index: number, data: Uint8Array): Promise<void>;
  chunkIndexes(sha256: string): Promise<number[]>;
  deleteChunks(sha256: string): Promise<void>;
  getAsset(kind: AssetKind, id: string, version: string): Promise<StoredAsset | undefined>;
  putAsset(asset: StoredAsset): Promise<void>;
  listAssets(): Promise<StoredAsset[]>;
  deleteAsset(kind: AssetKind, id: string, version: string): Promise<void>;
  getActive(kind: AssetKind, id: string): Promise<ActiveRecord | undefined>;
  listActive(): Promise<ActiveRecord[]>;
  deleteActive(kind: AssetKind, id: string): Promise<void>;
  /**
   * In one transaction: checks that the asset exists and each of its files is complete, then makes
   * it the active version. Returns the previous active record (if any). Throws if not complete.
   */
  activate(kind: AssetKind, id: string, version: string, now: number): Promise<ActiveRecord | undefined>;
  /** Small persistent choices (e.g. the person agreed to large downloads under Data Saver). */
  getPref(key: string): Promise<unknown>;
  setPref(key: string, value: unknown): Promise<void>;
  clear(): Promise<void>;
  close(): void;
}

export class IncompleteAssetError extends Error {
  override name = 'IncompleteAssetError';
}
