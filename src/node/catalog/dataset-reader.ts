/**
 * Reads a catalogue source for catalog:build: either the Myntra-style dataset folder
 * (styles.csv + images/<id>.jpg) or a generic CSV (id, title, image path or URL, optional
 * attributes and price). Rows are untrusted: bad ones are reported with their line and skipped.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Papa from 'papaparse';
import { FACETS, type FacetName } from '../../features/catalogue/shared/catalogue-types.ts';
import { PACK_LIMITS } from '../../features/catalogue/shared/pack-format.ts';

export interface SourceRow {
  /** 1-based line in the CSV (for messages). */
  line: number;
  id: string;
  title: string;
  /** Absolute file path or http(s) URL. */
  image: string;
  attributes: Partial<Record<FacetName, string>>;
  priceInr: number | null;
}

export interface BadRow {
  line: number;
  reason: string;
}

export interface SourceRead {
  kind: 'styles' | 'csv';
  rows: SourceRow[];
  bad: BadRow[];
  /** Rows skipped for a harmless reason (e.g. styles.csv rows that have no photo). */
  withoutImage: number;
  hasPrices: boolean;
  description: string;
}

export class DatasetError extends Error {
  override name = 'DatasetError';
}

/** Trims and collapses spaces; empty, "NA" and "null" mean unknown. */
function clean(v: string | undefined, max: number): string | undefined {
  const s = (v ?? '').replace(/\s+/g, ' ').trim();
  if (!s || /^(na|n\/a|null|none|-)$/i.test(s)) return undefined;
  return s.slice(0, max);
}

function parseCsv(path: string): string[][] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new DatasetError(`Cannot read ${path}: ${(err as Error).message}`);
  }
  const result = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { header: false, skipEmptyLines: 'greedy' });
  return result.data;
}

const ID_RE = new RegExp(`^[^\\u0000-\\u001f]{1,${PACK_LIMITS.maxIdLength}}$`);

function readStyles(dir: string): SourceRead {
  const table = parseCsv(join(dir, 'styles.csv'));
  const header = (table[0] ?? []).map((h) => h.trim());
  const col = (name: string): number => header.indexOf(name);
  const need = ['id', 'gender', 'articleType', 'baseColour', 'season', 'usage', 'productDisplayName'];
  const missing = need.filter((n) => col(n) < 0);
  if (missing.length > 0) throw new DatasetError(`${join(dir, 'styles.csv')} lacks the column(s) ${missing.join(', ')}.`);
  const nameCol = col('productDisplayName');
  const rows: SourceRow[] = [];
  const bad: BadRow[] = [];
  let withoutImage = 0;
  const seen = new Set<string>();
  for (let i = 1; i < table.length; i++) {
    let cells = table[i]!;
    const line = i + 1;
    // A few names contain unquoted commas: fold the extra cells back into the name.
    if (cells.length > header.length && nameCol === header.length - 2) {
      const extra = cells.length - header.length;
      cells = [...cells.slice(0, nameCol), cells.slice(nameCol, nameCol + extra + 1).join(','), ...cells.slice(nameCol + extra + 1)];
    }
    if (cells.length < header.length - 1) {
      bad.push({ line, reason: `has ${cells.length} fields, expected ${header.length}` });
      continue;
    }
    const id = clean(cells[col('id')], PACK_LIMITS.maxIdLength);
    if (!id || !/^\d+$/.test(id)) {
      bad.push({ line, reason: `id "${cells[col('id')] ?? ''}" is not a product number` });
      continue;
    }
    if (seen.has(id)) {
      bad.push({ line, reason: `id ${id} appears twice` });
      continue;
    }
    seen.add(id);
    const image = join(dir, 'images', `${id}.jpg`);
    if (!existsSync(image)) {
      withoutImage++;
      continue;
    }
    const attributes: Partial<Record<FacetName, string>> = {};
    const set = (f: FacetName, c: string): void => {
      const v = clean(cells[col(c)], PACK_LIMITS.maxFacetValueLength);
      if (v) attributes[f] = v;
    };
    set('gender', 'gender');
    set('articleType', 'articleType');
    set('usage', 'usage');
    set('colour', 'baseColour');
    set('season', 'season');
    const title = clean(cells[nameCol], PACK_LIMITS.maxTitleLength) ?? [attributes.colour, attributes.articleType].filter(Boolean).join(' ');
    rows.push({ line, id, title, image, attributes, priceInr: null });
  }
  return { kind: 'styles', rows, bad, withoutImage, hasPrices: false, description: `${dir} (styles.csv + images/)` };
}

