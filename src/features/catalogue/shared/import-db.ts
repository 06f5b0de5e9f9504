/**
 * IndexedDB for on-device catalogue imports and for custom categories taught on any catalogue.
 * The page writes dropped photos here first (so a reload mid-import loses nothing); the worker
 * processes pending files step by step and keeps, per item, its tags, int8 embedding and a
 * thumbnail, then drops the original photo to save the phone's storage.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export const IMPORT_DB_NAME = 'drishti-catalogue';

export interface ImportRecord {
  id: string;
  title: string;
  createdAt: number;
  /** Set when the first item is embedded; a later model change makes the import stale. */
  model?: { id: string; version: string; embeddingDims: number };
  total: number;
}

export interface ImportFileRecord {
  catalogueId: string;
  itemId: string;
  /** Order the merchant dropped files in. */
  seq: number;
  fileName: string;
  state: 'pending' | 'done' | 'failed';
  /** The original photo, kept only until processed. */
  blob?: Blob;
  title: string;
  priceInr: number | null;
  /** Feed attributes from the optional CSV (facet → value). */
  feed: Partial<Record<string, string>>;
  /** Model tags (facet → top label id). */
  tags?: Partial<Record<string, string>>;
  codes?: Int8Array;
  scale?: number;
  thumb?: Blob;
  error?: string;
}

export interface StoredCategories {
  catalogueId: string;
  modelId: string;
  modelVersion: string;
  categories: { name: string; centroid: number[]; examples: string[] }[];
}

interface CatalogueDb extends DBSchema {
  imports: { key: string; value: ImportRecord };
  files: {
    key: [string, string];
    value: ImportFileRecord;
    indexes: { byCatalogue: string; byState: [string, string] };
  };
  categories: { key: string; value: StoredCategories };
}

let dbPromise: Promise<IDBPDatabase<CatalogueDb>> | null = null;

export function openCatalogueDb(): Promise<IDBPDatabase<CatalogueDb>> {
  dbPromise ??= openDB<CatalogueDb>(IMPORT_DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore('imports', { keyPath: 'id' });
      const files = db.createObjectStore('files', { keyPath: ['catalogueId', 'itemId'] });
      files.createIndex('byCatalogue', 'catalogueId');
      files.createIndex('byState', ['catalogueId', 'state']);
      db.createObjectStore('categories', { keyPath: 'catalogueId' });
    },
  }).catch((err: unknown) => {
    dbPromise = null;
    throw err;
  });
  return dbPromise;
}

/** URL scheme for imported items' images; client/local-images.ts turns it into an object URL. */
export const IMPORT_URL_SCHEME = 'drishti-import:';

export function importImageUrl(catalogueId: string, itemId: string): string {
  return `${IMPORT_URL_SCHEME}//${encodeURIComponent(catalogueId)}/${encodeURIComponent(itemId)}`;
}

export function parseImportImageUrl(url: string): { catalogueId: string; itemId: string } | null {
  const m = /^drishti-import:\/\/([^/]+)\/([^/]+)$/.exec(url);
  return m ? { catalogueId: decodeURIComponent(m[1]!), itemId: decodeURIComponent(m[2]!) } : null;
}
