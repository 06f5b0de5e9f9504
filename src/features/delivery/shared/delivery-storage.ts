/**
 * Where verified models and catalogue packs live on the device: chunks of content-addressed files,
 * assets (kind + id + version → files) and the active version of each. Adds what the backends do
 * not: quota handling with least-recently-used eviction that never touches what is in use, atomic
 * activation of a new version, and the numbers the storage panel shows.
 */
import { DeliveryError, formatBytes, isQuotaError } from './errors.ts';
import { openIdbBackend, DELIVERY_DB_NAME } from './idb-backend.ts';
import { MemoryBackend } from './memory-backend.ts';
export { requestPersistentStorage, storageEstimate, type StorageEstimateInfo } from './persistence.ts';
import type { ActiveRecord, AssetFile, AssetKind, DeliveryBackend, StoredAsset, StoredFile } from './storage-types.ts';

export type { ActiveRecord, AssetFile, AssetKind, StoredAsset, StoredFile } from './storage-types.ts';

export interface EvictionRecord {
  what: string;
  bytes: number;
}

export interface StorageSummary {
  backend: 'indexeddb' | 'memory';
  notice?: string;
  assets: Array<StoredAsset & { bytes: number; active: boolean; inUse: boolean }>;
  /** Downloads in progress (or abandoned) with how much of them is stored. */
  partials: Array<{ sha256: string; url: string; bytes: number; storedBytes: number; updatedAt: number }>;
  /** Complete files that no asset refers to (e.g. fetched before the asset was registered). */
  looseFiles: StoredFile[];
  storedBytes: number;
}

type Clock = () => number;

const key = (kind: AssetKind, id: string, version: string): string => `${kind}\u0000${id}\u0000${version}`;

export class DeliveryStorage {
  /** Assets this session is using right now (e.g. the loaded model); eviction never touches them. */
  private readonly pinned = new Map<string, number>();
  /** Files being downloaded right now; eviction leaves them alone too. */
  private readonly downloading = new Map<string, number>();
  readonly evictions: EvictionRecord[] = [];

  constructor(
    readonly backend: DeliveryBackend,
    /** Set when storage fell back to memory: say so in the UI. */
    readonly notice?: string,
    private readonly now: Clock = Date.now,
  ) {}

  get kind(): 'indexeddb' | 'memory' {
    return this.backend.kind;
  }

  // ── files and chunks ────────────────────────────────────────────────────────────────────────

  getFile(sha256: string): Promise<StoredFile | undefined> {
    return this.backend.getFile(sha256);
  }

  /** Starts (or continues) a stored file record for a download. */
  async beginFile(init: { sha256: string; url: string; bytes: number; chunkSize: number }): Promise<StoredFile> {
    const existing = await this.backend.getFile(init.sha256);
    if (existing && existing.bytes === init.bytes && existing.chunkSize === init.chunkSize) {
      if (existing.url !== init.url) await this.backend.putFile({ ...existing, url: init.url });
      return { ...existing, url: init.url };
    }
    // Unknown, or stored with another chunking: start over rather than guess at offsets.
    if (existing) await this.backend.deleteChunks(init.sha256);
    const t = this.now();
    const file: StoredFile = { ...init, complete: false, createdAt: t, updatedAt: t, lastUsedAt: t };
    await this.backend.putFile(file);
    return file;
  }

  async updateFile(sha256: string, patch: Partial<Omit<StoredFile, 'sha256'>>): Promise<void> {
    const f = await this.backend.getFile(sha256);
    if (f) await this.backend.putFile({ ...f, ...patch });
  }

  chunkIndexes(sha256: string): Promise<number[]> {
    return this.backend.chunkIndexes(sha256);
  }

  getChunk(sha256: string, index: number): Promise<Uint8Array | undefined> {
    return this.backend.getChunk(sha256, index);
  }

  deleteChunks(sha256: string): Promise<void> {
    return this.backend.deleteChunks(sha256);
  }

