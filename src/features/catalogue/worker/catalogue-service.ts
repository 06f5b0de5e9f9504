/**
 * The catalogue member of the app worker: packs and imports loaded into CatalogueIndex objects,
 * visual search (photo → engine embedding → int8 cosine top-k), browse, custom categories, and the
 * step-wise on-device import. See shared/catalogue-api.ts for the contract.
 */
import { classifyImages, decodeImage, loadedManifest } from '../../engine/worker/engine.ts';
import type { ImageInput } from '../../engine/shared/engine-api.ts';
import type { ModelManifest } from '../../../shared/model-manifest.ts';
import {
  CatalogueError,
  type CatalogueApi,
  type CategoryReport,
  type LabelledExample,
  type SearchBenchmark,
} from '../shared/catalogue-api.ts';
import { CatalogueIndex, CatalogueQueryError } from '../shared/catalogue-index.ts';
import { FACETS, type FacetName, type SearchResult } from '../shared/catalogue-types.ts';
import { heldOutAccuracy, trainCentroids, type CategoryCentroid } from '../shared/custom-categories.ts';
import { openCatalogueDb } from '../shared/import-db.ts';
import { PackError } from '../shared/pack-format.ts';
import { normalized } from '../shared/int8-codec.ts';
import { syntheticPack } from '../shared/synthetic-catalogue.ts';
import { exactSearch } from '../shared/vector-search.ts';
import { fetchPack, dropCatalogue, loadedCatalogues, putCatalogue, requireCatalogue } from './catalogue-store.ts';
import { importStep, loadImport } from './import-job.ts';

function modelOf(m: ModelManifest): { id: string; version: string; embeddingDims: number } {
  return { id: m.id, version: m.version, embeddingDims: m.embedding.dims };
}

/** Errors from the shared code become CatalogueErrors with a code the page can act on. */
function mapError(err: unknown, doing: string): never {
  if (err instanceof CatalogueError) throw err;
  if (err instanceof PackError) throw new CatalogueError('bad-pack', err.message);
  if (err instanceof CatalogueQueryError) throw new CatalogueError('bad-query', err.message);
  if (err instanceof DOMException && err.name === 'AbortError') throw err;
  if (err instanceof TypeError && /fetch/i.test(err.message)) {
    throw new CatalogueError('download', `Could not download while ${doing} (${err.message}). Check the connection and try again.`);
  }
  if (err instanceof Error && err.name === 'EngineError') throw err;
  throw new CatalogueError('bad-query', `Failed while ${doing}: ${err instanceof Error ? err.message : String(err)}`);
}

async function storedCategories(index: CatalogueIndex): Promise<void> {
  try {
    const db = await openCatalogueDb();
    const stored = await db.get('categories', index.id);
    const m = index.pack.manifest.model;
    if (stored && stored.modelId === m.id && stored.modelVersion === m.version) {
      index.setCategories(stored.categories.map((c) => ({ name: c.name, centroid: normalized(c.centroid), examples: c.examples.length })));
    }
  } catch {
    // No IndexedDB (private mode, tests): categories then live only as long as the worker.
  }
}

function checkQueryModel(index: CatalogueIndex, manifest: ModelManifest): void {
  const m = index.pack.manifest.model;
  if (m.id !== manifest.id || m.version !== manifest.version || m.embeddingDims !== manifest.embedding.dims) {
    throw new CatalogueError(
      'bad-pack',
      `The catalogue "${index.id}" was built with model ${m.id} ${m.version}, but the loaded model is ${manifest.id} ${manifest.version}; rebuild the catalogue with this model to search it by photo.`,
    );
  }
}

function topAttributes(heads: { head: string; top: { id: string }[] }[]): Partial<Record<FacetName, string>> {
  const out: Partial<Record<FacetName, string>> = {};
  for (const h of heads) if ((FACETS as readonly string[]).includes(h.head) && h.top[0]) out[h.head as FacetName] = h.top[0].id;
  return out;
}

