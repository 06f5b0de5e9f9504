/**
 * A synthetic catalogue for tests, the eval CLI (when no demo pack is built) and timing. Items get
 * plausible Indian-store attributes and ₹ prices, and embeddings built so that items of one article
 * type, style and colour lie close together, as a trained model's embeddings do. It is synthetic:
 * numbers measured on it say how the ranking behaves, not how real shoppers will respond.
 */
import type { RecItem } from './rec-item.ts';
import { seededRandom, type Rng } from '../../../shared/seeded-random.ts';

interface TypeSpec {
  articleType: string;
  genders: string[];
  usages: string[];
  priceInr: [number, number];
  /** Relative share of the catalogue. */
  share: number;
}

const TYPES: TypeSpec[] = [
  { articleType: 'Tshirts', genders: ['Men', 'Women'], usages: ['Casual', 'Sports'], priceInr: [299, 1299], share: 14 },
  { articleType: 'Shirts', genders: ['Men'], usages: ['Casual', 'Formal'], priceInr: [599, 2499], share: 12 },
  { articleType: 'Kurtas', genders: ['Men', 'Women'], usages: ['Ethnic'], priceInr: [499, 3499], share: 8 },
  { articleType: 'Kurtis', genders: ['Women'], usages: ['Ethnic'], priceInr: [399, 1799], share: 5 },
  { articleType: 'Sarees', genders: ['Women'], usages: ['Ethnic'], priceInr: [799, 9999], share: 4 },
  { articleType: 'Dupatta', genders: ['Women'], usages: ['Ethnic'], priceInr: [299, 1499], share: 2 },
  { articleType: 'Tops', genders: ['Women'], usages: ['Casual'], priceInr: [299, 1599], share: 6 },
  { articleType: 'Jeans', genders: ['Men', 'Women'], usages: ['Casual'], priceInr: [799, 3499], share: 6 },
  { articleType: 'Trousers', genders: ['Men', 'Women'], usages: ['Formal', 'Casual'], priceInr: [699, 2999], share: 5 },
  { articleType: 'Track Pants', genders: ['Men', 'Women'], usages: ['Sports'], priceInr: [499, 1999], share: 3 },
  { articleType: 'Casual Shoes', genders: ['Men', 'Women'], usages: ['Casual'], priceInr: [999, 4499], share: 7 },
  { articleType: 'Sports Shoes', genders: ['Men', 'Women'], usages: ['Sports'], priceInr: [1499, 6999], share: 4 },
  { articleType: 'Formal Shoes', genders: ['Men'], usages: ['Formal'], priceInr: [1499, 5999], share: 3 },
  { articleType: 'Heels', genders: ['Women'], usages: ['Casual', 'Formal'], priceInr: [799, 3999], share: 4 },
  { articleType: 'Handbags', genders: ['Women'], usages: ['Casual', 'Formal'], priceInr: [599, 5999], share: 5 },
  { articleType: 'Watches', genders: ['Men', 'Women', 'Unisex'], usages: ['Casual', 'Formal'], priceInr: [999, 14999], share: 5 },
  { articleType: 'Sunglasses', genders: ['Men', 'Women', 'Unisex'], usages: ['Casual'], priceInr: [499, 4999], share: 3 },
  { articleType: 'Flip Flops', genders: ['Men', 'Women', 'Unisex'], usages: ['Casual'], priceInr: [149, 799], share: 4 },
];
const COLOURS = ['Black', 'Blue', 'White', 'Brown', 'Grey', 'Red', 'Green', 'Purple', 'Pink', 'Yellow', 'Metallic', 'Orange', 'Multi'];
const COLOUR_SHARE = [16, 16, 13, 8, 8, 7, 6, 4, 6, 4, 3, 3, 6];
const SEASONS = ['Summer', 'Fall', 'Winter', 'Spring'];
const SEASON_SHARE = [45, 30, 15, 10];
/** Visually distinct styles per article type (e.g. check / solid / printed shirts). */
const STYLES_PER_TYPE = 6;

export interface SyntheticCatalogueOptions {
  size: number;
  dims?: number;
  seed?: number;
}

function randomUnit(rng: Rng, dims: number): Float32Array {
  const v = new Float32Array(dims);
  let n = 0;
  for (let d = 0; d < dims; d++) {
    v[d] = rng.normal();
    n += v[d]! * v[d]!;
  }
  const inv = 1 / Math.sqrt(n);
  for (let d = 0; d < dims; d++) v[d]! *= inv;
  return v;
}

export function syntheticCatalogue(options: SyntheticCatalogueOptions): RecItem[] {
  const { size, dims = 128, seed = 7 } = options;
  const rng = seededRandom(seed);
  const typeVec = TYPES.map(() => randomUnit(rng, dims));
  const styleVec = TYPES.map(() => Array.from({ length: STYLES_PER_TYPE }, () => randomUnit(rng, dims)));
  const colourVec = COLOURS.map(() => randomUnit(rng, dims));
  const usageVec = new Map(['Casual', 'Formal', 'Sports', 'Ethnic'].map((u) => [u, randomUnit(rng, dims)]));
  // Popularity is Zipf-like over a random order: a few items sell a lot, most rarely.
  const popRank = Array.from({ length: size }, (_, i) => i);
  for (let i = size - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [popRank[i], popRank[j]] = [popRank[j]!, popRank[i]!];
  }
  const items: RecItem[] = [];
  for (let i = 0; i < size; i++) {
    const t = rng.weighted(TYPES.map((x) => x.share));
    const spec = TYPES[t]!;
    const style = rng.int(STYLES_PER_TYPE);
    const c = rng.weighted(COLOUR_SHARE);
    const usage = rng.pick(spec.usages);
    const gender = rng.pick(spec.genders);
    const e = new Float32Array(dims);
    const noise = randomUnit(rng, dims);
    for (let d = 0; d < dims; d++) {
      e[d] = 1.0 * typeVec[t]![d]! + 0.7 * styleVec[t]![style]![d]! + 0.6 * colourVec[c]![d]! + 0.25 * usageVec.get(usage)![d]! + 0.55 * noise[d]!;
    }
    let n = 0;
    for (let d = 0; d < dims; d++) n += e[d]! * e[d]!;
    for (let d = 0; d < dims; d++) e[d]! /= Math.sqrt(n);
    const [lo, hi] = spec.priceInr;
    // Prices cluster log-uniformly and end in 9, like real listings.
    const price = Math.round(Math.exp(Math.log(lo) + rng.next() * (Math.log(hi) - Math.log(lo))) / 10) * 10 - 1;
    items.push({
      id: `syn-${i + 1}`,
      title: `${gender === 'Unisex' ? '' : `${gender}'s `}${COLOURS[c]} ${spec.articleType.replace(/s$/, '')} (style ${style + 1})`,
      attributes: { gender, articleType: spec.articleType, usage, colour: COLOURS[c]!, season: SEASONS[rng.weighted(SEASON_SHARE)]! },
      priceInr: Math.max(99, price),
      embedding: e,
      popularity: Math.round(5000 / Math.pow(popRank[i]! + 1, 0.9)),
    });
  }
  return items;
}