  /**
   * Stores a chunk; when the browser says storage is full, evicts the least-recently-used asset
   * (never one in use or the file being written) and tries again, one eviction at a time so no
   * more is removed than needed, before giving up with a clear message.
   */
  async putChunk(sha256: string, index: number, data: Uint8Array): Promise<void> {
    let freed = 0;
    for (;;) {
      try {
        await this.backend.putChunk(sha256, index, data);
        return;
      } catch (err) {
        if (!isQuotaError(err)) throw err;
        const more = await this.evictLeastRecentlyUsed(1, { keepFiles: [sha256] });
        if (more > 0) {
          freed += more;
          continue;
        }
        const file = await this.backend.getFile(sha256);
        throw new DeliveryError(
          'quota',
          `Not enough storage on this device for ${file ? formatBytes(file.bytes) : 'this download'}` +
            (freed > 0 ? ` even after removing ${formatBytes(freed)} of older downloads` : '') +
            '. Free some space (or remove catalogues in Settings) and try again.',
          { cause: err },
        );
      }
    }
  }

  /** Reads a complete file back (chunks concatenated). */
  async readFile(sha256: string): Promise<Uint8Array> {
    const file = await this.backend.getFile(sha256);
    if (!file) throw new Error(`No stored file with sha256 ${sha256}.`);
    const out = new Uint8Array(file.bytes);
    const n = Math.max(1, Math.ceil(file.bytes / file.chunkSize));
    for (let i = 0; i < n; i++) {
      const chunk = await this.backend.getChunk(sha256, i);
      if (!chunk) throw new Error(`Stored file ${sha256} is missing chunk ${i}.`);
      out.set(chunk, i * file.chunkSize);
    }
    return out;
  }

  /** Marks a file verified and complete, and refreshes its last use. */
  async completeFile(sha256: string): Promise<void> {
    const t = this.now();
    await this.updateFile(sha256, { complete: true, updatedAt: t, lastUsedAt: t });
  }

  async deleteFile(sha256: string): Promise<void> {
    await this.backend.deleteFile(sha256);
  }

  /** While the returned function is not called, the file is not evicted (a download in progress). */
  holdFile(sha256: string): () => void {
    this.downloading.set(sha256, (this.downloading.get(sha256) ?? 0) + 1);
    return () => {
      const n = (this.downloading.get(sha256) ?? 1) - 1;
      if (n <= 0) this.downloading.delete(sha256);
      else this.downloading.set(sha256, n);
    };
  }

  // ── assets and activation ─────────────────────────────────────────────────────────────────────

  /** Records which files make up a model/pack version (they may still be downloading). */
  async putAsset(kind: AssetKind, id: string, version: string, files: AssetFile[]): Promise<void> {
    const existing = await this.backend.getAsset(kind, id, version);
    const t = this.now();
    const merged = new Map((existing?.files ?? []).map((f) => [f.name, f]));
    for (const f of files) merged.set(f.name, f);
    await this.backend.putAsset({ kind, id, version, files: [...merged.values()], storedAt: existing?.storedAt ?? t, lastUsedAt: t });
  }

  getAsset(kind: AssetKind, id: string, version: string): Promise<StoredAsset | undefined> {
    return this.backend.getAsset(kind, id, version);
  }

  getActive(kind: AssetKind, id: string): Promise<ActiveRecord | undefined> {
    return this.backend.getActive(kind, id);
  }

  /**
   * Makes a version the one to use, in one transaction and only if every file is complete and
   * verified; until then the previous version stays active. Returns the version it replaced.
   */
  async activate(kind: AssetKind, id: string, version: string): Promise<ActiveRecord | undefined> {
    return this.backend.activate(kind, id, version, this.now());
  }