export const catalogueWorkerApi: CatalogueApi = {
  async loadPack(url, options = {}) {
    try {
      const manifest = loadedManifest();
      const check = options.checkModel ?? manifest !== null;
      if (check && !manifest) throw new CatalogueError('no-model', 'Load the model before loading a catalogue with checkModel: true.');
      const pack = await fetchPack(url, check && manifest ? modelOf(manifest) : undefined);
      const index = new CatalogueIndex(pack, url, 'pack');
      index.ensureIvf();
      await storedCategories(index);
      putCatalogue({ index, source: url });
      return index.info(url);
    } catch (err) {
      return mapError(err, `loading the catalogue pack ${url}`);
    }
  },

  async openImport(catalogueId) {
    try {
      const pack = await loadImport(catalogueId);
      if (!pack) return null;
      const index = new CatalogueIndex(pack, `drishti-import://${encodeURIComponent(catalogueId)}/`, 'import');
      await storedCategories(index);
      putCatalogue({ index });
      return index.info();
    } catch (err) {
      return mapError(err, `opening the imported catalogue "${catalogueId}"`);
    }
  },

  async list() {
    return loadedCatalogues().map((c) => c.index.info(c.source));
  },

  async info(id) {
    const c = loadedCatalogues().find((x) => x.index.id === id);
    return requireCatalogue(id).info(c?.source);
  },

  async unload(id) {
    dropCatalogue(id);
  },

  async items(id, ids) {
    const index = requireCatalogue(id);
    const out = [];
    for (const itemId of ids) {
      try {
        out.push(index.item(index.rowOf(itemId)));
      } catch {
        // Unknown ids are left out (the caller may hold stale ids, e.g. from history).
      }
    }
    return out;
  },

  async browse(q) {
    try {
      return requireCatalogue(q.catalogueId).browse(q.filters, q.text, q.offset, q.limit);
    } catch (err) {
      return mapError(err, 'browsing the catalogue');
    }
  },

  async search(q): Promise<SearchResult> {
    const index = requireCatalogue(q.catalogueId);
    try {
      let query: Float32Array;
      let exclude = -1;
      let embedMs: number | undefined;
      let queryAttributes: Partial<Record<FacetName, string>> | undefined;
      if (q.by.kind === 'image') {
        const manifest = loadedManifest();
        if (!manifest) throw new CatalogueError('no-model', 'Photo search needs the model: load it first (engine.load).');
        checkQueryModel(index, manifest);
        const t0 = performance.now();
        const rgba = await decodeImage(q.by.image as ImageInput);
        const [p] = await classifyImages([rgba]);
        embedMs = performance.now() - t0;
        query = p!.embedding;
        queryAttributes = topAttributes(p!.heads);
      } else if (q.by.kind === 'embedding') {
        query = q.by.embedding;
      } else {
        exclude = index.rowOf(q.by.itemId);
        query = index.vectorOf(exclude);
      }
      const t1 = performance.now();
      const ranked = index.rank(query, q.k ?? 10, q.filters, { exclude, method: q.exact ? 'exact' : 'auto' });
      const searchMs = performance.now() - t1;
      const result: SearchResult = {
        hits: Array.from(ranked.rows, (r, i) => ({ item: index.item(r), score: ranked.scores[i]! })),
        method: ranked.method,
        scanned: ranked.scanned,
        searchMs,
      };
      if (embedMs !== undefined) result.embedMs = embedMs;
      if (queryAttributes) result.queryAttributes = queryAttributes;
      return result;
    } catch (err) {
      return mapError(err, 'searching the catalogue');
    }
  },

  async teachCategories(id, examples: LabelledExample[]): Promise<CategoryReport> {
    const index = requireCatalogue(id);
    if (examples.length === 0) throw new CatalogueError('bad-query', 'Label a few items (5–20 per category) before teaching categories.');
    let labelled;
    try {
      labelled = examples.map((e) => ({ category: e.category, vector: index.vectorOf(index.rowOf(e.itemId)) }));
    } catch (err) {
      return mapError(err, 'reading the labelled items');
    }
    let centroids: CategoryCentroid[];
    let report;
    try {
      centroids = trainCentroids(labelled);
      report = heldOutAccuracy(labelled);
    } catch (err) {
      throw new CatalogueError('bad-query', (err as Error).message);
    }
    index.setCategories(centroids);
    const assigned = new Map<string, number>();
    for (let r = 0; r < index.rows; r++) {
      const c = index.item(r).customCategory;
      if (c) assigned.set(c.name, (assigned.get(c.name) ?? 0) + 1);
    }
    try {
      const db = await openCatalogueDb();
      const m = index.pack.manifest.model;
      await db.put('categories', {
        catalogueId: id,
        modelId: m.id,
        modelVersion: m.version,
        categories: centroids.map((c) => ({
          name: c.name,
          centroid: Array.from(c.centroid),
          examples: examples.filter((e) => e.category.trim() === c.name).map((e) => e.itemId),
        })),
      });
    } catch (err) {
      throw new CatalogueError('storage', `The categories work now but could not be saved on this device (${(err as Error).message}).`);
    }
    return {
      categories: centroids.map((c) => {
        const held = report.perCategory.find((p) => p.name === c.name);
        return { name: c.name, examples: c.examples, assigned: assigned.get(c.name) ?? 0, heldOutCorrect: held?.correct ?? 0 };
      }),
      heldOutAccuracy: report.accuracy,
      examples: report.examples,
    };
  },

  async clearCategories(id) {
    requireCatalogue(id).setCategories([]);
    try {
      await (await openCatalogueDb()).delete('categories', id);
    } catch {
      // Nothing stored.
    }
  },

  async importStep(catalogueId, maxItems = 4) {
    try {
      return await importStep(catalogueId, maxItems);
    } catch (err) {
      if (err instanceof CatalogueError) throw err;
      throw new CatalogueError('import', `The import could not continue: ${(err as Error).message}`);
    }
  },

  async loadSynthetic(n, dims = 256, seed = 1) {
    if (!Number.isInteger(n) || n < 1 || n > 200_000) throw new CatalogueError('bad-query', 'A synthetic catalogue holds 1–200,000 items.');
    const index = new CatalogueIndex(syntheticPack(n, dims, seed), 'https://synthetic.invalid/pack.json', 'pack');
    putCatalogue({ index });
    return index.info();
  },

  async benchmarkSearch(id, { queries, k = 10, method, filters, nprobe }): Promise<SearchBenchmark> {
    const index = requireCatalogue(id);
    let indexBuildMs: number | undefined;
    if (method === 'ivf' && !index.ivf) {
      const t = performance.now();
      index.ensureIvf(true);
      indexBuildMs = performance.now() - t;
    }
    // Queries as a shopper's photo of a catalogue product gives them: an item's vector plus noise.
    let seed = 12345;
    const rand = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    const times: number[] = [];
    let scanned = 0;
    let hits = 0;
    let wanted = 0;
    for (let i = 0; i < queries; i++) {
      const base = index.vectorOf(Math.floor(rand() * index.rows));
      const q = base.map((x) => x + 0.04 * (rand() + rand() + rand() - 1.5) * 2);
      const t0 = performance.now();
      const got = index.rank(q, k, filters, { method, ...(nprobe ? { nprobe } : {}) });
      times.push(performance.now() - t0);
      scanned += got.scanned;
      if (method === 'ivf') {
        const exact = exactSearch(index.vectors, index.invNorms, normalized(q), k, index.compileFilter(filters));
        const set = new Set(exact.rows);
        hits += [...got.rows].filter((r) => set.has(r)).length;
        wanted += exact.rows.length;
      }
    }
    times.sort((a, b) => a - b);
    const pick = (p: number): number => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
    const result: SearchBenchmark = {
      catalogueId: id,
      items: index.rows,
      queries,
      k,
      method,
      p50Ms: pick(0.5),
      p95Ms: pick(0.95),
      meanScanned: scanned / queries,
      recallAtK: method === 'ivf' ? hits / Math.max(1, wanted) : 1,
    };
    if (indexBuildMs !== undefined) result.indexBuildMs = indexBuildMs;
    return result;
  },
};
