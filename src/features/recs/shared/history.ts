/**
 * What the shopper did, as ranking sees it. Events are recorded on the device (history-store.ts)
 * and never leave it.
 */
import type { RecAttributes } from './rec-item.ts';

export const HISTORY_KINDS = ['view', 'photo-search', 'wishlist', 'cart'] as const;
export type HistoryKind = (typeof HISTORY_KINDS)[number];

export interface HistoryEvent {
  kind: HistoryKind;
  /** Milliseconds since the epoch. */
  at: number;
  /** The catalogue item involved (absent for a photo search, which has no item). */
  itemId?: string;
  /** A photo search's query embedding (the photo itself is never stored). */
  embedding?: Float32Array;
  /** A photo search's predicted tags, used as attribute evidence. */
  attributes?: Partial<RecAttributes>;
  /** Display text for explanations when the item is not in the catalogue any more. */
  title?: string;
}

/** How much each kind of event says about taste: adding to cart says more than a glance. */
export const KIND_WEIGHT: Record<HistoryKind, number> = {
  view: 1,
  'photo-search': 1.5,
  wishlist: 2,
  cart: 3,
};
