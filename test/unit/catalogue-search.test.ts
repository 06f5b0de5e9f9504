import { describe, expect, it } from 'vitest';
import { CatalogueIndex } from '../../src/features/catalogue/shared/catalogue-index.ts';
import { cosine } from '../../src/shared/model-output.ts';
import { PACK_LIMITS } from '../../src/features/catalogue/shared/pack-format.ts';
import { readPack } from '../../src/features/catalogue/shared/pack-reader.ts';
import { buildPackFiles, type PackItemInput } from '../../src/features/catalogue/shared/pack-writer.ts';
import { TopKCollector } from '../../src/features/catalogue/shared/vector-search.ts';
import { clusteredVectors, queriesNear, syntheticItems } from './catalogue-synthetic.ts';

const MODEL = { id: 'drishti-test', version: '1.0.0', embeddingDims: 256 };

async function indexOf(items: PackItemInput[]): Promise<CatalogueIndex> {
  const { files } = await buildPackFiles({
    id: 'search-test',
    title: 'Search test',
    model: MODEL,
    pricing: { currency: 'INR', source: 'feed', note: '' },
    paths: { image: 'i/{id}.jpg', thumbnail: 't/{id}.webp' },
    items,
  });
  return new CatalogueIndex(await readPack(async (p) => files.get(p)!, 'memory'), 'https://x/pack.json');
}

describe('catalogue search', () => {
  it('keeps the k best with a stable order for ties', () => {
    const top = new TopKCollector(3);
    [0.1, 0.9, 0.5, 0.9, 0.2, 0.7].forEach((s, r) => top.push(r, s));
    const { rows, scores } = top.result();
    expect([...rows]).toEqual([1, 3, 5]);
    expect([...scores]).toEqual([0.9, 0.9, 0.7].map((x) => Math.fround(x)));
  });

  it('ranks like a float brute-force reference, up to ties within int8 error', async () => {
    const items = syntheticItems(3000, 256, 7);
    const index = await indexOf(items);
    const queries = clusteredVectors(40, 256, 99);
    // The int8 error bound on one cosine: the largest |cos(q, int8 row) − cos(q, float row)| seen.
    let tol = 0;
    for (let qi = 0; qi < 40; qi++) {
      const q = queries.subarray(qi * 256, (qi + 1) * 256);
      const float = items.map((it) => cosine(q, it.embedding));
      const got = index.rank(q, 10, undefined, { method: 'exact' });
      got.rows.forEach((r, i) => (tol = Math.max(tol, Math.abs(got.scores[i]! - float[r]!))));
      const ref = float.map((s, r) => ({ r, s })).sort((a, b) => b.s - a.s).slice(0, 10);
      for (let i = 0; i < 10; i++) {
        const mine = got.rows[i]!;
        // Same id at each rank, unless the two swapped items' float scores are within 2×tol (a tie).
        if (mine !== ref[i]!.r) expect(Math.abs(float[mine]! - ref[i]!.s)).toBeLessThanOrEqual(2 * tol + 1e-6);
      }
    }
    expect(tol).toBeGreaterThan(0);
    expect(tol).toBeLessThan(0.01);
  });

  it('applies facet and price filters (AND across fields, OR within one)', async () => {
    const items = syntheticItems(2000, 256, 3);
    const index = await indexOf(items);
    const q = items[5]!.embedding;
    const filters = { gender: ['Women', 'Girls'], usage: ['Ethnic'], priceMin: 1000, priceMax: 3000 };
    const res = index.rank(q, 20, filters, { method: 'exact' });
    const expected = items.filter(
      (it) => ['Women', 'Girls'].includes(it.attributes.gender!) && it.attributes.usage === 'Ethnic' && it.priceInr! >= 1000 && it.priceInr! <= 3000,
    );
    expect(res.scanned).toBe(expected.length);
    expect(res.rows.length).toBe(Math.min(20, expected.length));
    for (const r of res.rows) {
      const it = index.item(r);
      expect(['Women', 'Girls']).toContain(it.attributes.gender);
      expect(it.attributes.usage).toBe('Ethnic');
      expect(it.priceInr).toBeGreaterThanOrEqual(1000);
      expect(it.priceInr).toBeLessThanOrEqual(3000);
    }
    expect(index.rank(q, 5, { articleType: ['No such type'] }).rows.length).toBe(0);
  });

  it('"more like this" excludes the item itself and returns its nearest neighbours', async () => {
    const items = syntheticItems(1000, 256, 5);
    const index = await indexOf(items);
    const row = index.rowOf('SKU-42');
    const res = index.rank(index.vectorOf(row), 5, undefined, { exclude: row });
    expect([...res.rows]).not.toContain(row);
    const ref = items
      .map((it, r) => ({ r, s: r === row ? -2 : cosine(items[row]!.embedding, it.embedding) }))
      .sort((a, b) => b.s - a.s);
    expect(res.rows[0]).toBe(ref[0]!.r);
  });

  it('an IVF index reaches recall@10 ≥ 0.95 of exact search (measured on 20k clustered vectors)', async () => {
    const items = syntheticItems(20_000, 256, 11);
    const index = await indexOf(items);
    const t0 = performance.now();
    const ivf = index.ensureIvf(true)!;
    const buildMs = performance.now() - t0;
    const queries = queriesNear(items, 100, 0.04, 12);
    let hit = 0;
    let exactMs = 0;
    let ivfMs = 0;
    for (let qi = 0; qi < 100; qi++) {
      const q = queries[qi]!;
      let t = performance.now();
      const exact = index.rank(q, 10, undefined, { method: 'exact' });
      exactMs += performance.now() - t;
      t = performance.now();
      const approx = index.rank(q, 10, undefined, { method: 'ivf' });
      ivfMs += performance.now() - t;
      const want = new Set(exact.rows);
      hit += [...approx.rows].filter((r) => want.has(r)).length;
    }
    const recall = hit / 1000;
    console.log(
      `[measure] IVF nlist=${ivf.nlist} nprobe=${ivf.nprobe} on 20k: recall@10=${recall.toFixed(3)}, build ${buildMs.toFixed(0)} ms, ` +
        `mean query exact ${(exactMs / 100).toFixed(2)} ms vs ivf ${(ivfMs / 100).toFixed(2)} ms (Node)`,
    );
    expect(recall).toBeGreaterThanOrEqual(0.95);
    // A narrow filter still fills the page: IVF probes further lists until k eligible rows are found.
    const narrow = index.rank(queries[0]!, 10, { articleType: ['Sarees'], gender: ['Boys'], usage: ['Formal'] }, { method: 'ivf' });
    expect(narrow.rows.length).toBe(10);
  }, 60_000);

  it('rejects a query embedding from another model', async () => {
    const index = await indexOf(syntheticItems(10));
    expect(() => index.rank(new Float32Array(128), 5)).toThrow(/128 dimensions; the catalogue "search-test" has 256/);
    expect(PACK_LIMITS.maxItems).toBeGreaterThan(100_000);
  });
});
