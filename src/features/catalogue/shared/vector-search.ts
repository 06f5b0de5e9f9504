/**
 * Top-k cosine search over int8 rows: an exact scan, and an IVF (inverted file) index for
 * catalogues too large to scan within the latency budget. The query is a unit float vector; a row's
 * cosine is dot(query, codes) / ‖codes‖ (its scale cancels out), so no row is ever dequantized.
 */
import { seededRandom } from '../../../shared/seeded-random.ts';
import { quantizeRows, type Int8Rows } from './int8-codec.ts';
import { Int8DotKernel } from './int8-kernel.ts';

/** Rows passing this predicate are eligible (filters); null = all rows. */
export type RowFilter = ((row: number) => boolean) | null;

export interface TopK {
  rows: Int32Array;
  scores: Float32Array;
}

/** Keeps the k best (row, score) pairs in a min-heap; ties keep the lower row for a stable order. */
export class TopKCollector {
  private readonly rows: Int32Array;
  private readonly scores: Float32Array;
  private size = 0;

  constructor(readonly k: number) {
    this.rows = new Int32Array(k);
    this.scores = new Float32Array(k);
  }

  /** The score a new row must beat to enter (−∞ until full). */
  get threshold(): number {
    return this.size < this.k ? -Infinity : this.scores[0]!;
  }

  private worse(i: number, j: number): boolean {
    const a = this.scores[i]!;
    const b = this.scores[j]!;
    return a < b || (a === b && this.rows[i]! > this.rows[j]!);
  }

  private swap(i: number, j: number): void {
    const r = this.rows[i]!;
    this.rows[i] = this.rows[j]!;
    this.rows[j] = r;
    const s = this.scores[i]!;
    this.scores[i] = this.scores[j]!;
    this.scores[j] = s;
  }

  push(row: number, score: number): void {
    if (this.k === 0) return;
    if (this.size < this.k) {
      let i = this.size++;
      this.rows[i] = row;
      this.scores[i] = score;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.worse(i, p)) break;
        this.swap(i, p);
        i = p;
      }
      return;
    }
    const top = this.scores[0]!;
    if (score < top || (score === top && row > this.rows[0]!)) return;
    this.rows[0] = row;
    this.scores[0] = score;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.size && this.worse(l, m)) m = l;
      if (r < this.size && this.worse(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }

  /** Best first. */
  result(): TopK {
    const order = Array.from({ length: this.size }, (_, i) => i).sort(
      (a, b) => this.scores[b]! - this.scores[a]! || this.rows[a]! - this.rows[b]!,
    );
    return { rows: Int32Array.from(order, (i) => this.rows[i]!), scores: Float32Array.from(order, (i) => this.scores[i]!) };
  }
}

/** dot(query, codes[row]) — unrolled by 4; dims is any positive integer. */
export function dotRow(query: Float32Array, codes: Int8Array, row: number, dims: number): number {
  const b = row * dims;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < dims; j += 4) {
    s0 += query[j]! * codes[b + j]!;
    s1 += query[j + 1]! * codes[b + j + 1]!;
    s2 += query[j + 2]! * codes[b + j + 2]!;
    s3 += query[j + 3]! * codes[b + j + 3]!;
  }
  for (; j < dims; j++) s0 += query[j]! * codes[b + j]!;
  return s0 + s1 + s2 + s3;
}

/**
 * Exact top-k by cosine. `invNorms` from inverseCodeNorms; `exclude` (e.g. the "more like this"
 * item) is skipped. With a kernel (whose codes are m.codes) the dot products run in WASM SIMD.
 */
export function exactSearch(
  m: Int8Rows,
  invNorms: Float32Array,
  query: Float32Array,
  k: number,
  filter: RowFilter,
  exclude = -1,
  kernel: Int8DotKernel | null = null,
): TopK & { scanned: number } {
  const top = new TopKCollector(k);
  let scanned = 0;
  if (kernel) {
    const f = kernel.setQuery(query);
    const dots = kernel.scoreAll();
    // Most rows lose to the current k-th best: test against a local copy of it before pushing.
    let thr = -Infinity;
    for (let r = 0; r < m.rows; r++) {
      if (r === exclude || (filter !== null && !filter(r))) continue;
      scanned++;
      const s = dots[r]! * f * invNorms[r]!;
      if (s < thr) continue;
      top.push(r, s);
      thr = top.threshold;
    }
    return { ...top.result(), scanned };
  }
  for (let r = 0; r < m.rows; r++) {
    if (r === exclude || (filter !== null && !filter(r))) continue;
    scanned++;
    top.push(r, dotRow(query, m.codes, r, m.dims) * invNorms[r]!);
  }
  return { ...top.result(), scanned };
}

