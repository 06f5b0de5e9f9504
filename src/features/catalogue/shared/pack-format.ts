/**
 * The catalogue pack format, version 1 (specified in docs/catalogue-pack.md). A pack is a folder:
 *
 *   pack.json          the manifest below (sizes and sha256 of every other file)
 *   items.json.gz      gzip'd columnar JSON: ids, titles, prices, facet value indices, image paths
 *   embeddings.i8      binary: header, one float32 scale per row, rows × dims int8 codes
 *   thumbnails.sha256  optional: "sha256  path" per thumbnail/image file (sha256sum format)
 *   categories.json    optional: the merchant's custom categories (class means)
 *
 * Everything read from a pack is untrusted: these parsers check types, sizes, ranges and
 * cross-file consistency and throw PackError with a message that names the file and the fault.
 */
import { FACETS, type FacetName, type PricingInfo } from './catalogue-types.ts';

export const PACK_FORMAT = 'drishti-catalogue-pack';
export const PACK_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'pack.json';

/** Limits a pack must respect; a phone must never be asked to hold more than this. */
export const PACK_LIMITS = {
  maxItems: 200_000,
  maxManifestBytes: 1 << 20,
  /** Compressed and uncompressed size of items.json.gz. */
  maxItemsFileBytes: 64 << 20,
  maxItemsJsonBytes: 256 << 20,
  minDims: 8,
  maxDims: 2048,
  maxIdLength: 128,
  maxTitleLength: 400,
  maxUrlLength: 2048,
  maxFacetValues: 5_000,
  maxFacetValueLength: 80,
  maxPriceInr: 10_000_000,
  maxCategories: 200,
} as const;

export class PackError extends Error {
  override name = 'PackError';
}

export interface PackFileEntry {
  /** Path relative to pack.json: a plain file name, no folders above the pack. */
  path: string;
  bytes: number;
  /** Lower-case hex sha256 of the file as stored (compressed files: of the compressed bytes). */
  sha256: string;
}

export interface PackManifest {
  format: typeof PACK_FORMAT;
  formatVersion: typeof PACK_FORMAT_VERSION;
  id: string;
  title: string;
  createdAt: string;
  /** The model whose embeddings the pack holds; a pack is only searchable with that model. */
  model: { id: string; version: string; embeddingDims: number };
  itemCount: number;
  pricing: PricingInfo;
  /** Distinct values per facet; items refer to them by index. */
  facets: Record<FacetName, string[]>;
  /** Default image/thumbnail paths; `{id}` is replaced by the URI-encoded item id. */
  paths: { image: string; thumbnail: string };
  files: {
    items: PackFileEntry;
    embeddings: PackFileEntry;
    thumbnails?: PackFileEntry;
    categories?: PackFileEntry;
  };
  /** Free-form facts about the build (tool, source, counts), shown to developers. */
  build?: Record<string, string | number>;
}

/** The columnar items file (items.json.gz), one array entry per item, all arrays itemCount long. */
export interface ItemsFile {
  ids: string[];
  titles: string[];
  /** Whole rupees or null. */
  prices: (number | null)[];
  /** Per facet: index into manifest.facets[facet], −1 when unknown. */
  attributes: Record<FacetName, number[]>;
  /** Bit i set: FACETS[i] was predicted by the model rather than given by the feed. */
  predicted: number[];
  /** Per item: an image path/URL, or null for manifest.paths.image. */
  images: (string | null)[];
  thumbnails: (string | null)[];
}

/** An items file with no items yet, to be filled column by column. */
export function emptyItemsFile(): ItemsFile {
  return {
    ids: [],
    titles: [],
    prices: [],
    attributes: Object.fromEntries(FACETS.map((f) => [f, [] as number[]])) as Record<FacetName, number[]>,
    predicted: [],
    images: [],
    thumbnails: [],
  };
}

