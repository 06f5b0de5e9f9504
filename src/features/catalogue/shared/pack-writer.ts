/**
 * Writes a catalogue pack's files in memory (the Node CLI saves them to disk; the on-device import
 * keeps them in IndexedDB). The one place that knows how to lay items out in the format.
 */
import { gzip, sha256Hex } from './bytes.ts';
import { FACETS, type FacetName, type PricingInfo } from './catalogue-types.ts';
import { quantizeRows } from './int8-codec.ts';
import {
  emptyItemsFile,
  MANIFEST_FILE,
  PACK_FORMAT,
  PACK_FORMAT_VERSION,
  encodeEmbeddingsFile,
  type CategoriesFile,
  type ItemsFile,
  type PackFileEntry,
  type PackManifest,
} from './pack-format.ts';

export interface PackItemInput {
  id: string;
  title: string;
  attributes: Partial<Record<FacetName, string>>;
  predicted: FacetName[];
  priceInr: number | null;
  /** Image path/URL; null means the pack's default `paths.image` pattern. */
  image: string | null;
  thumbnail: string | null;
  /** The model's embedding (L2-normalised float) for this item. */
  embedding: Float32Array;
}

export interface PackInput {
  id: string;
  title: string;
  model: PackManifest['model'];
  pricing: PricingInfo;
  paths: PackManifest['paths'];
  items: PackItemInput[];
  build?: Record<string, string | number>;
  /** Text of thumbnails.sha256 ("<sha256>  <path>" lines), when the pack ships images. */
  thumbnailsSha256?: string;
  categories?: CategoriesFile;
  createdAt?: string;
}

export const ITEMS_FILE = 'items.json.gz';
export const EMBEDDINGS_FILE = 'embeddings.i8';
export const THUMBNAILS_FILE = 'thumbnails.sha256';
export const CATEGORIES_FILE = 'categories.json';

async function entry(path: string, bytes: Uint8Array): Promise<PackFileEntry> {
  return { path, bytes: bytes.byteLength, sha256: await sha256Hex(bytes) };
}

/** Returns every file of the pack, pack.json included, keyed by file name. */
export async function buildPackFiles(input: PackInput): Promise<{ manifest: PackManifest; files: Map<string, Uint8Array> }> {
  const dims = input.model.embeddingDims;
  const n = input.items.length;
  const facets = {} as Record<FacetName, string[]>;
  const index = {} as Record<FacetName, Map<string, number>>;
  for (const f of FACETS) {
    const values = [...new Set(input.items.map((it) => it.attributes[f]).filter((v): v is string => !!v))].sort();
    facets[f] = values;
    index[f] = new Map(values.map((v, i) => [v, i]));
  }
  const items: ItemsFile = emptyItemsFile();
  const flat = new Float32Array(n * dims);
  input.items.forEach((it, r) => {
    if (it.embedding.length !== dims) throw new RangeError(`Item ${it.id} has a ${it.embedding.length}-d embedding; the model's is ${dims}-d.`);
    flat.set(it.embedding, r * dims);
    items.ids.push(it.id);
    items.titles.push(it.title);
    items.prices.push(it.priceInr);
    for (const f of FACETS) {
      const v = it.attributes[f];
      items.attributes[f].push(v ? index[f].get(v)! : -1);
    }
    items.predicted.push(it.predicted.reduce((mask, f) => mask | (1 << FACETS.indexOf(f)), 0));
    items.images.push(it.image);
    items.thumbnails.push(it.thumbnail);
  });
  const q = quantizeRows(flat, dims);
  const files = new Map<string, Uint8Array>();
  files.set(ITEMS_FILE, await gzip(new TextEncoder().encode(JSON.stringify(items))));
  files.set(EMBEDDINGS_FILE, encodeEmbeddingsFile(q.codes, q.scales, dims));
  const manifest: PackManifest = {
    format: PACK_FORMAT,
    formatVersion: PACK_FORMAT_VERSION,
    id: input.id,
    title: input.title,
    createdAt: input.createdAt ?? new Date().toISOString(),
    model: input.model,
    itemCount: n,
    pricing: input.pricing,
    facets,
    paths: input.paths,
    files: {
      items: await entry(ITEMS_FILE, files.get(ITEMS_FILE)!),
      embeddings: await entry(EMBEDDINGS_FILE, files.get(EMBEDDINGS_FILE)!),
    },
  };
  if (input.thumbnailsSha256 !== undefined) {
    const bytes = new TextEncoder().encode(input.thumbnailsSha256);
    files.set(THUMBNAILS_FILE, bytes);
    manifest.files.thumbnails = await entry(THUMBNAILS_FILE, bytes);
  }
  if (input.categories) {
    const bytes = new TextEncoder().encode(JSON.stringify(input.categories));
    files.set(CATEGORIES_FILE, bytes);
    manifest.files.categories = await entry(CATEGORIES_FILE, bytes);
  }
  if (input.build) manifest.build = input.build;
  files.set(MANIFEST_FILE, new TextEncoder().encode(JSON.stringify(manifest, null, 1)));
  return { manifest, files };
}
