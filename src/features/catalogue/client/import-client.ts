/**
 * The on-device import, page side: the merchant's dropped photos (and optional CSV) are written to
 * IndexedDB at once, then the worker processes them step by step. Because the files are stored
 * first, a reload mid-import resumes from the next pending file (`pendingImports` + `driveImport`).
 */
import Papa from 'papaparse';
import { CatalogueError, type ImportProgress } from '../shared/catalogue-api.ts';
import { FACETS } from '../shared/catalogue-types.ts';
import { openCatalogueDb, type ImportFileRecord, type ImportRecord } from '../shared/import-db.ts';
import { PACK_LIMITS } from '../shared/pack-format.ts';
import type { CatalogueClient } from './catalogue-client.ts';

const IMAGE_NAME = /\.(jpe?g|png|webp|gif|avif|bmp|heic|heif)$/i;

interface CsvRow {
  title?: string;
  priceInr?: number | null;
  id?: string;
  attributes: Partial<Record<string, string>>;
}

/** Reads the optional CSV: rows keyed by image file name (column image/file/filename). */
async function readCsv(file: File): Promise<Map<string, CsvRow>> {
  const text = await file.text();
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy', transformHeader: (h) => h.trim().toLowerCase() });
  const rows = new Map<string, CsvRow>();
  for (const r of parsed.data) {
    const name = (r.image ?? r.file ?? r.filename ?? r.image_path ?? '').split(/[\\/]/).pop()?.trim();
    if (!name) continue;
    const price = Number((r.price ?? r.price_inr ?? '').replace(/[₹,\s]/g, ''));
    const attributes: Partial<Record<string, string>> = {};
    for (const f of FACETS) {
      const v = (r[f.toLowerCase()] ?? (f === 'colour' ? r.color : undefined))?.trim();
      if (v) attributes[f] = v.slice(0, PACK_LIMITS.maxFacetValueLength);
    }
    const row: CsvRow = {
      priceInr: Number.isFinite(price) && price > 0 && price <= PACK_LIMITS.maxPriceInr ? Math.round(price) : null,
      attributes,
    };
    const title = (r.title ?? r.name)?.trim();
    if (title) row.title = title.slice(0, PACK_LIMITS.maxTitleLength);
    const id = r.id?.trim();
    if (id) row.id = id.slice(0, PACK_LIMITS.maxIdLength);
    rows.set(name.toLowerCase(), row);
  }
  return rows;
}

function titleFromName(name: string): string {
  return name.replace(/\.[^.]+$/, '').replace(/[_-]+/g, ' ').trim() || name;
}

export interface CreatedImport {
  catalogueId: string;
  files: number;
  /** Files left out because they are not photos by name (e.g. .txt, .DS_Store). */
  ignored: string[];
}

/**
 * Stores an import: every photo-like file (unreadable ones are reported later by the worker, not
 * dropped here), titles/prices/attributes from the CSV when it names the file.
 */
export async function createImport(files: File[], title: string): Promise<CreatedImport> {
  const csv = files.find((f) => /\.csv$/i.test(f.name));
  const rows = csv ? await readCsv(csv) : new Map<string, CsvRow>();
  const photos = files.filter((f) => f !== csv && !f.name.startsWith('.') && (IMAGE_NAME.test(f.name) || f.type.startsWith('image/')));
  const ignored = files.filter((f) => f !== csv && !photos.includes(f)).map((f) => f.name);
  if (photos.length === 0) throw new CatalogueError('import', 'No photos found: drop a folder or files of JPEG, PNG or WebP images (plus an optional CSV).');
  const catalogueId = `import-${Date.now().toString(36)}`;
  const record: ImportRecord = { id: catalogueId, title: title.trim() || 'My catalogue', createdAt: Date.now(), total: photos.length };
  const used = new Set<string>();
  const db = await openCatalogueDb();
  const tx = db.transaction(['imports', 'files'], 'readwrite');
  void tx.objectStore('imports').put(record);
  photos.forEach((file, seq) => {
    const row = rows.get(file.name.toLowerCase());
    let itemId = row?.id ?? file.name.replace(/\.[^.]+$/, '').slice(0, PACK_LIMITS.maxIdLength);
    while (used.has(itemId)) itemId = `${itemId}-${seq}`;
    used.add(itemId);
    const rec: ImportFileRecord = {
      catalogueId,
      itemId,
      seq,
      fileName: file.webkitRelativePath || file.name,
      state: 'pending',
      blob: file,
      title: row?.title ?? titleFromName(file.name),
      priceInr: row?.priceInr ?? null,
      feed: row?.attributes ?? {},
    };
    void tx.objectStore('files').put(rec);
  });
  await tx.done;
  return { catalogueId, files: photos.length, ignored };
}

/** Imports on this device, newest first, with how many files are still pending. */
export async function listImports(): Promise<(ImportRecord & { pending: number; done: number })[]> {
  const db = await openCatalogueDb();
  const all = await db.getAll('imports');
  const out = await Promise.all(
    all.map(async (r) => ({
      ...r,
      pending: await db.countFromIndex('files', 'byState', [r.id, 'pending']),
      done: await db.countFromIndex('files', 'byState', [r.id, 'done']),
    })),
  );
  return out.sort((a, b) => b.createdAt - a.createdAt);
}

export async function deleteImport(catalogueId: string): Promise<void> {
  const db = await openCatalogueDb();
  const tx = db.transaction(['imports', 'files', 'categories'], 'readwrite');
  const keys = await tx.objectStore('files').index('byCatalogue').getAllKeys(catalogueId);
  for (const k of keys) void tx.objectStore('files').delete(k);
  void tx.objectStore('imports').delete(catalogueId);
  void tx.objectStore('categories').delete(catalogueId);
  await tx.done;
}

/**
 * Runs the import to the end in small worker steps (searches can run between them), reporting
 * progress; the finished items are reopened for search every few steps and at the end.
 */
export async function driveImport(
  client: CatalogueClient,
  catalogueId: string,
  onProgress: (p: ImportProgress) => void,
  signal?: AbortSignal,
): Promise<ImportProgress> {
  let steps = 0;
  for (;;) {
    if (signal?.aborted) throw new DOMException('The import was paused.', 'AbortError');
    const p = await client.importStep(catalogueId, 4, signal ? { signal } : {});
    onProgress(p);
    steps++;
    if (p.finished || steps % 10 === 0) await client.openImport(catalogueId);
    if (p.finished) return p;
  }
}
