/**
 * A loaded catalogue, ready to search: the pack's columns kept as typed arrays (a 100k-item
 * catalogue stays around 30 MB), items materialised only for the hits returned, filters compiled
 * to index comparisons, and an IVF index when the catalogue is too large to scan exactly in time.
 */
import {
  FACETS,
  type BrowseResult,
  type CatalogueInfo,
  type CatalogueItem,
  type FacetName,
  type FacetSummary,
  type SearchFilters,
} from './catalogue-types.ts';
import { classifyVector, type CategoryCentroid } from './custom-categories.ts';
import { dequantizeRow, inverseCodeNorms, normalized, type Int8Rows } from './int8-codec.ts';
import { Int8DotKernel } from './int8-kernel.ts';
import type { LoadedPack } from './pack-reader.ts';
import { buildIvf, exactSearch, ivfSearch, type IvfBuildOptions, type IvfIndex, type RowFilter, type TopK } from './vector-search.ts';

/**
 * Above this many items the exact scan would miss the 40 ms budget on a mid-range phone (it takes
 * ~25 ms per 100k rows on this project's reference machine), so an IVF index is built.
 */
export const IVF_THRESHOLD = 100_000;
export const MAX_K = 200;

export class CatalogueQueryError extends Error {
  override name = 'CatalogueQueryError';
}

export interface RankedRows extends TopK {
  scanned: number;
  method: 'exact' | 'ivf';
}

export class CatalogueIndex {
  readonly rows: number;
  readonly vectors: Int8Rows;
  readonly invNorms: Float32Array;
  private readonly facetRows: Record<FacetName, Int16Array | Int32Array>;
  private readonly prices: Float64Array;
  private readonly rowById = new Map<string, number>();
  private categories: CategoryCentroid[] = [];
  private categoryOfRow: Int32Array;
  private categoryScore: Float32Array;
  ivf: IvfIndex | null = null;
  /** WASM SIMD scorer holding the codes (null where WASM SIMD is unavailable: plain JS then). */
  readonly kernel: Int8DotKernel | null;

  /** `baseUrl` resolves the pack's relative image paths (the pack.json URL, or a local scheme for imports). */
  constructor(
    readonly pack: LoadedPack,
    readonly baseUrl: string,
    readonly kind: 'pack' | 'import' = 'pack',
  ) {
    const { manifest, items } = pack;
    this.rows = manifest.itemCount;
    this.kernel = Int8DotKernel.create(this.rows, manifest.model.embeddingDims);
    if (this.kernel) {
      // The kernel's memory becomes the one copy of the codes (the pack shares it).
      this.kernel.codes.set(pack.codes);
      pack.codes = this.kernel.codes;
    }
    this.vectors = { rows: this.rows, dims: manifest.model.embeddingDims, codes: pack.codes, scales: pack.scales };
    this.invNorms = inverseCodeNorms(this.vectors);
    this.facetRows = {} as Record<FacetName, Int16Array | Int32Array>;
    for (const f of FACETS) {
      this.facetRows[f] = manifest.facets[f].length < 32_000 ? Int16Array.from(items.attributes[f]) : Int32Array.from(items.attributes[f]);
    }
    this.prices = Float64Array.from(items.prices, (p) => (p === null ? NaN : p));
    items.ids.forEach((id, r) => this.rowById.set(id, r));
    this.categoryOfRow = new Int32Array(this.rows).fill(-1);
    this.categoryScore = new Float32Array(this.rows);
    if (pack.categories) {
      this.setCategories(pack.categories.categories.map((c) => ({ name: c.name, centroid: normalized(c.centroid), examples: c.examples.length })));
    }
  }

  get id(): string {
    return this.pack.manifest.id;
  }

  rowOf(id: string): number {
    const r = this.rowById.get(id);
    if (r === undefined) throw new CatalogueQueryError(`The catalogue "${this.id}" has no item "${id}".`);
    return r;
  }

  /** The item's embedding as a unit float vector (for "more like this" and recommendations). */
  vectorOf(row: number): Float32Array {
    return normalized(dequantizeRow(this.vectors, row));
  }

  private url(path: string): string {
    try {
      return new URL(path, this.baseUrl).href;
    } catch {
      return path;
    }
  }

  item(row: number): CatalogueItem {
    const { manifest, items } = this.pack;
    const id = items.ids[row]!;
    const attributes: Partial<Record<FacetName, string>> = {};
    const predicted: FacetName[] = [];
    FACETS.forEach((f, bit) => {
      const v = this.facetRows[f][row]!;
      if (v >= 0) attributes[f] = manifest.facets[f][v]!;
      if (items.predicted[row]! & (1 << bit)) predicted.push(f);
    });
    const pattern = (p: string): string => p.replaceAll('{id}', encodeURIComponent(id));
    const item: CatalogueItem = {
      id,
      title: items.titles[row]!,
      attributes,
      predicted,
      priceInr: items.prices[row] ?? null,
      imageUrl: this.url(items.images[row] ?? pattern(manifest.paths.image)),
      thumbnailUrl: this.url(items.thumbnails[row] ?? pattern(manifest.paths.thumbnail)),
    };
    const c = this.categoryOfRow[row]!;
    if (c >= 0) item.customCategory = { name: this.categories[c]!.name, score: this.categoryScore[row]! };
    return item;
  }

