/**
 * A catalogue laid out for fast scoring: one contiguous Float32Array of embeddings (row-major) and
 * small integer codes per attribute, so a "you may also like" row over 10,000 items is a single pass
 * of dot products and table look-ups with no per-item allocation.
 */
import { quantizeRows } from '../../catalogue/shared/int8-codec.ts';
import { Int8DotKernel } from '../../catalogue/shared/int8-kernel.ts';
import { REC_ATTRIBUTES, RecsError, priceBand, type RecAttribute, type RecItem } from './rec-item.ts';

export interface AttributeColumn {
  /** Distinct values in first-seen order; codes index into it. */
  values: string[];
  codes: Uint16Array;
}

export interface RecIndex {
  size: number;
  dims: number;
  ids: string[];
  titles: string[];
  byId: Map<string, number>;
  /** size × dims, each row L2-normalised. */
  embeddings: Float32Array;
  attributes: Record<RecAttribute, AttributeColumn>;
  priceInr: Float32Array;
  priceBands: Uint8Array;
  /** log(1 + popularity) scaled to [0, 1]; all zeros when the catalogue has no popularity signal. */
  popularity: Float32Array;
  /** log(1 + largest raw popularity): popularity × this = log(1 + raw popularity). */
  popularityScale: number;
  /** Item indices by descending popularity (ties keep catalogue order). */
  popularOrder: Int32Array;
  /**
   * The catalogue's WASM SIMD int8 kernel over the same rows (about 10× the JS loop for the
   * full-catalogue dot products); null where WASM SIMD is missing or dims is not a multiple of 16.
   */
  kernel: Int8DotKernel | null;
  /** Per-row int8 scale: row · v ≈ rowScale[j] × (codes_j · v). */
  rowScales: Float32Array;
}

export function buildRecIndex(items: readonly RecItem[]): RecIndex {
  if (items.length === 0) throw new RecsError('The catalogue is empty: add items before asking for recommendations.');
  const dims = items[0]!.embedding.length;
  if (dims === 0) throw new RecsError(`Item ${items[0]!.id} has an empty embedding.`);
  const size = items.length;
  const embeddings = new Float32Array(size * dims);
  const byId = new Map<string, number>();
  const priceInr = new Float32Array(size);
  const priceBands = new Uint8Array(size);
  const rawPop = new Float32Array(size);
  const columns = {} as Record<RecAttribute, AttributeColumn>;
  const lookups = {} as Record<RecAttribute, Map<string, number>>;
  for (const a of REC_ATTRIBUTES) {
    columns[a] = { values: [], codes: new Uint16Array(size) };
    lookups[a] = new Map();
  }
  items.forEach((item, i) => {
    if (byId.has(item.id)) throw new RecsError(`Item id ${item.id} appears twice in the catalogue; ids must be unique.`);
    byId.set(item.id, i);
    if (item.embedding.length !== dims) {
      throw new RecsError(`Item ${item.id} has a ${item.embedding.length}-dimensional embedding; the catalogue uses ${dims}.`);
    }
    // Re-normalise defensively: int8 packs dequantise to vectors that are only nearly unit length.
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += item.embedding[d]! * item.embedding[d]!;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let d = 0; d < dims; d++) embeddings[i * dims + d] = item.embedding[d]! * inv;
    for (const a of REC_ATTRIBUTES) {
      const value = item.attributes[a] ?? '';
      let code = lookups[a].get(value);
      if (code === undefined) {
        code = columns[a].values.length;
        columns[a].values.push(value);
        lookups[a].set(value, code);
      }
      columns[a].codes[i] = code;
    }
    const price = Number.isFinite(item.priceInr) && item.priceInr >= 0 ? item.priceInr : 0;
    priceInr[i] = price;
    priceBands[i] = priceBand(price);
    const pop = item.popularity;
    rawPop[i] = typeof pop === 'number' && Number.isFinite(pop) && pop > 0 ? Math.log1p(pop) : 0;
  });
  let maxPop = 0;
  for (let i = 0; i < size; i++) if (rawPop[i]! > maxPop) maxPop = rawPop[i]!;
  const popularity = new Float32Array(size);
  if (maxPop > 0) for (let i = 0; i < size; i++) popularity[i] = rawPop[i]! / maxPop;
  const order = Array.from({ length: size }, (_, i) => i).sort((a, b) => popularity[b]! - popularity[a]! || a - b);
  const kernel = Int8DotKernel.create(size, dims);
  let rowScales: Float32Array = new Float32Array(0);
  if (kernel) {
    const q = quantizeRows(embeddings, dims);
    kernel.codes.set(q.codes);
    rowScales = q.scales;
  }
  return {
    size,
    dims,
    ids: items.map((it) => it.id),
    titles: items.map((it) => it.title ?? it.id),
    byId,
    embeddings,
    attributes: columns,
    priceInr,
    priceBands,
    popularity,
    popularityScale: maxPop,
    popularOrder: Int32Array.from(order),
    kernel,
    rowScales,
  };
}

/** Dot product of row i with a unit vector (= cosine, rows are unit length). */
export function rowDot(index: RecIndex, i: number, v: Float32Array): number {
  const { dims, embeddings } = index;
  const base = i * dims;
  let s = 0;
  for (let d = 0; d < dims; d++) s += embeddings[base + d]! * v[d]!;
  return s;
}

/** Cosine of two catalogue rows. */
export function rowCosine(index: RecIndex, i: number, j: number): number {
  const { dims, embeddings } = index;
  const a = i * dims;
  const b = j * dims;
  let s = 0;
  for (let d = 0; d < dims; d++) s += embeddings[a + d]! * embeddings[b + d]!;
  return s;
}

export function rowOf(index: RecIndex, i: number): Float32Array {
  return index.embeddings.subarray(i * index.dims, (i + 1) * index.dims);
}

export function attributeValue(index: RecIndex, a: RecAttribute, i: number): string {
  const col = index.attributes[a];
  return col.values[col.codes[i]!]!;
}
