/**
 * The catalogue build behind `npm run catalog:build`: source rows → photos read once → model
 * embeddings and tags in batches → thumbnails → a verified pack written atomically (a temp folder
 * renamed into place). Work in progress lives next to the output (`<out>.work/`), so an
 * interrupted build resumes where it stopped and a larger build reuses a smaller one's items.
 */
import { existsSync, linkSync, copyFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { FACETS, type FacetName, type PricingInfo } from '../../features/catalogue/shared/catalogue-types.ts';
import { buildPackFiles, type PackItemInput } from '../../features/catalogue/shared/pack-writer.ts';
import type { VariantName } from '../../shared/model-manifest.ts';
import { openNodeModel, type NodeModel } from '../model-session.ts';
import { readCatalogueSource, representativeSubset, type BadRow, type SourceRow } from './dataset-reader.ts';
import { DERIVED_PRICE_NOTE, derivedPriceInr } from './demo-prices.ts';
import { prepareImage, sha256, type PreparedImage } from './images.ts';
import { ProgressLog, decodeEmbedding, encodeEmbedding, type DoneItem } from './progress-log.ts';

export interface BuildOptions {
  dataset: string;
  out: string;
  model: string;
  variant: VariantName;
  /** Build at most this many items, chosen to cover every article type. */
  limit?: number;
  batchSize: number;
  threads: number;
  id?: string;
  title?: string;
  /** Derive illustrative prices when the source has none (always on for styles.csv datasets). */
  derivePrices: boolean;
  retryFailed: boolean;
  /**
   * Stop embedding after this many seconds and write a pack of what is done (marked incomplete);
   * a later run resumes the rest. Keeps a first `npm start` within its time budget.
   */
  maxSeconds?: number;
  /** Progress lines go here (a TTY gets one updating line). */
  log: (line: string, transient?: boolean) => void;
}

export interface BuildReport {
  out: string;
  items: number;
  reused: number;
  embedded: number;
  failed: { id: string; reason: string }[];
  badRows: BadRow[];
  withoutImage: number;
  seconds: number;
  /** Images per second over the items embedded in this run. */
  throughput: number;
  packBytes: number;
  bytesPerItem: number;
  /** False when maxSeconds stopped the build before every selected row was tried. */
  complete: boolean;
}

export class BuildError extends Error {
  override name = 'BuildError';
}

/** File name for an item's images: the id itself when it is filesystem- and URL-safe. */
function fileStem(id: string): string {
  return /^[A-Za-z0-9._-]{1,100}$/.test(id) && !id.startsWith('.') ? id : `x${sha256(new TextEncoder().encode(id)).slice(0, 24)}`;
}

function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
}

function topPredictions(p: { heads: { head: string; top: { id: string; score: number }[] }[] }): DoneItem['predicted'] {
  const out: DoneItem['predicted'] = {};
  for (const h of p.heads) {
    if ((FACETS as readonly string[]).includes(h.head) && h.top[0]) out[h.head as FacetName] = [h.top[0].id, Math.round(h.top[0].score * 1000) / 1000];
  }
  return out;
}

