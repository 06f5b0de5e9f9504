/**
 * Adapts a loaded catalogue pack (features/catalogue) to the items ranking works on. Embeddings
 * are dequantised from int8 (rebuildRecIndex re-normalises them); unknown facets become "" so they
 * simply never match; items without a price fall in the lowest band.
 */
import type { LoadedPack } from '../../catalogue/shared/pack-reader.ts';
import { REC_ATTRIBUTES, type RecAttributes, type RecItem } from './rec-item.ts';

export function recItemsFromPack(pack: LoadedPack): RecItem[] {
  const { manifest, items, codes, scales } = pack;
  const dims = manifest.model.embeddingDims;
  const out: RecItem[] = [];
  for (let r = 0; r < manifest.itemCount; r++) {
    const attributes = {} as RecAttributes;
    for (const a of REC_ATTRIBUTES) {
      const code = items.attributes[a]?.[r] ?? -1;
      attributes[a] = code >= 0 ? (manifest.facets[a][code] ?? '') : '';
    }
    const embedding = new Float32Array(dims);
    const s = scales[r]!;
    for (let d = 0; d < dims; d++) embedding[d] = codes[r * dims + d]! * s;
    out.push({ id: items.ids[r]!, title: items.titles[r]!, attributes, priceInr: items.prices[r] ?? 0, embedding });
  }
  return out;
}