  /** Marks an asset as used now (for LRU) and pins it until the returned function is called. */
  async use(kind: AssetKind, id: string, version: string): Promise<() => void> {
    const k = key(kind, id, version);
    this.pinned.set(k, (this.pinned.get(k) ?? 0) + 1);
    const asset = await this.backend.getAsset(kind, id, version);
    if (asset) await this.backend.putAsset({ ...asset, lastUsedAt: this.now() });
    return () => {
      const n = (this.pinned.get(k) ?? 1) - 1;
      if (n <= 0) this.pinned.delete(k);
      else this.pinned.set(k, n);
    };
  }

  /** Removes an asset and every file no other asset shares. Refuses the active or pinned one. */
  async deleteAsset(kind: AssetKind, id: string, version: string, options: { force?: boolean } = {}): Promise<number> {
    if (!options.force && (await this.isInUse(kind, id, version))) {
      throw new Error(`${kind} ${id} ${version} is in use and cannot be removed now.`);
    }
    const asset = await this.backend.getAsset(kind, id, version);
    if (!asset) return 0;
    await this.backend.deleteAsset(kind, id, version);
    const stillUsed = new Set((await this.backend.listAssets()).flatMap((a) => a.files.map((f) => f.sha256)));
    let freed = 0;
    for (const f of asset.files) {
      if (stillUsed.has(f.sha256)) continue;
      const file = await this.backend.getFile(f.sha256);
      freed += file ? await this.storedBytes(file) : 0;
      await this.backend.deleteFile(f.sha256);
    }
    if (options.force) {
      const active = await this.backend.getActive(kind, id);
      if (active?.version === version) await this.backend.deleteActive(kind, id);
    }
    return freed;
  }

  async isInUse(kind: AssetKind, id: string, version: string): Promise<boolean> {
    if (this.pinned.has(key(kind, id, version))) return true;
    return (await this.backend.getActive(kind, id))?.version === version;
  }

  // ── eviction ──────────────────────────────────────────────────────────────────────────────────

  /**
   * Frees at least `bytesNeeded` (if possible) by removing, least recently used first: abandoned
   * partial downloads and loose files, then assets that are neither active nor pinned. Returns the
   * bytes freed.
   */
  async evictLeastRecentlyUsed(bytesNeeded: number, options: { keepFiles?: string[] } = {}): Promise<number> {
    const keep = new Set([...(options.keepFiles ?? []), ...this.downloading.keys()]);
    const assets = await this.backend.listAssets();
    const active = await this.backend.listActive();
    const protectedAssets = new Set([
      ...active.map((a) => key(a.kind, a.id, a.version)),
      ...this.pinned.keys(),
    ]);
    for (const a of assets) if (protectedAssets.has(key(a.kind, a.id, a.version))) for (const f of a.files) keep.add(f.sha256);
    const referenced = new Set(assets.flatMap((a) => a.files.map((f) => f.sha256)));

    type Candidate = { lastUsedAt: number; what: string; remove: () => Promise<number> };
    const candidates: Candidate[] = [];
    for (const f of await this.backend.listFiles()) {
      if (keep.has(f.sha256) || referenced.has(f.sha256)) continue;
      candidates.push({
        lastUsedAt: f.complete ? f.lastUsedAt : f.updatedAt,
        what: `${f.complete ? 'file' : 'partial download'} ${f.url}`,
        remove: async () => {
          const bytes = await this.storedBytes(f);
          await this.backend.deleteFile(f.sha256);
          return bytes;
        },
      });
    }
    for (const a of assets) {
      if (protectedAssets.has(key(a.kind, a.id, a.version)) || a.files.some((f) => keep.has(f.sha256))) continue;
      candidates.push({
        lastUsedAt: a.lastUsedAt,
        what: `${a.kind} ${a.id} ${a.version}`,
        remove: () => this.deleteAsset(a.kind, a.id, a.version, { force: true }),
      });
    }
    candidates.sort((x, y) => x.lastUsedAt - y.lastUsedAt);
    let freed = 0;
    for (const c of candidates) {
      if (freed >= bytesNeeded) break;
      const bytes = await c.remove();
      freed += bytes;
      this.evictions.push({ what: c.what, bytes });
    }
    return freed;
  }

