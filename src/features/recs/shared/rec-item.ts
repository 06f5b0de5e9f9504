/**
 * The minimal view of a catalogue item that ranking needs. The catalogue pack (features/catalogue)
 * is adapted to this shape, so ranking, the simulator and the eval CLI do not depend on how packs
 * are stored.
 */

/** The attribute heads ranking reasons about (the same names as the model's heads). */
export const REC_ATTRIBUTES = ['gender', 'articleType', 'usage', 'colour', 'season'] as const;
export type RecAttribute = (typeof REC_ATTRIBUTES)[number];
export type RecAttributes = Record<RecAttribute, string>;

export interface RecItem {
  id: string;
  title?: string;
  attributes: RecAttributes;
  /** Price in rupees (₹). */
  priceInr: number;
  /** L2-normalised visual embedding; every item in a catalogue has the same length. */
  embedding: Float32Array;
  /** Any non-negative popularity signal (orders, views); missing means unknown (treated as 0). */
  popularity?: number;
}

export class RecsError extends Error {
  override name = 'RecsError';
}

/**
 * Price bands in ₹ that shoppers think in. Upper bounds are exclusive; the last band is open.
 * Affinity is computed per band, so a shopper who buys ₹700 kurtas is not shown ₹9,000 ones.
 */
export const PRICE_BAND_UPPER_INR = [500, 1000, 2000, 5000] as const;
export const PRICE_BAND_LABELS = ['under ₹500', '₹500–999', '₹1,000–1,999', '₹2,000–4,999', '₹5,000 and above'] as const;

export function priceBand(priceInr: number): number {
  let band = 0;
  while (band < PRICE_BAND_UPPER_INR.length && priceInr >= PRICE_BAND_UPPER_INR[band]!) band++;
  return band;
}
