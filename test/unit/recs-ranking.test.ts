import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../src/features/recs/shared/history.ts';
import { buildProfile } from '../../src/features/recs/shared/profile.ts';
import { dotAll, explanationText, RANKING_PRESETS, similarItems, youMayAlsoLike } from '../../src/features/recs/shared/rank.ts';
import { attributeValue, buildRecIndex, rowCosine, type RecIndex } from '../../src/features/recs/shared/rec-index.ts';
import { RecsError, priceBand, type RecItem } from '../../src/features/recs/shared/rec-item.ts';
import { syntheticCatalogue } from '../../src/features/recs/shared/synthetic-catalogue.ts';
import { topK } from '../../src/features/recs/shared/top-k.ts';

const NOW = Date.UTC(2026, 11, 4, 10);
const catalogue = syntheticCatalogue({ size: 3000, dims: 64, seed: 5 });
const index = buildRecIndex(catalogue);

function itemsWhere(pred: (i: number) => boolean, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < index.size && out.length < n; i++) if (pred(i)) out.push(i);
  return out;
}
const views = (idx: number[], start = NOW - 3_600_000, kind: HistoryEvent['kind'] = 'view'): HistoryEvent[] =>
  idx.map((i, k) => ({ kind, at: start + k * 60_000, itemId: index.ids[i]! }));
const share = (row: { index: number }[], pred: (i: number) => boolean): number => row.filter((r) => pred(r.index)).length / row.length;
const is = (a: Parameters<typeof attributeValue>[1], v: string) => (i: number) => attributeValue(index, a, i) === v;

describe('you may also like', () => {
  it('gives a new shopper a popular row that is varied', () => {
    const row = youMayAlsoLike(index, buildProfile(index, [], NOW));
    expect(row).toHaveLength(10);
    const popularTop100 = new Set(Array.from(index.popularOrder.subarray(0, 100)));
    expect(row.every((r) => popularTop100.has(r.index))).toBe(true);
    expect(row.every((r) => r.explanation.reason === 'popular')).toBe(true);
    expect(new Set(row.map((r) => attributeValue(index, 'articleType', r.index))).size).toBeGreaterThanOrEqual(4);
  });

  it('follows history: women’s ethnic views give an ethnic women’s row, men’s formal views a men’s formal one', () => {
    const ethnic = itemsWhere((i) => is('usage', 'Ethnic')(i) && is('gender', 'Women')(i), 6);
    const ethnicRow = youMayAlsoLike(index, buildProfile(index, views(ethnic), NOW));
    expect(share(ethnicRow, is('usage', 'Ethnic'))).toBeGreaterThanOrEqual(0.8);
    expect(share(ethnicRow, (i) => !is('gender', 'Men')(i))).toBe(1);

    const formal = itemsWhere((i) => is('usage', 'Formal')(i) && is('gender', 'Men')(i), 6);
    const formalRow = youMayAlsoLike(index, buildProfile(index, views(formal), NOW));
    expect(share(formalRow, is('usage', 'Formal'))).toBeGreaterThanOrEqual(0.7);
    expect(share(formalRow, (i) => !is('gender', 'Women')(i))).toBe(1);
    expect(new Set(formalRow.map((r) => r.id)).size).toBe(10);
    expect(formalRow.some((r) => ethnicRow.some((e) => e.id === r.id))).toBe(false);
  });

  it('weights recent events over old ones', () => {
    const sarees = itemsWhere(is('articleType', 'Sarees'), 4);
    const shoes = itemsWhere((i) => is('articleType', 'Sports Shoes')(i) && is('gender', 'Women')(i), 4);
    const oldSarees = views(sarees, NOW - 10 * 24 * 3_600_000);
    const recentShoes = views(shoes, NOW - 600_000);
    const row = youMayAlsoLike(index, buildProfile(index, [...oldSarees, ...recentShoes], NOW));
    expect(share(row, is('articleType', 'Sports Shoes'))).toBeGreaterThan(share(row, is('articleType', 'Sarees')));
    // The reverse order of the same events flips it.
    const flipped = youMayAlsoLike(index, buildProfile(index, [...views(shoes, NOW - 10 * 24 * 3_600_000), ...views(sarees, NOW - 600_000)], NOW));
    expect(share(flipped, is('articleType', 'Sarees'))).toBeGreaterThan(share(flipped, is('articleType', 'Sports Shoes')));
  });

  it('never recommends what the shopper already has, and explains itself with their history', () => {
    const kurtas = itemsWhere(is('articleType', 'Kurtas'), 3);
    const history = views(kurtas, NOW - 60_000, 'cart');
    const row = youMayAlsoLike(index, buildProfile(index, history, NOW));
    expect(row.some((r) => kurtas.includes(r.index))).toBe(false);
    const fromHistory = row.filter((r) => r.explanation.reason === 'history');
    expect(fromHistory.length).toBeGreaterThan(0);
    const first = fromHistory[0]!;
    expect(first.explanation.reason === 'history' && kurtas.map((i) => index.ids[i]).includes(first.explanation.itemId!)).toBe(true);
    expect(explanationText(first.explanation)).toMatch(/^Because you added to your cart /);
  });

  it('uses a photo search (embedding + predicted tags) as evidence', () => {
    const saree = itemsWhere(is('articleType', 'Sarees'), 1)[0]!;
    const photo: HistoryEvent = {
      kind: 'photo-search',
      at: NOW - 1000,
      embedding: index.embeddings.slice(saree * index.dims, (saree + 1) * index.dims),
      attributes: { articleType: 'Sarees', usage: 'Ethnic' },
    };
    const row = youMayAlsoLike(index, buildProfile(index, [photo], NOW));
    expect(share(row, is('usage', 'Ethnic'))).toBeGreaterThanOrEqual(0.7);
    expect(row.some((r) => r.explanation.reason === 'history' && r.explanation.eventKind === 'photo-search')).toBe(true);
  });

  it('keeps a row from being ten copies of one shirt (MMR)', () => {
    const base = catalogue.find((c) => c.attributes.articleType === 'Shirts')!;
    const copies: RecItem[] = Array.from({ length: 30 }, (_, k) => ({
      ...base,
      id: `copy-${k}`,
      embedding: Float32Array.from(base.embedding, (v, d) => v + (d === k % base.embedding.length ? 0.01 : 0)),
      popularity: 1e6,
    }));
    const idx = buildRecIndex([...catalogue, ...copies]);
    const isCopy = (i: number) => idx.ids[i]!.startsWith('copy-');
    const profile = buildProfile(idx, [{ kind: 'view', at: NOW, itemId: 'copy-0' }], NOW);
    const plain = youMayAlsoLike(idx, profile, { weights: { ...RANKING_PRESETS.balanced, mmrLambda: 1 } });
    const diverse = youMayAlsoLike(idx, profile);
    expect(plain.filter((r) => isCopy(r.index)).length).toBeGreaterThanOrEqual(8);
    expect(diverse.filter((r) => isCopy(r.index)).length).toBeLessThanOrEqual(2);
    const meanPairSim = (row: { index: number }[]) => {
      let s = 0;
      let n = 0;
      for (let a = 0; a < row.length; a++) for (let b = a + 1; b < row.length; b++, n++) s += rowCosine(idx, row[a]!.index, row[b]!.index);
      return s / n;
    };
    expect(meanPairSim(diverse)).toBeLessThan(meanPairSim(plain) - 0.2);
  });
});