  /** Compiles filters to a predicate over rows; null when nothing is filtered. */
  compileFilter(filters: SearchFilters | undefined): RowFilter {
    if (!filters) return null;
    const tests: ((row: number) => boolean)[] = [];
    for (const f of FACETS) {
      const wanted = filters[f];
      if (!wanted || wanted.length === 0) continue;
      const values = this.pack.manifest.facets[f];
      const allowed = new Uint8Array(values.length);
      wanted.forEach((w) => {
        const i = values.indexOf(w);
        if (i >= 0) allowed[i] = 1;
      });
      const col = this.facetRows[f];
      tests.push((r) => {
        const v = col[r]!;
        return v >= 0 && allowed[v] === 1;
      });
    }
    const { priceMin, priceMax } = filters;
    if (priceMin !== undefined || priceMax !== undefined) {
      const lo = priceMin ?? -Infinity;
      const hi = priceMax ?? Infinity;
      if (Number.isNaN(lo) || Number.isNaN(hi)) throw new CatalogueQueryError('The price filter must be a number of rupees.');
      const prices = this.prices;
      tests.push((r) => prices[r]! >= lo && prices[r]! <= hi);
    }
    if (filters.customCategory && filters.customCategory.length > 0) {
      const wanted = new Set(filters.customCategory);
      const allowed = Uint8Array.from(this.categories, (c) => (wanted.has(c.name) ? 1 : 0));
      const col = this.categoryOfRow;
      tests.push((r) => col[r]! >= 0 && allowed[col[r]!] === 1);
    }
    if (tests.length === 0) return null;
    if (tests.length === 1) return tests[0]!;
    return (r) => {
      for (const t of tests) if (!t(r)) return false;
      return true;
    };
  }

  /** Top-k rows by cosine to a query embedding (any length-matching vector; it is normalised here). */
  rank(query: Float32Array, k: number, filters?: SearchFilters, opts: { exclude?: number; method?: 'auto' | 'exact' | 'ivf'; nprobe?: number } = {}): RankedRows {
    if (query.length !== this.vectors.dims) {
      throw new CatalogueQueryError(`The query embedding has ${query.length} dimensions; the catalogue "${this.id}" has ${this.vectors.dims}. Was it made by another model?`);
    }
    const kk = Math.max(1, Math.min(MAX_K, Math.floor(k)));
    const q = normalized(query);
    const filter = this.compileFilter(filters);
    const method = opts.method ?? 'auto';
    if (method === 'ivf' || (method === 'auto' && this.ivf)) {
      const ivf = this.ensureIvf(true)!;
      return { ...ivfSearch(ivf, this.vectors, this.invNorms, q, kk, filter, opts.exclude ?? -1, opts.nprobe, this.kernel), method: 'ivf' };
    }
    return { ...exactSearch(this.vectors, this.invNorms, q, kk, filter, opts.exclude ?? -1, this.kernel), method: 'exact' };
  }

  /** Builds the IVF index if the catalogue is big enough to need it (or when forced). */
  ensureIvf(force = false, opts?: IvfBuildOptions): IvfIndex | null {
    if (!this.ivf && (force || this.rows > IVF_THRESHOLD)) {
      this.ivf = buildIvf(this.vectors, this.invNorms, opts);
      this.kernel?.setOrder(this.ivf.order);
    }
    return this.ivf;
  }

  browse(filters: SearchFilters | undefined, text: string | undefined, offset = 0, limit = 24): BrowseResult {
    const filter = this.compileFilter(filters);
    const words = (text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const titles = this.pack.items.titles;
    const matches: number[] = [];
    for (let r = 0; r < this.rows; r++) {
      if (filter && !filter(r)) continue;
      if (words.length > 0) {
        const t = titles[r]!.toLowerCase();
        if (!words.every((w) => t.includes(w))) continue;
      }
      matches.push(r);
    }
    const start = Math.max(0, Math.floor(offset));
    const end = start + Math.max(0, Math.min(MAX_K, Math.floor(limit)));
    return { items: matches.slice(start, end).map((r) => this.item(r)), total: matches.length };
  }

  facets(): FacetSummary[] {
    return FACETS.map((name) => {
      const values = this.pack.manifest.facets[name];
      const counts = new Int32Array(values.length);
      const col = this.facetRows[name];
      for (let r = 0; r < this.rows; r++) if (col[r]! >= 0) counts[col[r]!]!++;
      return { name, values: values.map((value, i) => ({ value, count: counts[i]! })).filter((v) => v.count > 0).sort((a, b) => b.count - a.count) };
    });
  }

  /** Assigns every item to its nearest custom category (none when the list is empty). */
  setCategories(categories: CategoryCentroid[]): void {
    this.categories = categories;
    this.categoryOfRow.fill(-1);
    if (categories.length === 0) return;
    for (let r = 0; r < this.rows; r++) {
      const best = classifyVector(this.vectorOf(r), categories);
      if (best) {
        this.categoryOfRow[r] = categories.findIndex((c) => c.name === best.name);
        this.categoryScore[r] = best.score;
      }
    }
  }

  get customCategories(): CategoryCentroid[] {
    return this.categories;
  }

  info(source?: string): CatalogueInfo {
    const m = this.pack.manifest;
    let min = Infinity;
    let max = -Infinity;
    for (const p of this.prices) {
      if (Number.isNaN(p)) continue;
      if (p < min) min = p;
      if (p > max) max = p;
    }
    const info: CatalogueInfo = {
      id: m.id,
      title: m.title,
      kind: this.kind,
      itemCount: this.rows,
      model: { ...m.model },
      pricing: { ...m.pricing },
      facets: this.facets(),
      priceRange: min <= max ? { min, max } : null,
      searchMethod: this.ivf ? 'ivf' : 'exact',
      customCategories: this.categories.map((c) => c.name),
    };
    if (source) info.source = source;
    return info;
  }
}
