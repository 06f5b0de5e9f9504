/**
 * The two recommendation rows:
 * - similar items: visual similarity to one product plus agreement of its attributes;
 * - "you may also like": a hybrid of the shopper's taste vector, attribute affinities and a
 *   popularity prior that fades as history grows.
 * Both are re-ranked with MMR (maximal marginal relevance) so the row is varied.
 */
import type { HistoryKind } from './history.ts';
import { REC_ATTRIBUTES, PRICE_BAND_LABELS, type RecAttribute } from './rec-item.ts';
import { rowCosine, rowDot, type RecIndex } from './rec-index.ts';
import type { ShopperProfile } from './profile.ts';
import { topK } from './top-k.ts';

export interface RankingWeights {
  visual: number;
  attributes: Record<RecAttribute, number>;
  price: number;
  /** Popularity weight for a brand-new shopper; it shrinks as evidence grows (see popularityHalfEvidence). */
  popularity: number;
  /** Popularity weight that remains however much history there is. */
  popularityFloor: number;
  /** Evidence (sum of decayed event weights) at which the popularity prior is halved. */
  popularityHalfEvidence: number;
  /** MMR trade-off: 1 = pure relevance, 0 = pure novelty. */
  mmrLambda: number;
  /** How many top-scored candidates MMR chooses from. */
  candidates: number;
}

/** Named weightings, so an A/B experiment can compare them by name. */
export const RANKING_PRESETS = {
  balanced: {
    visual: 1,
    attributes: { gender: 0.6, articleType: 0.5, usage: 0.35, colour: 0.3, season: 0.1 },
    price: 0.3,
    popularity: 0.6,
    popularityFloor: 0.1,
    popularityHalfEvidence: 2,
    // Chosen on simulated shoppers (seed 5, not the reported seed 11): 0.6 gave more diverse rows than
    // 0.75 at the same hit-rate (differences within sampling noise); 0.4 gained nothing further.
    mmrLambda: 0.6,
    candidates: 100,
  },
  visual: {
    visual: 1.4,
    attributes: { gender: 0.5, articleType: 0.2, usage: 0.15, colour: 0.1, season: 0.05 },
    price: 0.15,
    popularity: 0.6,
    popularityFloor: 0.05,
    popularityHalfEvidence: 2,
    mmrLambda: 0.7,
    candidates: 100,
  },
} satisfies Record<string, RankingWeights>;
export type RankingPreset = keyof typeof RANKING_PRESETS;

export type Explanation =
  | { reason: 'history'; eventKind: HistoryKind; itemId: string | null; title: string }
  | { reason: 'attribute'; attribute: RecAttribute | 'price'; value: string }
  | { reason: 'popular' }
  | { reason: 'similar'; matches: RecAttribute[] };

export interface Recommendation {
  id: string;
  index: number;
  score: number;
  explanation: Explanation;
}

const VERB: Record<HistoryKind, string> = {
  view: 'viewed',
  'photo-search': 'searched with a photo for',
  wishlist: 'wishlisted',
  cart: 'added to your cart',
};

/** The explanation in English (the page localises from the structured form). */
export function explanationText(e: Explanation): string {
  switch (e.reason) {
    case 'history':
      return e.eventKind === 'photo-search' ? `Because you searched with a photo` : `Because you ${VERB[e.eventKind]} ${e.title}`;
    case 'attribute':
      return e.attribute === 'price' ? `In your usual price range (${e.value})` : `Because you like ${e.value}`;
    case 'popular':
      return 'Popular in this store';
    case 'similar':
      return e.matches.length > 0 ? `Looks similar · same ${e.matches.join(', ')}` : 'Looks similar';
  }
}

/**
 * Greedy MMR: repeatedly take the candidate maximising λ·relevance − (1−λ)·(max cosine to what is
 * already in the row). Relevance is rescaled to [0, 1] over the candidates so λ means the same
 * whatever the scoring scale. Near-duplicates of an item already in the row are only taken when
 * nothing else is left: MMR alone lets a cluster of identical listings with far higher scores through.
 */
/** Cosine above which two items count as the same product photographed twice (sizes, re-listings). */
export const NEAR_DUPLICATE_COSINE = 0.95;

