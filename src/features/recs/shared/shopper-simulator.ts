/**
 * A synthetic shopper simulator for offline evaluation. NOTHING HERE IS REAL SHOPPER DATA.
 *
 * Each simulated shopper has hidden tastes drawn from the catalogue's own attributes: a gender,
 * three favourite article types, usage leanings (Ethnic / Casual / Formal / Sports), two favourite
 * colours, a price band and a personal visual style (near one catalogue item). Every session has an
 * intent (one favourite type). The shopper picks items with probability ∝ exp(utility / temperature),
 * times (1 + the item's popularity)^0.8 (popular items draw attention beyond taste) (docs/recommendations.md gives the
 * formula). The last pick is held out; recommenders see the earlier events only.
 */
import type { HistoryEvent, HistoryKind } from './history.ts';
import { attributeValue, rowDot, rowOf, type RecIndex } from './rec-index.ts';
import { seededRandom, type Rng } from '../../../shared/seeded-random.ts';

export interface SimulatedShopper {
  history: HistoryEvent[];
  /** Catalogue index of the held-out next item. */
  target: number;
  now: number;
}

export interface SimulatorOptions {
  shoppers: number;
  seed?: number;
  /** Events per shopper before the held-out one (inclusive range). */
  minEvents?: number;
  maxEvents?: number;
  /** Lower = shoppers stick more closely to their tastes. */
  temperature?: number;
  /** See DEFAULT_POPULARITY_EXPONENT. */
  popularityExponent?: number;
}

/** Utility weights of the simulated shopper (documented in docs/recommendations.md). */
export const SIM_UTILITY = {
  genderMatch: 2,
  genderMismatch: -4,
  favouriteType: 1.2,
  sessionIntent: 1.5,
  usage: 1,
  favouriteColour: 0.8,
  priceBandDistance: -0.6,
  style: 2.5,
} as const;

/**
 * Popular items draw attention out of proportion to taste (rich-get-richer): pick probability is
 * multiplied by (1 + raw popularity)^POPULARITY_EXPONENT. 0 would make popularity irrelevant.
 */
export const DEFAULT_POPULARITY_EXPONENT = 0.8;

const KIND_SHARE: [HistoryKind, number][] = [
  ['view', 0.7],
  ['wishlist', 0.15],
  ['cart', 0.1],
  ['photo-search', 0.05],
];

/** Log pick weight per item, up to a constant: taste utility / temperature + exponent × log(1 + popularity). */
function shopperLogWeights(index: RecIndex, rng: Rng, temperature: number, popularityExponent: number): Float64Array {
  const gender = rng.next() < 0.5 ? 'Men' : 'Women';
  const compatible = (i: number): boolean => {
    const g = attributeValue(index, 'gender', i);
    return g === gender || g === 'Unisex';
  };
  // Favourite types drawn in proportion to how common they are for this gender.
  const typeCount = new Map<string, number>();
  for (let i = 0; i < index.size; i++) {
    if (!compatible(i)) continue;
    const t = attributeValue(index, 'articleType', i);
    typeCount.set(t, (typeCount.get(t) ?? 0) + 1);
  }
  const types = [...typeCount.keys()];
  const favourites = new Set<string>();
  while (favourites.size < Math.min(3, types.length)) favourites.add(types[rng.weighted(types.map((t) => typeCount.get(t)!))]!);
  const fav = [...favourites];
  const intent = rng.pick(fav);
  const usageWeight = new Map(index.attributes.usage.values.map((u) => [u, -Math.log(1 - rng.next())]));
  const maxUsage = Math.max(...usageWeight.values());
  const colours = index.attributes.colour.values;
  const favColours = new Set([rng.pick(colours), rng.pick(colours)]);
  const band = rng.weighted([2, 3, 3, 2, 1]);
  // Personal style: near a random item of a favourite type.
  const candidates: number[] = [];
  for (let i = 0; i < index.size; i++) if (compatible(i) && attributeValue(index, 'articleType', i) === intent) candidates.push(i);
  const styleItem = candidates.length > 0 ? rng.pick(candidates) : rng.int(index.size);
  const style = Float32Array.from(rowOf(index, styleItem), (v) => v + 0.08 * rng.normal());
  let n = 0;
  for (const v of style) n += v * v;
  for (let d = 0; d < style.length; d++) style[d]! /= Math.sqrt(n);

  const u = new Float64Array(index.size);
  const U = SIM_UTILITY;
  for (let i = 0; i < index.size; i++) {
    const g = attributeValue(index, 'gender', i);
    const t = attributeValue(index, 'articleType', i);
    let s = g === gender ? U.genderMatch : g === 'Unisex' ? U.genderMatch / 2 : U.genderMismatch;
    if (favourites.has(t)) s += U.favouriteType;
    if (t === intent) s += U.sessionIntent;
    s += U.usage * (usageWeight.get(attributeValue(index, 'usage', i))! / maxUsage);
    if (favColours.has(attributeValue(index, 'colour', i))) s += U.favouriteColour;
    s += U.priceBandDistance * Math.abs(index.priceBands[i]! - band);
    s += U.style * rowDot(index, i, style);
    u[i] = s / temperature + popularityExponent * index.popularity[i]! * index.popularityScale;
  }
  return u;
}

export function simulateShoppers(index: RecIndex, options: SimulatorOptions): SimulatedShopper[] {
  const {
    shoppers,
    seed = 11,
    minEvents = 4,
    maxEvents = 12,
    temperature = 0.6,
    popularityExponent = DEFAULT_POPULARITY_EXPONENT,
  } = options;
  const rng = seededRandom(seed);
  const now = Date.UTC(2026, 11, 4, 12);
  const out: SimulatedShopper[] = [];
  for (let s = 0; s < shoppers; s++) {
    const u = shopperLogWeights(index, rng, temperature, popularityExponent);
    let max = -Infinity;
    for (const v of u) max = Math.max(max, v);
    const cumulative = new Float64Array(index.size);
    let total = 0;
    for (let i = 0; i < index.size; i++) {
      total += Math.exp(u[i]! - max);
      cumulative[i] = total;
    }
    const draw = (): number => {
      const r = rng.next() * total;
      let lo = 0;
      let hi = index.size - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! > r) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    };
    const length = minEvents + rng.int(maxEvents - minEvents + 1);
    const picked = new Set<number>();
    const sequence: number[] = [];
    // Distinct items only: a revisit is not a new thing to recommend. Bounded tries keep tiny catalogues safe.
    for (let tries = 0; sequence.length < length + 1 && tries < 50 * (length + 1); tries++) {
      const i = draw();
      if (picked.has(i)) continue;
      picked.add(i);
      sequence.push(i);
    }
    if (sequence.length < 2) continue;
    const target = sequence.pop()!;
    const start = now - rng.next() * 48 * 3_600_000;
    const history = sequence.map((i, k): HistoryEvent => {
      const kind = KIND_SHARE[rng.weighted(KIND_SHARE.map(([, p]) => p))]![0];
      const at = start + k * 120_000;
      if (kind !== 'photo-search') return { kind, at, itemId: index.ids[i]! };
      // A photo of something like item i: its embedding blurred, with the tags a model would predict.
      const e = Float32Array.from(rowOf(index, i), (v) => v + 0.05 * rng.normal());
      return {
        kind,
        at,
        embedding: e,
        attributes: { articleType: attributeValue(index, 'articleType', i), colour: attributeValue(index, 'colour', i) },
      };
    });
    out.push({ history, target, now: start + sequence.length * 120_000 });
  }
  return out;
}