/** Custom categories taught by the merchant: a class mean (unit vector) per category. */
export interface CategoriesFile {
  categories: { name: string; centroid: number[]; examples: string[] }[];
}

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A relative path inside the pack folder, or an absolute http(s) URL (never javascript:, data: …). */
export function isSafeResourcePath(p: string): boolean {
  if (p.length === 0 || p.length > PACK_LIMITS.maxUrlLength) return false;
  if (/^https?:\/\//i.test(p)) return true;
  if (/^[a-z][a-z0-9+.-]*:/i.test(p) || p.startsWith('/') || p.startsWith('\\')) return false;
  return !p.split(/[\\/]/).some((seg) => seg === '..');
}

function fileEntry(v: unknown, what: string, fail: (m: string) => never): PackFileEntry {
  if (!isRecord(v)) return fail(`files.${what} is missing`);
  const path = v.path;
  if (typeof path !== 'string' || !/^[A-Za-z0-9._-]{1,100}$/.test(path) || path.startsWith('.')) {
    return fail(`files.${what}.path must be a plain file name inside the pack folder`);
  }
  if (typeof v.bytes !== 'number' || !Number.isSafeInteger(v.bytes) || v.bytes < 0) return fail(`files.${what}.bytes must be a whole number`);
  if (typeof v.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(v.sha256)) return fail(`files.${what}.sha256 must be 64 lower-case hex digits`);
  return { path, bytes: v.bytes, sha256: v.sha256 };
}

/** Validates pack.json. `source` (a URL or path) is named in every message. */
export function parsePackManifest(json: unknown, source: string): PackManifest {
  const fail = (what: string): never => {
    throw new PackError(`The catalogue pack ${source} is invalid: ${what}.`);
  };
  const text = (v: unknown, what: string, max: number): string =>
    typeof v === 'string' && v.length > 0 && v.length <= max ? v : fail(`${what} must be text of 1–${max} characters`);
  if (!isRecord(json)) return fail('pack.json is not a JSON object');
  if (json.format !== PACK_FORMAT) return fail(`"format" must be "${PACK_FORMAT}" (is this a catalogue pack?)`);
  if (json.formatVersion !== PACK_FORMAT_VERSION) {
    return fail(`format version ${String(json.formatVersion)} is not supported (this app reads version ${PACK_FORMAT_VERSION}); rebuild the pack`);
  }
  const m = isRecord(json.model) ? json.model : fail('"model" is missing');
  const dims = m.embeddingDims;
  if (typeof dims !== 'number' || !Number.isInteger(dims) || dims < PACK_LIMITS.minDims || dims > PACK_LIMITS.maxDims) {
    fail(`model.embeddingDims must be a whole number in ${PACK_LIMITS.minDims}–${PACK_LIMITS.maxDims}`);
  }
  const itemCount = json.itemCount;
  if (typeof itemCount !== 'number' || !Number.isInteger(itemCount) || itemCount < 0) fail('"itemCount" must be a whole number');
  if ((itemCount as number) > PACK_LIMITS.maxItems) {
    fail(`it claims ${String(itemCount)} items; this app holds at most ${PACK_LIMITS.maxItems.toLocaleString('en-IN')} per catalogue`);
  }
  const p = isRecord(json.pricing) ? json.pricing : fail('"pricing" is missing');
  if (p.currency !== 'INR') fail('pricing.currency must be "INR"');
  if (p.source !== 'feed' && p.source !== 'derived' && p.source !== 'none') fail('pricing.source must be feed, derived or none');
  const f = isRecord(json.facets) ? json.facets : fail('"facets" is missing');
  const facets = {} as Record<FacetName, string[]>;
  for (const name of FACETS) {
    const values = f[name] ?? [];
    if (!Array.isArray(values) || values.length > PACK_LIMITS.maxFacetValues) fail(`facets.${name} must be a list of at most ${PACK_LIMITS.maxFacetValues} values`);
    const list = (values as unknown[]).map((v, i) => text(v, `facets.${name}[${i}]`, PACK_LIMITS.maxFacetValueLength));
    if (new Set(list).size !== list.length) fail(`facets.${name} lists a value twice`);
    facets[name] = list;
  }
  const paths = isRecord(json.paths) ? json.paths : fail('"paths" is missing');
  const pattern = (v: unknown, what: string): string => {
    const s = text(v, what, PACK_LIMITS.maxUrlLength);
    if (!isSafeResourcePath(s)) fail(`${what} must be a path inside the pack or an http(s) URL`);
    return s;
  };
  const files = isRecord(json.files) ? json.files : fail('"files" is missing');
  const build = isRecord(json.build) ? json.build : undefined;
  const manifest: PackManifest = {
    format: PACK_FORMAT,
    formatVersion: PACK_FORMAT_VERSION,
    id: text(json.id, 'id', 100),
    title: text(json.title, 'title', PACK_LIMITS.maxTitleLength),
    createdAt: text(json.createdAt, 'createdAt', 40),
    model: { id: text(m.id, 'model.id', 200), version: text(m.version, 'model.version', 100), embeddingDims: dims as number },
    itemCount: itemCount as number,
    pricing: { currency: 'INR', source: p.source as PricingInfo['source'], note: typeof p.note === 'string' ? p.note.slice(0, 400) : '' },
    facets,
    paths: { image: pattern(paths.image, 'paths.image'), thumbnail: pattern(paths.thumbnail, 'paths.thumbnail') },
    files: {
      items: fileEntry(files.items, 'items', fail),
      embeddings: fileEntry(files.embeddings, 'embeddings', fail),
    },
  };
  if (!/^[A-Za-z0-9._-]+$/.test(manifest.id)) fail('id may only hold letters, digits, ".", "_" and "-"');
  if (files.thumbnails !== undefined) manifest.files.thumbnails = fileEntry(files.thumbnails, 'thumbnails', fail);
  if (files.categories !== undefined) manifest.files.categories = fileEntry(files.categories, 'categories', fail);
  if (build) {
    manifest.build = {};
    for (const [k, v] of Object.entries(build)) if (typeof v === 'string' || typeof v === 'number') manifest.build[k] = v;
  }
  const expectEmb = embeddingsFileBytes(manifest.itemCount, manifest.model.embeddingDims);
  if (manifest.files.embeddings.bytes !== expectEmb) {
    fail(`files.embeddings.bytes is ${manifest.files.embeddings.bytes} but ${manifest.itemCount} items × ${manifest.model.embeddingDims} dims need ${expectEmb}`);
  }
  return manifest;
}

/** Validates the decoded items file against its manifest. */
export function parseItemsFile(json: unknown, manifest: PackManifest, source: string): ItemsFile {
  const n = manifest.itemCount;
  const fail = (what: string): never => {
    throw new PackError(`The catalogue pack ${source} is invalid: ${manifest.files.items.path} ${what}.`);
  };
  if (!isRecord(json)) return fail('is not a JSON object');
  const column = (name: string): unknown[] => {
    const c = json[name];
    if (!Array.isArray(c)) return fail(`has no "${name}" list`);
    if (c.length !== n) return fail(`lists ${c.length} ${name} but pack.json promises ${n} items`);
    return c;
  };
  const ids = column('ids').map((v, i) =>
    typeof v === 'string' && v.length > 0 && v.length <= PACK_LIMITS.maxIdLength ? v : fail(`ids[${i}] must be text of 1–${PACK_LIMITS.maxIdLength} characters`),
  );
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) fail(`lists the id "${id}" twice`);
    seen.add(id);
  }
  const titles = column('titles').map((v, i) =>
    typeof v === 'string' && v.length <= PACK_LIMITS.maxTitleLength ? v : fail(`titles[${i}] must be text of at most ${PACK_LIMITS.maxTitleLength} characters`),
  );
  const prices = column('prices').map((v, i) =>
    v === null || (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= PACK_LIMITS.maxPriceInr)
      ? (v as number | null)
      : fail(`prices[${i}] must be null or a number of rupees between 0 and ${PACK_LIMITS.maxPriceInr}`),
  );
  const a = isRecord(json.attributes) ? json.attributes : fail('has no "attributes" object');
  const attributes = {} as Record<FacetName, number[]>;
  for (const facet of FACETS) {
    const values = manifest.facets[facet].length;
    const c = a[facet];
    if (!Array.isArray(c) || c.length !== n) fail(`attributes.${facet} must list one value index per item`);
    attributes[facet] = (c as unknown[]).map((v, i) =>
      typeof v === 'number' && Number.isInteger(v) && v >= -1 && v < values ? v : fail(`attributes.${facet}[${i}] is not an index into facets.${facet}`),
    );
  }
  const predicted = column('predicted').map((v, i) =>
    typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 1 << FACETS.length ? v : fail(`predicted[${i}] is not a facet bit mask`),
  );
  const urls = (name: string): (string | null)[] =>
    column(name).map((v, i) => (v === null || (typeof v === 'string' && isSafeResourcePath(v)) ? (v as string | null) : fail(`${name}[${i}] must be null, a path inside the pack or an http(s) URL`)));
  return { ids, titles, prices, attributes, predicted, images: urls('images'), thumbnails: urls('thumbnails') };
}

