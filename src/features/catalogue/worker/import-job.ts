/**
 * The on-device import, worker side: a step takes a few pending photos from IndexedDB, tags and
 * embeds them with the engine, makes a thumbnail, and stores the result — each file committed on
 * its own, so a reload at any moment resumes with the next pending file. Unreadable files are
 * marked failed with the reason and the import goes on.
 */
import { classifyImages, decodeImage, loadedManifest } from '../../engine/worker/engine.ts';
import type { RgbaImage } from '../../../shared/preprocess.ts';
import { CatalogueError, type ImportProgress } from '../shared/catalogue-api.ts';
import { FACETS, type FacetName } from '../shared/catalogue-types.ts';
import { importImageUrl, openCatalogueDb, type ImportFileRecord } from '../shared/import-db.ts';
import { quantizeRows } from '../shared/int8-codec.ts';
import { PACK_FORMAT, PACK_FORMAT_VERSION, emptyItemsFile, type ItemsFile } from '../shared/pack-format.ts';
import type { LoadedPack } from '../shared/pack-reader.ts';

const THUMB_SIDE = 256;
/** Rate of the last step, for the page's ETA. */
const lastRate = new Map<string, number>();

async function thumbnail(blob: Blob, rgba: RgbaImage): Promise<Blob> {
  const scale = Math.min(1, THUMB_SIDE / Math.max(rgba.width, rgba.height));
  const w = Math.max(1, Math.round(rgba.width * scale));
  const h = Math.max(1, Math.round(rgba.height * scale));
  const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image', resizeWidth: w, resizeHeight: h, resizeQuality: 'high' });
  try {
    const canvas = new OffscreenCanvas(w, h);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas in the worker');
    ctx.drawImage(bitmap, 0, 0);
    return await canvas.convertToBlob({ type: 'image/webp', quality: 0.8 });
  } finally {
    bitmap.close();
  }
}

function reasonOf(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.length > 300 ? `${msg.slice(0, 300)}…` : msg;
}

export async function importProgress(catalogueId: string): Promise<ImportProgress> {
  const db = await openCatalogueDb();
  const rec = await db.get('imports', catalogueId);
  if (!rec) throw new CatalogueError('import', `There is no import "${catalogueId}" on this device.`);
  const [done, pending, failedRecs] = await Promise.all([
    db.countFromIndex('files', 'byState', [catalogueId, 'done']),
    db.countFromIndex('files', 'byState', [catalogueId, 'pending']),
    db.getAllFromIndex('files', 'byState', [catalogueId, 'failed']),
  ]);
  return {
    catalogueId,
    total: done + pending + failedRecs.length,
    done,
    pending,
    failed: failedRecs.map((f) => ({ itemId: f.itemId, fileName: f.fileName, reason: f.error ?? 'unreadable' })),
    rate: lastRate.get(catalogueId) ?? 0,
    finished: pending === 0,
  };
}

export async function importStep(catalogueId: string, maxItems: number): Promise<ImportProgress> {
  const manifest = loadedManifest();
  if (!manifest) throw new CatalogueError('no-model', 'Importing photos needs the model: load it first (engine.load).');
  const db = await openCatalogueDb();
  const rec = await db.get('imports', catalogueId);
  if (!rec) throw new CatalogueError('import', `There is no import "${catalogueId}" on this device.`);
  const model = { id: manifest.id, version: manifest.version, embeddingDims: manifest.embedding.dims };
  if (rec.model && (rec.model.id !== model.id || rec.model.version !== model.version)) {
    throw new CatalogueError(
      'import',
      `This import was started with model ${rec.model.id} ${rec.model.version}; the app now runs ${model.id} ${model.version}. Start the import again so every item is embedded by the same model.`,
    );
  }
  if (!rec.model) await db.put('imports', { ...rec, model });
  const t0 = performance.now();
  const batch = await db.getAllFromIndex('files', 'byState', [catalogueId, 'pending'], Math.max(1, Math.min(32, maxItems)));
  const decoded: { file: ImportFileRecord; rgba: RgbaImage; thumb: Blob }[] = [];
  for (const file of batch) {
    try {
      if (!file.blob || file.blob.size === 0) throw new Error('the file is empty');
      const rgba = await decodeImage(file.blob);
      decoded.push({ file, rgba, thumb: await thumbnail(file.blob, rgba) });
    } catch (err) {
      const { blob: _drop, ...rest } = file;
      await db.put('files', { ...rest, state: 'failed', error: `${file.fileName} could not be read as a photo: ${reasonOf(err)}` });
    }
  }
  if (decoded.length > 0) {
    const predictions = await classifyImages(decoded.map((d) => d.rgba));
    const tx = db.transaction('files', 'readwrite');
    decoded.forEach(({ file, thumb }, i) => {
      const p = predictions[i]!;
      const q = quantizeRows(p.embedding, p.embedding.length);
      const tags: Partial<Record<string, string>> = {};
      for (const h of p.heads) if ((FACETS as readonly string[]).includes(h.head) && h.top[0]) tags[h.head] = h.top[0].id;
      const { blob: _drop, ...rest } = file;
      void tx.store.put({ ...rest, state: 'done', tags, codes: q.codes, scale: q.scales[0]!, thumb });
    });
    await tx.done;
  }
  if (batch.length > 0) lastRate.set(catalogueId, batch.length / ((performance.now() - t0) / 1000));
  return importProgress(catalogueId);
}