  private async storedBytes(file: StoredFile): Promise<number> {
    if (file.complete) return file.bytes;
    const n = Math.ceil(file.bytes / file.chunkSize);
    const idx = await this.backend.chunkIndexes(file.sha256);
    return idx.reduce((sum, i) => sum + (i === n - 1 ? file.bytes - i * file.chunkSize : file.chunkSize), 0);
  }

  // ── what the storage panel shows ──────────────────────────────────────────────────────────────

  async summary(): Promise<StorageSummary> {
    const [assets, files, active] = await Promise.all([this.backend.listAssets(), this.backend.listFiles(), this.backend.listActive()]);
    const byHash = new Map(files.map((f) => [f.sha256, f]));
    const referenced = new Set(assets.flatMap((a) => a.files.map((f) => f.sha256)));
    const activeSet = new Set(active.map((a) => key(a.kind, a.id, a.version)));
    const partials: StorageSummary['partials'] = [];
    for (const f of files) {
      if (!f.complete) partials.push({ sha256: f.sha256, url: f.url, bytes: f.bytes, storedBytes: await this.storedBytes(f), updatedAt: f.updatedAt });
    }
    const summary: StorageSummary = {
      backend: this.kind,
      assets: assets.map((a) => ({
        ...a,
        bytes: a.files.reduce((s, f) => s + (byHash.get(f.sha256)?.complete ? f.bytes : 0), 0),
        active: activeSet.has(key(a.kind, a.id, a.version)),
        inUse: this.pinned.has(key(a.kind, a.id, a.version)),
      })),
      partials,
      looseFiles: files.filter((f) => f.complete && !referenced.has(f.sha256)),
      storedBytes: files.reduce((s, f) => s + (f.complete ? f.bytes : 0), 0) + partials.reduce((s, p) => s + p.storedBytes, 0),
    };
    if (this.notice) summary.notice = this.notice;
    return summary;
  }

  /** Whether the person agreed to large downloads while Data Saver is on (asked once, remembered). */
  async largeDownloadsAllowed(): Promise<boolean> {
    return (await this.backend.getPref(LARGE_DOWNLOADS_PREF)) === true;
  }

  async setLargeDownloadsAllowed(allowed: boolean): Promise<void> {
    await this.backend.setPref(LARGE_DOWNLOADS_PREF, allowed);
  }

  /** Removes everything stored by the delivery layer. */
  async clearAll(): Promise<void> {
    await this.backend.clear();
  }

  close(): void {
    this.backend.close();
  }
}

const LARGE_DOWNLOADS_PREF = 'allowLargeDownloadsOnDataSaver';

export const MEMORY_NOTICE =
  'This browser is not letting Drishti keep data on the device (private browsing?). Models and catalogues work for this visit only and will be downloaded again next time.';

export interface OpenStorageOptions {
  dbName?: string;
  /** Give up on IndexedDB if opening takes longer than this (a blocked upgrade, a wedged profile). */
  openTimeoutMs?: number;
}

/** Opens IndexedDB storage, or falls back to memory with a notice when IndexedDB is unavailable. */
export async function openDeliveryStorage(options: OpenStorageOptions = {}): Promise<DeliveryStorage> {
  if (typeof indexedDB === 'undefined') return new DeliveryStorage(new MemoryBackend(), MEMORY_NOTICE);
  try {
    const backend = await withTimeout(openIdbBackend(options.dbName ?? DELIVERY_DB_NAME), options.openTimeoutMs ?? 10_000);
    return new DeliveryStorage(backend);
  } catch {
    return new DeliveryStorage(new MemoryBackend(), MEMORY_NOTICE);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('IndexedDB did not open in time.')), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e)),
    );
  });
}