// ---- IVF --------------------------------------------------------------------------------------

export interface IvfIndex {
  nlist: number;
  dims: number;
  /** nlist × dims unit centroids. */
  centroids: Float32Array;
  /** Rows grouped by list: rows of list i are order[offsets[i] .. offsets[i+1]). */
  order: Int32Array;
  offsets: Int32Array;
  /** Lists scanned per query by default (tuned so recall@10 ≥ 0.95, see docs/catalogue-pack.md). */
  nprobe: number;
}


function rowUnit(m: Int8Rows, invNorms: Float32Array, row: number, out: Float32Array, at: number): void {
  const inv = invNorms[row]!;
  const b = row * m.dims;
  for (let j = 0; j < m.dims; j++) out[at + j] = m.codes[b + j]! * inv;
}

function nearestCentroid(centroids: Float32Array, nlist: number, dims: number, v: Float32Array, at: number): number {
  let best = 0;
  let bestScore = -Infinity;
  for (let c = 0; c < nlist; c++) {
    const cb = c * dims;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let j = 0;
    for (; j + 3 < dims; j += 4) {
      s0 += centroids[cb + j]! * v[at + j]!;
      s1 += centroids[cb + j + 1]! * v[at + j + 1]!;
      s2 += centroids[cb + j + 2]! * v[at + j + 2]!;
      s3 += centroids[cb + j + 3]! * v[at + j + 3]!;
    }
    for (; j < dims; j++) s0 += centroids[cb + j]! * v[at + j]!;
    const s = s0 + s1 + s2 + s3;
    if (s > bestScore) {
      bestScore = s;
      best = c;
    }
  }
  return best;
}

/**
 * Nearest centroid by dot product: through the WASM kernel (centroids quantized to int8, which
 * is plenty to pick a list) when available, else the float loop. `refresh` after centroids move.
 */
function nearestFinder(centroids: Float32Array, nlist: number, dims: number): { refresh(): void; find(v: Float32Array, at: number): number } {
  const kernel = Int8DotKernel.create(nlist, dims);
  let scales: Float32Array = new Float32Array(nlist);
  return {
    refresh() {
      if (!kernel) return;
      const q = quantizeRows(centroids, dims);
      kernel.codes.set(q.codes);
      scales = q.scales;
    },
    find(v, at) {
      if (!kernel) return nearestCentroid(centroids, nlist, dims, v, at);
      kernel.setQuery(v.subarray(at, at + dims));
      const dots = kernel.scoreAll();
      let best = 0;
      let bestScore = -Infinity;
      for (let c = 0; c < nlist; c++) {
        const s = dots[c]! * scales[c]!;
        if (s > bestScore) {
          bestScore = s;
          best = c;
        }
      }
      return best;
    },
  };
}

export interface IvfBuildOptions {
  nlist?: number;
  nprobe?: number;
  /** Rows sampled to train the centroids (spherical k-means). */
  trainSample?: number;
  iterations?: number;
  seed?: number;
}

