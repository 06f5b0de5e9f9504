import { describe, expect, it } from 'vitest';
import { buildPackFiles } from '../../src/features/catalogue/shared/pack-writer.ts';
import { readPack } from '../../src/features/catalogue/shared/pack-reader.ts';
import { recItemsFromPack } from '../../src/features/recs/shared/from-pack.ts';
import { buildRecIndex, rowCosine } from '../../src/features/recs/shared/rec-index.ts';
import { buildProfile } from '../../src/features/recs/shared/profile.ts';
import { youMayAlsoLike } from '../../src/features/recs/shared/rank.ts';
import { syntheticCatalogue } from '../../src/features/recs/shared/synthetic-catalogue.ts';

describe('recommendations over a catalogue pack', () => {
  it('reads items, facets, prices and int8 embeddings from a pack and ranks them', async () => {
    const source = syntheticCatalogue({ size: 300, dims: 64, seed: 4 });
    const { files } = await buildPackFiles({
      id: 'test',
      title: 'Test pack',
      model: { id: 'm', version: '1', embeddingDims: 64 },
      pricing: { currency: 'INR', source: 'feed', note: 'test' },
      paths: { image: 'images/{id}.jpg', thumbnail: 'thumbs/{id}.jpg' },
      items: source.map((s, i) => ({
        id: s.id,
        title: s.title!,
        // One item without a colour and one without a price: packs may lack either.
        attributes: i === 0 ? { ...s.attributes, colour: undefined } : s.attributes,
        predicted: [],
        priceInr: i === 1 ? null : s.priceInr,
        image: null,
        thumbnail: null,
        embedding: s.embedding,
      })),
    });
    const pack = await readPack(async (path) => files.get(path)!, 'memory');
    const items = recItemsFromPack(pack);
    expect(items).toHaveLength(300);
    expect(items[5]).toMatchObject({ id: source[5]!.id, title: source[5]!.title, attributes: source[5]!.attributes, priceInr: source[5]!.priceInr });
    expect(items[0]!.attributes.colour).toBe('');
    expect(items[1]!.priceInr).toBe(0);

    const fromPack = buildRecIndex(items);
    const original = buildRecIndex(source);
    // int8 storage keeps cosines within a hair of the float originals.
    for (const [a, b] of [[3, 7], [10, 200], [42, 43]] as const) {
      expect(Math.abs(rowCosine(fromPack, a, b) - rowCosine(original, a, b))).toBeLessThan(0.01);
    }
    const history = [{ kind: 'view' as const, at: 0, itemId: source[9]!.id }];
    const row = youMayAlsoLike(fromPack, buildProfile(fromPack, history, 0));
    expect(row).toHaveLength(10);
    expect(row.some((r) => r.id === source[9]!.id)).toBe(false);
  });
});
