/**
 * Synthetic catalogues for tests and in-worker measurements: unit vectors drawn around a few hundred random
 * "style" centres (real embeddings cluster by article type and colour), with attributes and prices.
 */
import { FACETS, type FacetName } from './catalogue-types.ts';
import { quantizeRows } from './int8-codec.ts';
import { PACK_FORMAT, PACK_FORMAT_VERSION, type ItemsFile } from './pack-format.ts';
import { seededRandom } from '../../../shared/seeded-random.ts';
import type { LoadedPack } from './pack-reader.ts';
import type { PackItemInput } from './pack-writer.ts';


export function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** n × dims row-major unit vectors around `clusters` centres with the given noise level. */
export function clusteredVectors(n: number, dims: number, seed = 1, clusters = 200, noise = 0.6): Float32Array {
  const random = seededRandom(seed).next;
  const centres = new Float32Array(clusters * dims).map(() => gaussian(random));
  const out = new Float32Array(n * dims);
  for (let r = 0; r < n; r++) {
    const c = Math.floor(random() * clusters);
    let ss = 0;
    for (let j = 0; j < dims; j++) {
      const v = centres[c * dims + j]! + noise * gaussian(random);
      out[r * dims + j] = v;
      ss += v * v;
    }
    const inv = 1 / Math.sqrt(ss);
    for (let j = 0; j < dims; j++) out[r * dims + j]! *= inv;
  }
  return out;
}

const VALUES: Record<FacetName, string[]> = {
  gender: ['Men', 'Women', 'Boys', 'Girls', 'Unisex'],
  articleType: ['Tshirts', 'Shirts', 'Kurtas', 'Sarees', 'Jeans', 'Heels', 'Watches', 'Handbags'],
  usage: ['Casual', 'Formal', 'Ethnic', 'Sports'],
  colour: ['Black', 'White', 'Blue', 'Red', 'Green'],
  season: ['Summer', 'Winter', 'Fall', 'Spring'],
};

export function syntheticItems(n: number, dims = 256, seed = 1): PackItemInput[] {
  const vectors = clusteredVectors(n, dims, seed);
  const random = seededRandom(seed + 1000).next;
  return Array.from({ length: n }, (_, r) => {
    const attributes: Partial<Record<FacetName, string>> = {};
    for (const f of FACETS) attributes[f] = VALUES[f][Math.floor(random() * VALUES[f].length)]!;
    return {
      id: `SKU-${r}`,
      title: `Synthetic item ${r}`,
      attributes,
      predicted: [],
      priceInr: 199 + Math.floor(random() * 50) * 100,
      image: null,
      thumbnail: null,
      embedding: vectors.slice(r * dims, (r + 1) * dims),
    };
  });
}

/** Queries as a shopper's photo of a catalogue product would give: an item's vector plus noise. */
export function queriesNear(items: PackItemInput[], n: number, noise = 0.04, seed = 5): Float32Array[] {
  const random = seededRandom(seed).next;
  return Array.from({ length: n }, () => {
    const base = items[Math.floor(random() * items.length)]!.embedding;
    return base.map((x) => x + noise * gaussian(random));
  });
}

/** A LoadedPack of n synthetic items built in memory (no files), e.g. 100k items in the worker. */
export function syntheticPack(n: number, dims = 256, seed = 1): LoadedPack {
  const vectors = clusteredVectors(n, dims, seed);
  const random = seededRandom(seed + 1000).next;
  const attributes = {} as Record<FacetName, number[]>;
  for (const f of FACETS) attributes[f] = Array.from({ length: n }, () => Math.floor(random() * VALUES[f].length));
  const ids = Array.from({ length: n }, (_, r) => `SKU-${r}`);
  const items: ItemsFile = {
    ids,
    titles: ids.map((id) => `Synthetic item ${id}`),
    prices: ids.map(() => 199 + Math.floor(random() * 50) * 100),
    attributes,
    predicted: ids.map(() => 0),
    images: ids.map(() => null),
    thumbnails: ids.map(() => null),
  };
  const q = quantizeRows(vectors, dims);
  return {
    manifest: {
      format: PACK_FORMAT,
      formatVersion: PACK_FORMAT_VERSION,
      id: `synthetic-${n}`,
      title: `Synthetic catalogue of ${n} items`,
      createdAt: new Date(0).toISOString(),
      model: { id: 'synthetic', version: '0', embeddingDims: dims },
      itemCount: n,
      pricing: { currency: 'INR', source: 'derived', note: 'Synthetic items and prices for measurements.' },
      facets: { ...VALUES },
      paths: { image: 'images/{id}.jpg', thumbnail: 'thumbs/{id}.webp' },
      files: {
        items: { path: 'items.json.gz', bytes: 0, sha256: '0'.repeat(64) },
        embeddings: { path: 'embeddings.i8', bytes: 0, sha256: '0'.repeat(64) },
      },
    },
    items,
    codes: q.codes,
    scales: q.scales,
  };
}