/** Builds an IVF index: spherical k-means on a sample, then every row assigned to its nearest centroid. */
export function buildIvf(m: Int8Rows, invNorms: Float32Array, opts: IvfBuildOptions = {}): IvfIndex {
  const dims = m.dims;
  const nlist = Math.max(1, Math.min(opts.nlist ?? Math.round(Math.sqrt(m.rows)), m.rows));
  // Seeded so an index is the same on every device.
  const random = seededRandom(opts.seed ?? 42).next;
  const sampleSize = Math.min(m.rows, opts.trainSample ?? Math.max(nlist * 24, 2048));
  // Sample without replacement (partial Fisher–Yates over row numbers).
  const pool = Int32Array.from({ length: m.rows }, (_, i) => i);
  for (let i = 0; i < sampleSize; i++) {
    const j = i + Math.floor(random() * (m.rows - i));
    const t = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = t;
  }
  const sample = new Float32Array(sampleSize * dims);
  for (let i = 0; i < sampleSize; i++) rowUnit(m, invNorms, pool[i]!, sample, i * dims);
  const centroids = new Float32Array(nlist * dims);
  centroids.set(sample.subarray(0, nlist * dims));
  const assign = new Int32Array(sampleSize);
  const nearest = nearestFinder(centroids, nlist, dims);
  for (let it = 0; it < (opts.iterations ?? 6); it++) {
    nearest.refresh();
    for (let i = 0; i < sampleSize; i++) assign[i] = nearest.find(sample, i * dims);
    const sums = new Float32Array(nlist * dims);
    const counts = new Int32Array(nlist);
    for (let i = 0; i < sampleSize; i++) {
      const c = assign[i]!;
      counts[c]!++;
      for (let j = 0; j < dims; j++) sums[c * dims + j]! += sample[i * dims + j]!;
    }
    for (let c = 0; c < nlist; c++) {
      // An empty list takes a random sample point so no centroid is wasted.
      if (counts[c] === 0) {
        const i = Math.floor(random() * sampleSize);
        centroids.set(sample.subarray(i * dims, (i + 1) * dims), c * dims);
        continue;
      }
      let ss = 0;
      for (let j = 0; j < dims; j++) ss += sums[c * dims + j]! * sums[c * dims + j]!;
      const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
      for (let j = 0; j < dims; j++) centroids[c * dims + j] = sums[c * dims + j]! * inv;
    }
  }
  const listOf = new Int32Array(m.rows);
  const counts = new Int32Array(nlist);
  const v = new Float32Array(dims);
  nearest.refresh();
  for (let r = 0; r < m.rows; r++) {
    rowUnit(m, invNorms, r, v, 0);
    const c = nearest.find(v, 0);
    listOf[r] = c;
    counts[c]!++;
  }
  const offsets = new Int32Array(nlist + 1);
  for (let c = 0; c < nlist; c++) offsets[c + 1] = offsets[c]! + counts[c]!;
  const fill = offsets.slice(0, nlist);
  const order = new Int32Array(m.rows);
  for (let r = 0; r < m.rows; r++) order[fill[listOf[r]!]!++] = r;
  return { nlist, dims, centroids, order, offsets, nprobe: opts.nprobe ?? Math.max(1, Math.ceil(nlist / 8)) };
}

/**
 * Approximate top-k: scan the nprobe lists whose centroids are closest to the query; when filters
 * leave fewer than k candidates there, keep probing further lists so a narrow filter still fills
 * the page.
 */
export function ivfSearch(
  ivf: IvfIndex,
  m: Int8Rows,
  invNorms: Float32Array,
  query: Float32Array,
  k: number,
  filter: RowFilter,
  exclude = -1,
  nprobe = ivf.nprobe,
  kernel: Int8DotKernel | null = null,
): TopK & { scanned: number } {
  const cs = new Float32Array(ivf.nlist);
  for (let c = 0; c < ivf.nlist; c++) {
    let s = 0;
    const cb = c * ivf.dims;
    for (let j = 0; j < ivf.dims; j++) s += ivf.centroids[cb + j]! * query[j]!;
    cs[c] = s;
  }
  const lists = Array.from(cs.keys()).sort((a, b) => cs[b]! - cs[a]!);
  const top = new TopKCollector(k);
  let scanned = 0;
  let eligible = 0;
  // The kernel must hold ivf.order (setOrder) for scoreOrdered.
  const f = kernel ? kernel.setQuery(query) : 0;
  for (let p = 0; p < lists.length; p++) {
    if (p >= nprobe && eligible >= k) break;
    const c = lists[p]!;
    const start = ivf.offsets[c]!;
    const end = ivf.offsets[c + 1]!;
    if (kernel) {
      const dots = kernel.scoreOrdered(start, end - start);
      let thr = top.threshold;
      for (let i = start; i < end; i++) {
        const r = ivf.order[i]!;
        if (r === exclude || (filter !== null && !filter(r))) continue;
        eligible++;
        scanned++;
        const s = dots[i - start]! * f * invNorms[r]!;
        if (s < thr) continue;
        top.push(r, s);
        thr = top.threshold;
      }
      continue;
    }
    for (let i = start; i < end; i++) {
      const r = ivf.order[i]!;
      if (r === exclude || (filter !== null && !filter(r))) continue;
      eligible++;
      scanned++;
      top.push(r, dotRow(query, m.codes, r, m.dims) * invNorms[r]!);
    }
  }
  return { ...top.result(), scanned };
}