export function parseCategoriesFile(json: unknown, dims: number, source: string): CategoriesFile {
  const fail = (what: string): never => {
    throw new PackError(`The catalogue pack ${source} is invalid: categories.json ${what}.`);
  };
  if (!isRecord(json) || !Array.isArray(json.categories)) return fail('has no "categories" list');
  if (json.categories.length > PACK_LIMITS.maxCategories) fail(`has more than ${PACK_LIMITS.maxCategories} categories`);
  return {
    categories: (json.categories as unknown[]).map((c, i) => {
      if (!isRecord(c) || typeof c.name !== 'string' || c.name.length === 0 || c.name.length > PACK_LIMITS.maxFacetValueLength) {
        return fail(`categories[${i}].name must be text of 1–${PACK_LIMITS.maxFacetValueLength} characters`);
      }
      const centroid = c.centroid;
      if (!Array.isArray(centroid) || centroid.length !== dims || !centroid.every((x) => typeof x === 'number' && Number.isFinite(x))) {
        return fail(`categories[${i}].centroid must be ${dims} numbers`);
      }
      const examples = Array.isArray(c.examples) ? c.examples.filter((x): x is string => typeof x === 'string') : [];
      return { name: c.name, centroid: centroid as number[], examples };
    }),
  };
}

// ---- embeddings.i8 ------------------------------------------------------------------------------