async function embedBatch(
  model: NodeModel,
  rows: SourceRow[],
  workDir: string,
  progress: ProgressLog,
  failed: BuildReport['failed'],
): Promise<number> {
  const prepared = await Promise.allSettled(rows.map((r) => prepareImage(r.image)));
  const ok: { row: SourceRow; img: PreparedImage }[] = [];
  prepared.forEach((p, i) => {
    const row = rows[i]!;
    if (p.status === 'fulfilled') ok.push({ row, img: p.value });
    else {
      const reason = `line ${row.line}: ${(p.reason as Error).message}`;
      failed.push({ id: row.id, reason });
      progress.record({ kind: 'failed', id: row.id, reason });
    }
  });
  if (ok.length === 0) return 0;
  let predictions;
  try {
    predictions = await model.predict(ok.map((o) => o.img.pixels));
  } catch (err) {
    // One bad image must not sink its batch: retry one by one to find it.
    if (ok.length === 1) {
      const reason = `line ${ok[0]!.row.line}: the model could not process the image (${(err as Error).message})`;
      failed.push({ id: ok[0]!.row.id, reason });
      progress.record({ kind: 'failed', id: ok[0]!.row.id, reason });
      return 0;
    }
    let n = 0;
    for (const o of ok) n += await embedBatch(model, [o.row], workDir, progress, failed);
    return n;
  }
  ok.forEach(({ row, img }, i) => {
    const stem = fileStem(row.id);
    const thumbPath = `thumbs/${stem}.webp`;
    const imagePath = `images/${stem}.jpg`;
    writeFileAtomic(join(workDir, thumbPath), img.thumb);
    writeFileAtomic(join(workDir, imagePath), img.image);
    const p = predictions[i]!;
    progress.record({
      kind: 'done',
      id: row.id,
      embedding: encodeEmbedding(p.embedding),
      predicted: topPredictions(p),
      thumb: { path: thumbPath, sha256: sha256(img.thumb) },
      image: { path: imagePath, sha256: sha256(img.image) },
    });
  });
  return ok.length;
}

function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

