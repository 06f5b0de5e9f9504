/** The in-memory backend, used when IndexedDB is unavailable (some private modes) — nothing survives a reload. */
import {
  IncompleteAssetError,
  type ActiveRecord,
  type AssetKind,
  type DeliveryBackend,
  type StoredAsset,
  type StoredFile,
} from './storage-types.ts';

const assetKey = (kind: AssetKind, id: string, version: string): string => JSON.stringify([kind, id, version]);
const activeKey = (kind: AssetKind, id: string): string => JSON.stringify([kind, id]);

export class MemoryBackend implements DeliveryBackend {
  readonly kind = 'memory' as const;
  private files = new Map<string, StoredFile>();
  private chunks = new Map<string, Map<number, Uint8Array>>();
  private assets = new Map<string, StoredAsset>();
  private active = new Map<string, ActiveRecord>();
  private prefs = new Map<string, unknown>();

  async getFile(sha256: string) {
    const f = this.files.get(sha256);
    return f && { ...f };
  }
  async putFile(file: StoredFile) {
    this.files.set(file.sha256, { ...file });
  }
  async listFiles() {
    return [...this.files.values()].map((f) => ({ ...f }));
  }
  async deleteFile(sha256: string) {
    this.files.delete(sha256);
    this.chunks.delete(sha256);
  }
  async getChunk(sha256: string, index: number) {
    return this.chunks.get(sha256)?.get(index);
  }
  async putChunk(sha256: string, index: number, data: Uint8Array) {
    let m = this.chunks.get(sha256);
    if (!m) this.chunks.set(sha256, (m = new Map()));
    m.set(index, data.slice());
    const f = this.files.get(sha256);
    if (f) f.updatedAt = Date.now();
  }
  async chunkIndexes(sha256: string) {
    return [...(this.chunks.get(sha256)?.keys() ?? [])].sort((a, b) => a - b);
  }
  async deleteChunks(sha256: string) {
    this.chunks.delete(sha256);
  }
  async getAsset(kind: AssetKind, id: string, version: string) {
    const a = this.assets.get(assetKey(kind, id, version));
    return a && structuredClone(a);
  }
  async putAsset(asset: StoredAsset) {
    this.assets.set(assetKey(asset.kind, asset.id, asset.version), structuredClone(asset));
  }
  async listAssets() {
    return [...this.assets.values()].map((a) => structuredClone(a));
  }
  async deleteAsset(kind: AssetKind, id: string, version: string) {
    this.assets.delete(assetKey(kind, id, version));
  }
  async getActive(kind: AssetKind, id: string) {
    const a = this.active.get(activeKey(kind, id));
    return a && { ...a };
  }
  async listActive() {
    return [...this.active.values()].map((a) => ({ ...a }));
  }
  async deleteActive(kind: AssetKind, id: string) {
    this.active.delete(activeKey(kind, id));
  }
  async activate(kind: AssetKind, id: string, version: string, now: number) {
    const asset = this.assets.get(assetKey(kind, id, version));
    if (!asset || asset.files.some((f) => !this.files.get(f.sha256)?.complete)) {
      throw new IncompleteAssetError(`${kind} ${id} ${version} cannot be activated: it is not completely downloaded and verified.`);
    }
    const previous = this.active.get(activeKey(kind, id));
    this.active.set(activeKey(kind, id), { kind, id, version, activatedAt: now });
    return previous && { ...previous };
  }
  async getPref(key: string) {
    return this.prefs.get(key);
  }
  async setPref(key: string, value: unknown) {
    this.prefs.set(key, value);
  }
  async clear() {
    this.files.clear();
    this.chunks.clear();
    this.assets.clear();
    this.active.clear();
  }
  close() {}
}