/** "DRE1": Drishti embeddings, layout version 1. */
const EMB_MAGIC = 0x31455244;
export const EMB_HEADER_BYTES = 16;

export function embeddingsFileBytes(rows: number, dims: number): number {
  return EMB_HEADER_BYTES + rows * 4 + rows * dims;
}

/** header (magic, version=1, rows, dims as little-endian u32) · rows float32 LE scales · rows×dims int8 codes. */
export function encodeEmbeddingsFile(codes: Int8Array, scales: Float32Array, dims: number): Uint8Array {
  const rows = scales.length;
  if (codes.length !== rows * dims) throw new RangeError(`encodeEmbeddingsFile: ${codes.length} codes for ${rows}×${dims}.`);
  const out = new Uint8Array(embeddingsFileBytes(rows, dims));
  const view = new DataView(out.buffer);
  view.setUint32(0, EMB_MAGIC, true);
  view.setUint32(4, 1, true);
  view.setUint32(8, rows, true);
  view.setUint32(12, dims, true);
  for (let r = 0; r < rows; r++) view.setFloat32(EMB_HEADER_BYTES + r * 4, scales[r]!, true);
  out.set(new Uint8Array(codes.buffer, codes.byteOffset, codes.byteLength), EMB_HEADER_BYTES + rows * 4);
  return out;
}

export function decodeEmbeddingsFile(
  bytes: Uint8Array,
  rows: number,
  dims: number,
  source: string,
): { codes: Int8Array; scales: Float32Array } {
  const fail = (what: string): never => {
    throw new PackError(`The catalogue pack ${source} is invalid: the embeddings file ${what}.`);
  };
  if (bytes.byteLength !== embeddingsFileBytes(rows, dims)) {
    fail(`holds ${bytes.byteLength} bytes; ${rows} items × ${dims} dims need ${embeddingsFileBytes(rows, dims)} (truncated or for another pack)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== EMB_MAGIC || view.getUint32(4, true) !== 1) fail('does not start with the DRE1 header');
  if (view.getUint32(8, true) !== rows || view.getUint32(12, true) !== dims) {
    fail(`header says ${view.getUint32(8, true)}×${view.getUint32(12, true)}, pack.json says ${rows}×${dims}`);
  }
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const s = view.getFloat32(EMB_HEADER_BYTES + r * 4, true);
    if (!Number.isFinite(s) || s < 0) fail(`has an invalid scale for row ${r}`);
    scales[r] = s;
  }
  const start = EMB_HEADER_BYTES + rows * 4;
  // Copy: the codes must not keep the whole download buffer alive or alias it.
  const codes = new Int8Array(rows * dims);
  codes.set(new Int8Array(bytes.buffer, bytes.byteOffset + start, rows * dims));
  return { codes, scales };
}