describe('similar items', () => {
  it('returns visually close items of the same type and a compatible gender, not the item itself', () => {
    const anchor = itemsWhere((i) => is('articleType', 'Kurtis')(i), 1)[0]!;
    const row = similarItems(index, anchor);
    expect(row).toHaveLength(10);
    expect(row.some((r) => r.index === anchor)).toBe(false);
    expect(share(row, is('articleType', 'Kurtis'))).toBeGreaterThanOrEqual(0.8);
    expect(row.every((r) => !is('gender', 'Men')(r.index))).toBe(true);
    expect(row[0]!.explanation).toEqual({ reason: 'similar', matches: expect.arrayContaining(['articleType']) });
    const meanCos = row.reduce((s, r) => s + rowCosine(index, anchor, r.index), 0) / row.length;
    const randomCos = Array.from({ length: 50 }, (_, k) => rowCosine(index, anchor, (k * 53) % index.size)).reduce((a, b) => a + b) / 50;
    expect(meanCos).toBeGreaterThan(randomCos + 0.3);
  });
});

describe('catalogue index and helpers', () => {
  it('rejects catalogues it cannot rank, with a message naming the item', () => {
    const a = catalogue[0]!;
    expect(() => buildRecIndex([])).toThrow(RecsError);
    expect(() => buildRecIndex([a, { ...a }])).toThrow(/appears twice/);
    expect(() => buildRecIndex([a, { ...a, id: 'short', embedding: new Float32Array(3) }])).toThrow(/short has a 3-dimensional/);
  });

  it('re-normalises embeddings and bands prices in rupees', () => {
    const a = catalogue[0]!;
    const idx: RecIndex = buildRecIndex([{ ...a, embedding: Float32Array.from(a.embedding, (v) => v * 3) }]);
    expect(rowCosine(idx, 0, 0)).toBeCloseTo(1, 5);
    expect([0, 499, 500, 999, 1000, 4999, 5000, 20000].map(priceBand)).toEqual([0, 0, 1, 1, 2, 3, 4, 4]);
  });

  it('scores with the int8 WASM kernel as the float JS loop does', () => {
    expect(index.kernel).not.toBeNull(); // Node and Chromium have WASM SIMD
    const jsOnly: RecIndex = { ...index, kernel: null };
    const v = index.embeddings.slice(17 * index.dims, 18 * index.dims);
    const viaKernel = dotAll(index, v, 2, new Float32Array(index.size).fill(1));
    const viaJs = dotAll(jsOnly, v, 2, new Float32Array(index.size).fill(1));
    let worst = 0;
    for (let j = 0; j < index.size; j++) worst = Math.max(worst, Math.abs(viaKernel[j]! - viaJs[j]!));
    expect(worst).toBeLessThan(0.02);
    expect(viaJs[17]).toBeCloseTo(3, 5); // 1 + 2 × cos(v, v)
    const row = (idx: RecIndex) => youMayAlsoLike(idx, buildProfile(idx, views([17, 18, 19]), NOW)).map((r) => r.id);
    expect(row(jsOnly).filter((id) => row(index).includes(id)).length).toBeGreaterThanOrEqual(8);
  });

  it('topK agrees with a full sort and honours exclusions', () => {
    const scores = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1);
    const expected = Array.from(scores.keys()).filter((i) => i % 7 !== 0).sort((a, b) => scores[b]! - scores[a]!).slice(0, 25);
    expect(Array.from(topK(scores, 25, (i) => i % 7 === 0))).toEqual(expected);
    expect(topK(scores, 0).length).toBe(0);
  });
});
