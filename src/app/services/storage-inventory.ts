/**
 * What Drishti keeps on this phone, grouped the way a shopper thinks about it (models, catalogue
 * packs, history, wishlist and cart, app files), with sizes — and deleting all of it. It reads
 * every IndexedDB database of this origin generically, so data added by any feature is counted.
 */
import { openDB } from 'idb';

export type StoredKind = 'models' | 'packs' | 'history' | 'shop' | 'appFiles' | 'other';

export interface StoredGroup {
  kind: StoredKind;
  bytes: number;
  entries: number;
}

export interface StorageReport {
  groups: StoredGroup[];
  /** From navigator.storage.estimate(), when the browser gives it. */
  usage?: number;
  quota?: number;
}

/** The precache is the app itself (what makes it work offline); deleting data keeps it. */
const APP_CACHE_PREFIX = 'workbox-precache';
/** The language choice survives "delete everything": it is a setting, not data. */
const KEEP_LOCAL_STORAGE = new Set(['drishti.locale']);

/** Approximate bytes of a stored value (structured-clone data). */
export function approximateSize(value: unknown, seen = new Set<object>()): number {
  if (value === null || value === undefined) return 0;
  switch (typeof value) {
    case 'string':
      return value.length * 2;
    case 'number':
      return 8;
    case 'boolean':
      return 4;
    case 'bigint':
      return 8;
    case 'object':
      break;
    default:
      return 0;
  }
  if (typeof Blob !== 'undefined' && value instanceof Blob) return value.size;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (seen.has(value)) return 0;
  seen.add(value);
  let total = 0;
  if (value instanceof Map) {
    for (const [k, v] of value) total += approximateSize(k, seen) + approximateSize(v, seen);
  } else if (Array.isArray(value) || value instanceof Set) {
    for (const v of value) total += approximateSize(v, seen);
  } else {
    for (const [k, v] of Object.entries(value)) total += k.length * 2 + approximateSize(v, seen);
  }
  return total;
}

export function kindOfDatabase(name: string): StoredKind {
  const n = name.toLowerCase();
  if (n.includes('model')) return 'models';
  if (n.includes('catalog') || n.includes('pack') || n.includes('import') || n.includes('thumb')) return 'packs';
  if (n.includes('history') || n.includes('recs') || n.includes('experiment') || n.includes('feedback')) return 'history';
  if (n.includes('shop') || n.includes('cart') || n.includes('wishlist')) return 'shop';
  return 'other';
}

interface DbScan {
  name: string;
  bytes: number;
  entries: number;
  /** Bytes of model/pack assets inside (the delivery database holds both). */
  assets: { models: number; packs: number; modelCount: number; packCount: number };
}

async function scanDatabase(name: string): Promise<DbScan> {
  const scan: DbScan = { name, bytes: 0, entries: 0, assets: { models: 0, packs: 0, modelCount: 0, packCount: 0 } };
  // No version: open as it is, never create or upgrade another feature's schema.
  const db = await openDB(name);
  try {
    for (const storeName of Array.from(db.objectStoreNames)) {
      let cursor = await db.transaction(storeName).store.openCursor();
      while (cursor) {
        scan.entries++;
        scan.bytes += approximateSize(cursor.value);
        if (storeName === 'assets') {
          const asset = cursor.value as { kind?: string; files?: { bytes?: number }[] };
          const bytes = (asset.files ?? []).reduce((s, f) => s + (typeof f.bytes === 'number' ? f.bytes : 0), 0);
          if (asset.kind === 'model') {
            scan.assets.models += bytes;
            scan.assets.modelCount++;
          } else if (asset.kind === 'pack') {
            scan.assets.packs += bytes;
            scan.assets.packCount++;
          }
        }
        cursor = await cursor.continue();
      }
    }
  } finally {
    db.close();
  }
  return scan;
}

async function databaseNames(): Promise<string[]> {
  if (typeof indexedDB === 'undefined' || !indexedDB.databases) return [];
  return (await indexedDB.databases()).map((d) => d.name).filter((n): n is string => !!n);
}

export async function scanStorage(): Promise<StorageReport> {
  const groups = new Map<StoredKind, StoredGroup>();
  const add = (kind: StoredKind, bytes: number, entries: number): void => {
    const g = groups.get(kind) ?? { kind, bytes: 0, entries: 0 };
    g.bytes += bytes;
    g.entries += entries;
    groups.set(kind, g);
  };
  for (const name of await databaseNames()) {
    const scan = await scanDatabase(name);
    const { models, packs, modelCount, packCount } = scan.assets;
    if (modelCount || packCount) {
      // A store of downloaded files: split it into models and packs; the rest is partial downloads and bookkeeping.
      add('models', models, modelCount);
      add('packs', packs, packCount);
      const rest = Math.max(0, scan.bytes - models - packs);
      if (rest > 0) add('other', rest, 0);
    } else if (scan.entries > 0) {
      add(kindOfDatabase(name), scan.bytes, scan.entries);
    }
  }
  if (typeof caches !== 'undefined') {
    for (const cacheName of await caches.keys()) {
      const cache = await caches.open(cacheName);
      const requests = await cache.keys();
      let bytes = 0;
      for (const req of requests) {
        const res = await cache.match(req);
        const len = Number(res?.headers.get('content-length'));
        bytes += Number.isFinite(len) && len > 0 ? len : ((await res?.clone().blob())?.size ?? 0);
      }
      add(cacheName.startsWith(APP_CACHE_PREFIX) ? 'appFiles' : kindOfDatabase(cacheName), bytes, requests.length);
    }
  }
  const report: StorageReport = { groups: Array.from(groups.values()).filter((g) => g.entries > 0 || g.bytes > 0) };
  if (typeof navigator !== 'undefined' && navigator.storage?.estimate) {
    const { usage, quota } = await navigator.storage.estimate();
    if (usage !== undefined) report.usage = usage;
    if (quota !== undefined) report.quota = quota;
  }
  return report;
}

function deleteDatabase(name: string, waitMs: number): Promise<'deleted' | 'blocked'> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(name);
    // 'blocked' means a tab or the worker still has it open: it is deleted as soon as they close.
    const timer = setTimeout(() => resolve('blocked'), waitMs);
    req.onsuccess = () => {
      clearTimeout(timer);
      resolve('deleted');
    };
    req.onerror = () => {
      clearTimeout(timer);
      reject(new Error(`Could not delete ${name}: ${req.error?.message ?? 'unknown error'}`));
    };
  });
}

/**
 * Deletes every database, every runtime cache and the app's localStorage (except the language).
 * Returns 'reload' when some database was still open elsewhere: reloading closes it and lets the
 * pending deletion finish.
 */
export async function deleteAllData(beforeDelete: () => Promise<void> = async () => {}): Promise<'done' | 'reload'> {
  await beforeDelete();
  const results = await Promise.all((await databaseNames()).map((n) => deleteDatabase(n, 1500)));
  if (typeof caches !== 'undefined') {
    for (const name of await caches.keys()) if (!name.startsWith(APP_CACHE_PREFIX)) await caches.delete(name);
  }
  try {
    for (const key of Object.keys(localStorage)) if (!KEEP_LOCAL_STORAGE.has(key)) localStorage.removeItem(key);
    sessionStorage.clear();
  } catch {
    // Storage disabled: nothing was kept there either.
  }
  return results.includes('blocked') ? 'reload' : 'done';
}