export function mmr(index: RecIndex, candidates: Int32Array, scores: Float32Array, k: number, lambda: number): number[] {
  const n = candidates.length;
  if (n === 0 || k <= 0) return [];
  // λ = 1 means no re-ranking at all (the "without MMR" baseline): plain top-k by score.
  if (lambda >= 1) return Array.from(candidates.subarray(0, k));
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of candidates) {
    lo = Math.min(lo, scores[c]!);
    hi = Math.max(hi, scores[c]!);
  }
  const span = hi - lo || 1;
  const rel = Float32Array.from(candidates, (c) => (scores[c]! - lo) / span);
  const maxSim = new Float32Array(n).fill(-1);
  const taken = new Uint8Array(n);
  const out: number[] = [];
  while (out.length < Math.min(k, n)) {
    let best = -1;
    let bestValue = -Infinity;
    for (let j = 0; j < n; j++) {
      if (taken[j]) continue;
      let value = lambda * rel[j]! - (1 - lambda) * (out.length === 0 ? 0 : maxSim[j]!);
      if (maxSim[j]! >= NEAR_DUPLICATE_COSINE) value -= 10;
      if (value > bestValue) {
        bestValue = value;
        best = j;
      }
    }
    taken[best] = 1;
    const chosen = candidates[best]!;
    out.push(chosen);
    for (let j = 0; j < n; j++) {
      if (!taken[j]) maxSim[j] = Math.max(maxSim[j]!, rowCosine(index, chosen, candidates[j]!));
    }
  }
  return out;
}

/** For each gender code: may it be shown next to the anchor's gender? (Unisex goes with anything.) */
function genderCompatibility(index: RecIndex, anchor: number): Uint8Array {
  const values = index.attributes.gender.values;
  const mine = values[index.attributes.gender.codes[anchor]!];
  return Uint8Array.from(values, (v) => (v === mine || v === 'Unisex' || mine === 'Unisex' ? 1 : 0));
}

/**
 * scores[j] = base[j] + weight · (row j · v) for every catalogue row: the hot loop of both rows.
 * Uses the catalogue's int8 WASM SIMD kernel when available (int8 rounding moves a cosine by well
 * under 0.01, far below the gaps ranking depends on), else a flat JS loop with four accumulators.
 */
export function dotAll(index: RecIndex, v: Float32Array, weight: number, base: Float32Array): Float32Array {
  const { size, dims, embeddings, kernel } = index;
  const out = base;
  if (kernel) {
    const factor = kernel.setQuery(v) * weight;
    const ints = kernel.scoreAll();
    const scales = index.rowScales;
    for (let j = 0; j < size; j++) out[j] = out[j]! + factor * scales[j]! * ints[j]!;
    return out;
  }
  const d4 = dims - (dims % 4);
  for (let j = 0, off = 0; j < size; j++, off += dims) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let d = 0;
    for (; d < d4; d += 4) {
      s0 += embeddings[off + d]! * v[d]!;
      s1 += embeddings[off + d + 1]! * v[d + 1]!;
      s2 += embeddings[off + d + 2]! * v[d + 2]!;
      s3 += embeddings[off + d + 3]! * v[d + 3]!;
    }
    for (; d < dims; d++) s0 += embeddings[off + d]! * v[d]!;
    out[j] = out[j]! + weight * (s0 + s1 + s2 + s3);
  }
  return out;
}

export interface RowOptions {
  k?: number;
  weights?: RankingWeights;
  /** Catalogue indices to leave out (e.g. already in the cart). */
  exclude?: ReadonlySet<number>;
}

/** "Similar items" for the product at catalogue index `anchor`. */
export function similarItems(index: RecIndex, anchor: number, options: RowOptions = {}): Recommendation[] {
  const k = options.k ?? 10;
  const w = options.weights ?? RANKING_PRESETS.balanced;
  const attrs = index.attributes;
  const anchorBand = index.priceBands[anchor]!;
  // Per-item attribute agreement and price closeness come from small tables, so the loop over the
  // catalogue is one dot product plus a few typed-array reads.
  const base = new Float32Array(index.size);
  for (const a of REC_ATTRIBUTES) {
    const codes = attrs[a].codes;
    const code = codes[anchor]!;
    const wa = w.attributes[a];
    for (let j = 0; j < index.size; j++) if (codes[j] === code) base[j]! += wa;
  }
  // A men's shirt is not a useful "similar item" for a women's kurti, however alike the photos look.
  const genderCodes = attrs.gender.codes;
  const compatible = genderCompatibility(index, anchor);
  const bandBonus = Float32Array.from({ length: PRICE_BAND_LABELS.length }, (_, b) => w.price * (1 - Math.abs(b - anchorBand) / PRICE_BAND_LABELS.length));
  for (let j = 0; j < index.size; j++) {
    base[j]! += bandBonus[index.priceBands[j]!]! - (compatible[genderCodes[j]!] ? 0 : 2 * w.attributes.gender);
  }
  const scores = dotAll(index, index.embeddings.subarray(anchor * index.dims, (anchor + 1) * index.dims), w.visual, base);
  const candidates = topK(scores, w.candidates, (j) => j === anchor || options.exclude?.has(j) === true);
  // Similar rows lean further towards relevance than the personal row; MMR still removes near-duplicates.
  const row = mmr(index, candidates, scores, k, Math.min(0.95, w.mmrLambda + 0.1));
  return row.map((j) => ({
    id: index.ids[j]!,
    index: j,
    score: scores[j]!,
    explanation: {
      reason: 'similar',
      matches: REC_ATTRIBUTES.filter((a) => a !== 'season' && attrs[a].codes[j] === attrs[a].codes[anchor]),
    },
  }));
}

