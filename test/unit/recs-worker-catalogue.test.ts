import { describe, expect, it } from 'vitest';
import { CatalogueIndex } from '../../src/features/catalogue/shared/catalogue-index.ts';
import { readPack } from '../../src/features/catalogue/shared/pack-reader.ts';
import { buildPackFiles } from '../../src/features/catalogue/shared/pack-writer.ts';
import { dropCatalogue, putCatalogue } from '../../src/features/catalogue/worker/catalogue-store.ts';
import { syntheticCatalogue } from '../../src/features/recs/shared/synthetic-catalogue.ts';
import { recsWorkerApi } from '../../src/features/recs/worker/recs-worker.ts';

async function catalogueIndex(id: string, size: number, seed: number, prefix = id): Promise<CatalogueIndex> {
  const items = syntheticCatalogue({ size, dims: 32, seed });
  const { files } = await buildPackFiles({
    id,
    title: id,
    model: { id: 'm', version: '1', embeddingDims: 32 },
    pricing: { currency: 'INR', source: 'feed', note: 'test' },
    paths: { image: 'images/{id}.jpg', thumbnail: 'thumbs/{id}.jpg' },
    items: items.map((s) => ({ id: `${prefix}-${s.id}`, title: s.title!, attributes: s.attributes, predicted: [], priceInr: s.priceInr, image: null, thumbnail: null, embedding: s.embedding })),
  });
  return new CatalogueIndex(await readPack(async (p) => files.get(p)!, id), 'memory:');
}

describe('recs worker over catalogues loaded by the catalogue feature', () => {
  it('draws rows from the named catalogue and follows its reloads', async () => {
    putCatalogue({ index: await catalogueIndex('shop', 120, 1) });
    const history = [{ kind: 'view' as const, at: Date.now(), itemId: 'shop-syn-3' }];
    const row = await recsWorkerApi.forYou({ catalogueId: 'shop', history });
    expect(row.items).toHaveLength(10);
    expect(row.items.every((r) => r.id.startsWith('shop-'))).toBe(true);
    expect((await recsWorkerApi.useCatalogue('shop')).items).toBe(120);

    // The catalogue feature reloads "shop" with other items: the next row comes from them.
    putCatalogue({ index: await catalogueIndex('shop', 80, 2, 'new') });
    const after = await recsWorkerApi.similar('new-syn-5', { catalogueId: 'shop', k: 5 });
    expect(after.items).toHaveLength(5);
    expect(after.items.every((r) => r.id.startsWith('new-'))).toBe(true);

    dropCatalogue('shop');
    await expect(recsWorkerApi.forYou({ catalogueId: 'shop', history })).rejects.toThrow(/catalogue "shop" is not loaded in the worker/);
  });
});