const ALIASES: Record<string, string[]> = {
  id: ['id', 'sku', 'product_id', 'productid'],
  title: ['title', 'name', 'productdisplayname', 'product_name'],
  image: ['image', 'image_path', 'image_url', 'imageurl', 'imagepath', 'photo'],
  price: ['price', 'price_inr', 'priceinr', 'mrp'],
  gender: ['gender'],
  articleType: ['articletype', 'article_type', 'type', 'category'],
  usage: ['usage', 'occasion'],
  colour: ['colour', 'color', 'basecolour', 'basecolor'],
  season: ['season'],
};

function readGenericCsv(file: string): SourceRead {
  const table = parseCsv(file);
  const header = (table[0] ?? []).map((h) => h.trim().toLowerCase());
  const col = (key: string): number => header.findIndex((h) => ALIASES[key]!.includes(h));
  for (const key of ['id', 'title', 'image']) {
    if (col(key) < 0) throw new DatasetError(`${file} needs a header row with columns id, title and image (path or URL); found: ${header.join(', ') || 'nothing'}.`);
  }
  const base = dirname(file);
  const priceCol = col('price');
  const rows: SourceRow[] = [];
  const bad: BadRow[] = [];
  const seen = new Set<string>();
  for (let i = 1; i < table.length; i++) {
    const cells = table[i]!;
    const line = i + 1;
    const id = (cells[col('id')] ?? '').trim();
    if (!ID_RE.test(id)) {
      bad.push({ line, reason: id ? `id is longer than ${PACK_LIMITS.maxIdLength} characters or has control characters` : 'has no id' });
      continue;
    }
    if (seen.has(id)) {
      bad.push({ line, reason: `id ${id} appears twice` });
      continue;
    }
    const title = clean(cells[col('title')], PACK_LIMITS.maxTitleLength);
    if (!title) {
      bad.push({ line, reason: `item ${id} has no title` });
      continue;
    }
    const rawImage = (cells[col('image')] ?? '').trim();
    let image: string;
    if (/^https?:\/\//i.test(rawImage)) image = rawImage;
    else if (rawImage && !/^[a-z][a-z0-9+.-]*:/i.test(rawImage)) image = resolve(base, rawImage);
    else {
      bad.push({ line, reason: rawImage ? `item ${id}: image "${rawImage.slice(0, 60)}" is neither a file path nor an http(s) URL` : `item ${id} has no image` });
      continue;
    }
    let priceInr: number | null = null;
    if (priceCol >= 0) {
      const raw = (cells[priceCol] ?? '').replace(/[₹,\s]|^rs\.?/gi, '');
      if (raw) {
        const p = Number(raw);
        if (!Number.isFinite(p) || p < 0 || p > PACK_LIMITS.maxPriceInr) {
          bad.push({ line, reason: `item ${id}: price "${cells[priceCol]}" is not a number of rupees` });
          continue;
        }
        priceInr = Math.round(p);
      }
    }
    const attributes: Partial<Record<FacetName, string>> = {};
    for (const f of FACETS) {
      const c = col(f);
      const v = c >= 0 ? clean(cells[c], PACK_LIMITS.maxFacetValueLength) : undefined;
      if (v) attributes[f] = v;
    }
    seen.add(id);
    rows.push({ line, id, title, image, attributes, priceInr });
  }
  return { kind: 'csv', rows, bad, withoutImage: 0, hasPrices: priceCol >= 0, description: file };
}

/** `source` is a dataset folder with styles.csv, a folder with one *.csv, or a CSV file. */
export function readCatalogueSource(source: string): SourceRead {
  if (!existsSync(source)) throw new DatasetError(`The dataset ${source} does not exist.`);
  if (statSync(source).isFile()) return readGenericCsv(source);
  if (existsSync(join(source, 'styles.csv')) && existsSync(join(source, 'images'))) return readStyles(source);
  if (existsSync(join(source, 'catalogue.csv'))) return readGenericCsv(join(source, 'catalogue.csv'));
  throw new DatasetError(`${source} has neither styles.csv + images/ nor catalogue.csv; pass a CSV file with columns id, title, image.`);
}

/**
 * A representative subset: round-robin over article types (largest first), so a few hundred items
 * still cover every common type instead of being all T-shirts. Deterministic.
 */
export function representativeSubset(rows: SourceRow[], limit: number): SourceRow[] {
  if (limit >= rows.length) return rows;
  const groups = new Map<string, SourceRow[]>();
  for (const r of rows) {
    const k = r.attributes.articleType ?? '';
    const g = groups.get(k) ?? [];
    g.push(r);
    groups.set(k, g);
  }
  const ordered = [...groups.values()].sort((a, b) => b.length - a.length);
  const out: SourceRow[] = [];
  for (let i = 0; out.length < limit; i++) {
    let added = false;
    for (const g of ordered) {
      if (i < g.length && out.length < limit) {
        out.push(g[i]!);
        added = true;
      }
    }
    if (!added) break;
  }
  return out;
}