function attributeScore(profile: ShopperProfile, index: RecIndex, a: RecAttribute, code: number): number {
  const aff = profile.affinity[a];
  // Unisex items suit any shopper as well as their own gender's items do.
  if (a === 'gender' && index.attributes.gender.values[code] === 'Unisex') {
    let max = 0;
    for (const v of aff) max = Math.max(max, v);
    return max;
  }
  return aff[code]!;
}

/** The popularity weight for a shopper with this much evidence. */
export function popularityWeight(w: RankingWeights, evidence: number): number {
  return w.popularityFloor + (w.popularity - w.popularityFloor) * (w.popularityHalfEvidence / (w.popularityHalfEvidence + evidence));
}

/** "You may also like" for a shopper profile (a new shopper gets a varied popular row). */
export function youMayAlsoLike(index: RecIndex, profile: ShopperProfile, options: RowOptions = {}): Recommendation[] {
  const k = options.k ?? 10;
  const w = options.weights ?? RANKING_PRESETS.balanced;
  const popW = popularityWeight(w, profile.evidence);
  const base = new Float32Array(index.size);
  for (let j = 0; j < index.size; j++) base[j] = popW * index.popularity[j]!;
  const hasAttributes = profile.evidence > 0 || REC_ATTRIBUTES.some((a) => profile.affinity[a].some((v) => v > 0));
  if (hasAttributes) {
    // Affinity per attribute value, weighted once per request; the catalogue loop only looks them up.
    for (const a of REC_ATTRIBUTES) {
      const codes = index.attributes[a].codes;
      const table = Float32Array.from(index.attributes[a].values, (_, code) => w.attributes[a] * attributeScore(profile, index, a, code));
      for (let j = 0; j < index.size; j++) base[j]! += table[codes[j]!]!;
    }
    const bands = Float32Array.from(profile.priceBands, (share) => w.price * share);
    for (let j = 0; j < index.size; j++) base[j]! += bands[index.priceBands[j]!]!;
  }
  const scores = profile.taste ? dotAll(index, profile.taste, w.visual, base) : base;
  const exclude = (j: number): boolean => profile.seen.has(j) || options.exclude?.has(j) === true;
  const candidates = topK(scores, w.candidates, exclude);
  const row = mmr(index, candidates, scores, k, w.mmrLambda);
  return row.map((j) => ({ id: index.ids[j]!, index: j, score: scores[j]!, explanation: explain(index, profile, j) }));
}

/** Names the history event most like the item, else the strongest matching attribute, else popularity. */
function explain(index: RecIndex, profile: ShopperProfile, j: number): Explanation {
  let best: ShopperProfile['anchors'][number] | null = null;
  let bestValue = 0;
  for (const anchor of profile.anchors) {
    const sim = rowDot(index, j, anchor.embedding);
    // Require real visual likeness: "because you viewed X" must be believable when X is shown.
    const value = sim > 0.5 ? sim * Math.sqrt(anchor.weight) : 0;
    if (value > bestValue) {
      bestValue = value;
      best = anchor;
    }
  }
  if (best) {
    return { reason: 'history', eventKind: best.kind, itemId: best.index === null ? null : index.ids[best.index]!, title: best.title };
  }
  let bestAttr: RecAttribute | null = null;
  let bestShare = 0.5; // only claim a liking the shopper has shown in at least half of their evidence
  for (const a of ['usage', 'articleType', 'colour'] as const) {
    const share = profile.affinity[a][index.attributes[a].codes[j]!]!;
    if (share > bestShare) {
      bestShare = share;
      bestAttr = a;
    }
  }
  if (bestAttr) {
    const value = index.attributes[bestAttr].values[index.attributes[bestAttr].codes[j]!]!;
    return { reason: 'attribute', attribute: bestAttr, value: bestAttr === 'usage' ? `${value} wear` : value };
  }
  const band = index.priceBands[j]!;
  if (profile.priceBands[band]! > 0.5) return { reason: 'attribute', attribute: 'price', value: PRICE_BAND_LABELS[band]! };
  return { reason: 'popular' };
}