/** The import's finished items as a LoadedPack (searchable like any pack); null when there is no such import. */
export async function loadImport(catalogueId: string): Promise<LoadedPack | null> {
  const db = await openCatalogueDb();
  const rec = await db.get('imports', catalogueId);
  if (!rec) return null;
  const files = (await db.getAllFromIndex('files', 'byState', [catalogueId, 'done'])).sort((a, b) => a.seq - b.seq);
  const dims = rec.model?.embeddingDims ?? files[0]?.codes?.length ?? 8;
  const valueSets = Object.fromEntries(FACETS.map((f) => [f, new Set<string>()])) as Record<FacetName, Set<string>>;
  const values = (f: ImportFileRecord, facet: FacetName): { value?: string; predicted: boolean } => {
    const feed = f.feed[facet];
    if (feed) return { value: feed, predicted: false };
    const tag = f.tags?.[facet];
    return tag ? { value: tag, predicted: true } : { predicted: false };
  };
  for (const f of files) for (const facet of FACETS) {
    const v = values(f, facet).value;
    if (v) valueSets[facet].add(v);
  }
  const facets = Object.fromEntries(FACETS.map((f) => [f, [...valueSets[f]].sort()])) as Record<FacetName, string[]>;
  const items: ItemsFile = emptyItemsFile();
  const codes = new Int8Array(files.length * dims);
  const scales = new Float32Array(files.length);
  files.forEach((f, r) => {
    items.ids.push(f.itemId);
    items.titles.push(f.title);
    items.prices.push(f.priceInr);
    let mask = 0;
    FACETS.forEach((facet, bit) => {
      const { value, predicted } = values(f, facet);
      items.attributes[facet].push(value ? facets[facet].indexOf(value) : -1);
      if (predicted) mask |= 1 << bit;
    });
    items.predicted.push(mask);
    const url = importImageUrl(catalogueId, f.itemId);
    items.images.push(url);
    items.thumbnails.push(url);
    if (f.codes && f.codes.length === dims) codes.set(f.codes, r * dims);
    scales[r] = f.scale ?? 0;
  });
  const model = rec.model ?? { id: 'none', version: '0', embeddingDims: dims };
  const pricing = items.prices.some((p) => p !== null)
    ? { currency: 'INR' as const, source: 'feed' as const, note: "Prices from the merchant's CSV." }
    : { currency: 'INR' as const, source: 'none' as const, note: 'No prices were imported.' };
  return {
    manifest: {
      format: PACK_FORMAT,
      formatVersion: PACK_FORMAT_VERSION,
      id: catalogueId,
      title: rec.title,
      createdAt: new Date(rec.createdAt).toISOString(),
      model,
      itemCount: files.length,
      pricing,
      facets,
      paths: { image: 'images/{id}', thumbnail: 'thumbs/{id}' },
      files: {
        items: { path: 'items.json.gz', bytes: 0, sha256: '0'.repeat(64) },
        embeddings: { path: 'embeddings.i8', bytes: 0, sha256: '0'.repeat(64) },
      },
    },
    items,
    codes,
    scales,
  };
}