export async function buildCatalogue(opts: BuildOptions): Promise<BuildReport> {
  const t0 = performance.now();
  const out = resolve(opts.out);
  const workDir = `${out}.work`;
  const source = readCatalogueSource(resolve(opts.dataset));
  const rows = opts.limit !== undefined ? representativeSubset(source.rows, opts.limit) : source.rows;
  if (rows.length === 0) {
    throw new BuildError(`${source.description} has no usable rows (${source.bad.length} bad, ${source.withoutImage} without an image).`);
  }
  opts.log(`catalog:build: ${rows.length} items from ${source.description}${source.bad.length ? `, ${source.bad.length} bad rows skipped` : ''}`);
  const model = await openNodeModel(resolve(opts.model), opts.variant, opts.threads);
  const failed: BuildReport['failed'] = [];
  let embedded = 0;
  let embedSeconds = 0;
  try {
    mkdirSync(join(workDir, 'thumbs'), { recursive: true });
    mkdirSync(join(workDir, 'images'), { recursive: true });
    const progress = new ProgressLog(join(workDir, 'progress.jsonl'), {
      modelId: model.manifest.id,
      modelVersion: model.manifest.version,
      variant: opts.variant,
    });
    if (progress.discarded) opts.log(`Earlier progress was made with another model; set aside as ${progress.discarded}.`);
    const todo = rows.filter((r) => !progress.done.has(r.id) && (opts.retryFailed || !progress.failed.has(r.id)));
    const reused = rows.length - todo.length;
    if (reused > 0) opts.log(`Resuming: ${reused} items already done, ${todo.length} to go.`);
    for (const r of rows) {
      const f = progress.failed.get(r.id);
      if (f && !todo.includes(r)) failed.push({ id: r.id, reason: f.reason });
    }
    const tEmbed = performance.now();
    let complete = true;
    for (let i = 0; i < todo.length; i += opts.batchSize) {
      if (opts.maxSeconds !== undefined && (performance.now() - t0) / 1000 > opts.maxSeconds) {
        complete = false;
        opts.log(`Time budget of ${opts.maxSeconds} s reached after ${i} of ${todo.length} images; writing what is done (run again to continue).`);
        break;
      }
      embedded += await embedBatch(model, todo.slice(i, i + opts.batchSize), workDir, progress, failed);
      const done = Math.min(i + opts.batchSize, todo.length);
      const secs = (performance.now() - tEmbed) / 1000;
      const rate = done / Math.max(secs, 1e-3);
      const eta = (todo.length - done) / Math.max(rate, 1e-3);
      opts.log(
        `[${String(Math.round((100 * done) / todo.length)).padStart(3)}%] ${done}/${todo.length} images, ${rate.toFixed(1)} img/s, ETA ${Math.ceil(eta)} s, ${failed.length} unreadable`,
        true,
      );
    }
    embedSeconds = (performance.now() - tEmbed) / 1000;

    // Assemble the pack in a temp folder, then move it into place.
    const derived = source.kind === 'styles' || (opts.derivePrices && !source.hasPrices);
    const pricing: PricingInfo = derived
      ? { currency: 'INR', source: 'derived', note: DERIVED_PRICE_NOTE }
      : source.hasPrices
        ? { currency: 'INR', source: 'feed', note: 'Prices from the merchant feed.' }
        : { currency: 'INR', source: 'none', note: 'The feed has no prices.' };
    const items: PackItemInput[] = [];
    const shaLines: string[] = [];
    for (const r of rows) {
      const d = progress.done.get(r.id);
      if (!d) continue;
      const attributes = { ...r.attributes };
      const predicted: FacetName[] = [];
      for (const f of FACETS) {
        const p = d.predicted[f];
        if (!attributes[f] && p) {
          attributes[f] = p[0];
          predicted.push(f);
        }
      }
      const stem = fileStem(r.id);
      const safe = stem === r.id;
      items.push({
        id: r.id,
        title: r.title,
        attributes,
        predicted,
        priceInr: r.priceInr ?? (derived ? derivedPriceInr(attributes.articleType, r.id) : null),
        image: safe ? null : d.image.path,
        thumbnail: safe ? null : d.thumb.path,
        embedding: decodeEmbedding(d.embedding),
      });
      shaLines.push(`${d.thumb.sha256}  ${d.thumb.path}`, `${d.image.sha256}  ${d.image.path}`);
    }
    if (items.length === 0) throw new BuildError(`No item could be embedded (${failed.length} unreadable images); nothing was written.`);
    const { files } = await buildPackFiles({
      id: opts.id ?? (basename(out).replace(/[^A-Za-z0-9._-]/g, '-') || 'catalogue'),
      title: opts.title ?? `Catalogue from ${basename(resolve(opts.dataset))}`,
      model: { id: model.manifest.id, version: model.manifest.version, embeddingDims: model.manifest.embedding.dims },
      pricing,
      paths: { image: 'images/{id}.jpg', thumbnail: 'thumbs/{id}.webp' },
      items,
      thumbnailsSha256: shaLines.join('\n') + '\n',
      build: {
        tool: 'npm run catalog:build',
        source: basename(resolve(opts.dataset)),
        sourceKind: source.kind,
        modelVariant: opts.variant,
        rowsSelected: rows.length,
        badRows: source.bad.length,
        unreadableImages: failed.length,
        complete: complete ? 1 : 0,
        ...(opts.limit !== undefined ? { subsetLimit: opts.limit } : {}),
      },
    });
    const tmp = join(dirname(out), `.${basename(out)}.tmp-${process.pid}`);
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(join(tmp, 'thumbs'), { recursive: true });
    mkdirSync(join(tmp, 'images'), { recursive: true });
    let packBytes = 0;
    for (const [name, bytes] of files) {
      writeFileSync(join(tmp, name), bytes);
      if (name !== 'thumbnails.sha256') packBytes += bytes.byteLength;
    }
    for (const it of items) {
      const d = progress.done.get(it.id)!;
      linkOrCopy(join(workDir, d.thumb.path), join(tmp, d.thumb.path));
      linkOrCopy(join(workDir, d.image.path), join(tmp, d.image.path));
    }
    const old = join(dirname(out), `.${basename(out)}.old-${process.pid}`);
    if (existsSync(out)) renameSync(out, old);
    renameSync(tmp, out);
    rmSync(old, { recursive: true, force: true });
    return {
      out,
      items: items.length,
      reused,
      embedded,
      failed,
      badRows: source.bad,
      withoutImage: source.withoutImage,
      seconds: (performance.now() - t0) / 1000,
      throughput: embedded / Math.max(embedSeconds, 1e-3),
      packBytes,
      bytesPerItem: packBytes / items.length,
      complete,
    };
  } finally {
    await model.dispose();
  }
}
