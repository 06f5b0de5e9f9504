/**
 * The shopper's taste, rebuilt from local history on every request (cheap: history is capped at a
 * few hundred events). Recent and stronger events (cart > wishlist > photo search > view) count
 * more, so the row follows what the shopper is looking at now.
 */
import { KIND_WEIGHT, type HistoryEvent, type HistoryKind } from './history.ts';
import { PRICE_BAND_UPPER_INR, REC_ATTRIBUTES, type RecAttribute } from './rec-item.ts';
import type { RecIndex } from './rec-index.ts';

export interface DecayOptions {
  /** An event this many events back counts half as much as the latest one. */
  halfLifeEvents: number;
  /** An event this many hours old counts half as much as one just now. */
  halfLifeHours: number;
}

export const DEFAULT_DECAY: DecayOptions = { halfLifeEvents: 6, halfLifeHours: 72 };

/** One history event that can be named in an explanation. */
export interface ProfileAnchor {
  kind: HistoryKind;
  weight: number;
  embedding: Float32Array;
  /** Catalogue index when the event was about a catalogue item. */
  index: number | null;
  title: string;
}

export interface ShopperProfile {
  /** Unit taste vector, or null for a shopper with no usable history. */
  taste: Float32Array | null;
  /** Per attribute, share of (decayed) evidence for each catalogue code, in [0, 1]. */
  affinity: Record<RecAttribute, Float32Array>;
  /** Share of evidence per price band. */
  priceBands: Float32Array;
  /** Sum of decayed event weights: how much we know about the shopper. */
  evidence: number;
  /** Catalogue indices the shopper already interacted with (not recommended again). */
  seen: Set<number>;
  anchors: ProfileAnchor[];
}

export function buildProfile(
  index: RecIndex,
  history: readonly HistoryEvent[],
  now: number = Date.now(),
  decay: DecayOptions = DEFAULT_DECAY,
): ShopperProfile {
  const affinity = {} as Record<RecAttribute, Float32Array>;
  for (const a of REC_ATTRIBUTES) affinity[a] = new Float32Array(index.attributes[a].values.length);
  const priceBands = new Float32Array(PRICE_BAND_UPPER_INR.length + 1);
  const taste = new Float32Array(index.dims);
  const seen = new Set<number>();
  const anchors: ProfileAnchor[] = [];
  const attrTotal = {} as Record<RecAttribute, number>;
  for (const a of REC_ATTRIBUTES) attrTotal[a] = 0;
  let priceTotal = 0;
  let evidence = 0;

  // Latest first, so position decay counts back from the most recent event.
  const ordered = [...history].sort((x, y) => y.at - x.at);
  ordered.forEach((event, position) => {
    const ageHours = Math.max(0, now - event.at) / 3_600_000;
    const w =
      KIND_WEIGHT[event.kind] *
      Math.pow(0.5, position / decay.halfLifeEvents) *
      Math.pow(0.5, ageHours / decay.halfLifeHours);
    if (!(w > 0)) return;
    const i = event.itemId !== undefined ? index.byId.get(event.itemId) : undefined;
    let embedding: Float32Array | null = null;
    if (i !== undefined) {
      seen.add(i);
      embedding = index.embeddings.subarray(i * index.dims, (i + 1) * index.dims);
      for (const a of REC_ATTRIBUTES) {
        affinity[a][index.attributes[a].codes[i]!]! += w;
        attrTotal[a] += w;
      }
      priceBands[index.priceBands[i]!]! += w;
      priceTotal += w;
    } else {
      if (event.embedding && event.embedding.length === index.dims) embedding = event.embedding;
      for (const a of REC_ATTRIBUTES) {
        const value = event.attributes?.[a];
        const code = value === undefined ? -1 : index.attributes[a].values.indexOf(value);
        if (code >= 0) {
          affinity[a][code]! += w;
          attrTotal[a] += w;
        }
      }
    }
    if (!embedding) return; // an unknown item without an embedding tells us nothing
    evidence += w;
    for (let d = 0; d < index.dims; d++) taste[d]! += w * embedding[d]!;
    anchors.push({
      kind: event.kind,
      weight: w,
      embedding,
      index: i ?? null,
      title: i !== undefined ? index.titles[i]! : (event.title ?? 'your photo'),
    });
  });

  for (const a of REC_ATTRIBUTES) if (attrTotal[a] > 0) for (let c = 0; c < affinity[a].length; c++) affinity[a][c]! /= attrTotal[a];
  if (priceTotal > 0) for (let b = 0; b < priceBands.length; b++) priceBands[b]! /= priceTotal;
  let norm = 0;
  for (let d = 0; d < taste.length; d++) norm += taste[d]! * taste[d]!;
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let d = 0; d < taste.length; d++) taste[d]! *= inv;
  }
  return { taste: norm > 0 ? taste : null, affinity, priceBands, evidence, seen, anchors: anchors.slice(0, 20) };
}
