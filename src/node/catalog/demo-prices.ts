/**
 * Illustrative INR prices for the demo catalogue. The public dataset has no prices, so the demo
 * derives them deterministically from the article type (a plausible range per type) and the item
 * id (where in that range), and the pack says so in its pricing note. Never used for a real feed.
 */

/** [lowest, highest] rupees per article type, roughly what Indian fashion sites charge. */
const RANGES: Record<string, [number, number]> = {
  Tshirts: [299, 1299],
  Shirts: [599, 2499],
  Tops: [399, 1499],
  Kurtas: [699, 2999],
  Kurtis: [499, 1999],
  Sarees: [999, 7999],
  'Lehenga Choli': [2499, 14999],
  Dupatta: [299, 1499],
  'Salwar and Dupatta': [999, 3999],
  Jeans: [799, 2999],
  Trousers: [699, 2499],
  Shorts: [399, 1299],
  Dresses: [799, 3499],
  'Casual Shoes': [999, 3999],
  'Sports Shoes': [1499, 6999],
  'Formal Shoes': [1499, 4999],
  Heels: [799, 3499],
  Flats: [399, 1499],
  Sandals: [499, 1999],
  'Flip Flops': [199, 799],
  Watches: [999, 9999],
  Handbags: [699, 4999],
  Sunglasses: [599, 3999],
  Belts: [299, 1299],
  Wallets: [299, 1499],
  Backpacks: [699, 2999],
  Socks: [99, 399],
  Caps: [199, 799],
  Jackets: [1499, 5999],
  Sweatshirts: [799, 2499],
  Sweaters: [799, 2499],
  'Track Pants': [599, 1999],
  Briefs: [149, 599],
  Bra: [299, 1299],
  Jewellery: [299, 2999],
  Earrings: [199, 1499],
};
const DEFAULT_RANGE: [number, number] = [399, 1999];

export const DERIVED_PRICE_NOTE =
  'Illustrative prices: the source dataset has none, so each price is derived deterministically from the article type and the item id. Not real prices.';

/** FNV-1a: a stable hash of the id so the same item always gets the same price. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A price in whole rupees ending in 9 (₹1,299 style), inside the article type's range. */
export function derivedPriceInr(articleType: string | undefined, id: string): number {
  const [lo, hi] = (articleType && RANGES[articleType]) || DEFAULT_RANGE;
  const steps = Math.floor((hi - lo) / 100);
  return lo + (hash(id) % (steps + 1)) * 100;
}
