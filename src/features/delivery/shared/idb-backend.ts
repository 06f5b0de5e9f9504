/** The IndexedDB backend, through idb with a typed schema. */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import {
  IncompleteAssetError,
  type ActiveRecord,
  type AssetKind,
  type DeliveryBackend,
  type StoredAsset,
  type StoredFile,
} from './storage-types.ts';

export const DELIVERY_DB_NAME = 'drishti-delivery';
const DB_VERSION = 2;

interface ChunkRecord {
  sha256: string;
  index: number;
  data: Uint8Array;
}

export interface DeliveryDB extends DBSchema {
  files: { key: string; value: StoredFile };
  chunks: { key: [string, number]; value: ChunkRecord };
  assets: { key: [AssetKind, string, string]; value: StoredAsset };
  active: { key: [AssetKind, string]; value: ActiveRecord };
  prefs: { key: string; value: { key: string; value: unknown } };
}

const chunkRangeOf = (sha256: string): IDBKeyRange => IDBKeyRange.bound([sha256, 0], [sha256, Number.MAX_SAFE_INTEGER]);

export async function openIdbBackend(name = DELIVERY_DB_NAME): Promise<DeliveryBackend> {
  const db = await openDB<DeliveryDB>(name, DB_VERSION, {
    upgrade(database, oldVersion) {
      if (oldVersion < 1) {
        database.createObjectStore('files', { keyPath: 'sha256' });
        database.createObjectStore('chunks', { keyPath: ['sha256', 'index'] });
        database.createObjectStore('assets', { keyPath: ['kind', 'id', 'version'] });
        database.createObjectStore('active', { keyPath: ['kind', 'id'] });
      }
      if (oldVersion < 2) database.createObjectStore('prefs', { keyPath: 'key' });
    },
    blocking() {
      // A newer tab wants to upgrade the schema: step aside rather than block it.
      db.close();
    },
  });
  return new IdbBackend(db);
}

class IdbBackend implements DeliveryBackend {
  readonly kind = 'indexeddb' as const;
  constructor(private readonly db: IDBPDatabase<DeliveryDB>) {}

  getFile(sha256: string) {
    return this.db.get('files', sha256);
  }
  async putFile(file: StoredFile) {
    await this.db.put('files', file);
  }
  listFiles() {
    return this.db.getAll('files');
  }
  async deleteFile(sha256: string) {
    const tx = this.db.transaction(['files', 'chunks'], 'readwrite');
    await Promise.all([tx.objectStore('chunks').delete(chunkRangeOf(sha256)), tx.objectStore('files').delete(sha256), tx.done]);
  }
  async getChunk(sha256: string, index: number) {
    return (await this.db.get('chunks', [sha256, index]))?.data;
  }
  async putChunk(sha256: string, index: number, data: Uint8Array) {
    const tx = this.db.transaction(['files', 'chunks'], 'readwrite');
    const files = tx.objectStore('files');
    const file = await files.get(sha256);
    // Copy into a tight buffer so a view over a larger buffer does not store the whole buffer.
    const copy = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
    await tx.objectStore('chunks').put({ sha256, index, data: copy });
    if (file) await files.put({ ...file, updatedAt: Date.now() });
    await tx.done;
  }
  async chunkIndexes(sha256: string) {
    const keys = await this.db.getAllKeys('chunks', chunkRangeOf(sha256));
    return keys.map((k) => k[1]);
  }
  async deleteChunks(sha256: string) {
    await this.db.delete('chunks', chunkRangeOf(sha256));
  }
  getAsset(kind: AssetKind, id: string, version: string) {
    return this.db.get('assets', [kind, id, version]);
  }
  async putAsset(asset: StoredAsset) {
    await this.db.put('assets', asset);
  }
  listAssets() {
    return this.db.getAll('assets');
  }
  async deleteAsset(kind: AssetKind, id: string, version: string) {
    await this.db.delete('assets', [kind, id, version]);
  }
  getActive(kind: AssetKind, id: string) {
    return this.db.get('active', [kind, id]);
  }
  listActive() {
    return this.db.getAll('active');
  }
  async deleteActive(kind: AssetKind, id: string) {
    await this.db.delete('active', [kind, id]);
  }
  async activate(kind: AssetKind, id: string, version: string, now: number) {
    const tx = this.db.transaction(['assets', 'files', 'active'], 'readwrite');
    const asset = await tx.objectStore('assets').get([kind, id, version]);
    const files = asset ? await Promise.all(asset.files.map((f) => tx.objectStore('files').get(f.sha256))) : [];
    if (!asset || files.some((f) => !f?.complete)) {
      tx.abort();
      await tx.done.catch(() => undefined);
      throw new IncompleteAssetError(`${kind} ${id} ${version} cannot be activated: it is not completely downloaded and verified.`);
    }
    const active = tx.objectStore('active');
    const previous = await active.get([kind, id]);
    await active.put({ kind, id, version, activatedAt: now });
    await tx.done;
    return previous;
  }
  async getPref(key: string) {
    return (await this.db.get('prefs', key))?.value;
  }
  async setPref(key: string, value: unknown) {
    await this.db.put('prefs', { key, value });
  }
  async clear() {
    // Downloads only: the person's choices (prefs) survive "delete everything downloaded".
    const tx = this.db.transaction(['files', 'chunks', 'assets', 'active'], 'readwrite');
    await Promise.all([...tx.objectStoreNames].map((n) => tx.objectStore(n).clear()));
    await tx.done;
  }
  close() {
    this.db.close();
  }
}
