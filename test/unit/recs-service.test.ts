import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../src/features/recs/shared/history.ts';
import { RecsError } from '../../src/features/recs/shared/rec-item.ts';
import { syntheticCatalogue } from '../../src/features/recs/shared/synthetic-catalogue.ts';
import { createRecsService } from '../../src/features/recs/worker/recs-service.ts';

const catalogue = syntheticCatalogue({ size: 10_000, dims: 128, seed: 2 });

describe('recommendation service (worker side)', () => {
  it('explains that a catalogue is needed before any row', async () => {
    const recs = createRecsService({ readHistory: async () => [] });
    await expect(recs.forYou()).rejects.toThrow(/No catalogue is loaded/);
  });

  it('serves similar and personal rows from a 10,000-item catalogue, reading history through its source', async () => {
    const kurtis = catalogue.filter((c) => c.attributes.articleType === 'Kurtis').slice(0, 5);
    const history: HistoryEvent[] = kurtis.map((c, i) => ({ kind: 'view', at: 1_000 + i, itemId: c.id }));
    let reads = 0;
    const recs = createRecsService({
      readHistory: async () => {
        reads++;
        return history;
      },
      now: () => 10_000,
    });
    const loaded = await recs.setCatalogue(catalogue);
    expect(loaded).toMatchObject({ items: 10_000, dims: 128 });

    const similar = await recs.similar(kurtis[0]!.id, { k: 8 });
    expect(similar.kind).toBe('similar');
    expect(similar.items).toHaveLength(8);
    expect(similar.items[0]!.reason).toMatch(/^Looks similar/);

    const forYou = await recs.forYou({ excludeIds: [similar.items[0]!.id] });
    expect(reads).toBe(1);
    expect(forYou.coldStart).toBe(false);
    expect(forYou.items).toHaveLength(10);
    expect(forYou.items.some((r) => r.id === similar.items[0]!.id)).toBe(false);
    expect(forYou.items.filter((r) => catalogue.find((c) => c.id === r.id)!.attributes.usage === 'Ethnic').length).toBeGreaterThanOrEqual(7);
    expect(forYou.items.some((r) => r.reason.startsWith('Because you viewed'))).toBe(true);
    console.info(`10,000 items, Node: similar row ${similar.computeMs.toFixed(1)} ms, for-you row ${forYou.computeMs.toFixed(1)} ms`);

    const cold = await recs.forYou({ history: [] });
    expect(cold.coldStart).toBe(true);
    expect(cold.items.every((r) => r.reason === 'Popular in this store')).toBe(true);
  });

  it('rejects unknown items and presets with actionable messages', async () => {
    const recs = createRecsService({ readHistory: async () => [] });
    await recs.setCatalogue(catalogue.slice(0, 50));
    await expect(recs.similar('nope')).rejects.toThrow(RecsError);
    await expect(recs.similar('nope')).rejects.toThrow(/nope is not in the loaded catalogue/);
    await expect(recs.forYou({ preset: 'fancy' as 'balanced' })).rejects.toThrow(/Unknown ranking preset "fancy"/);
    await expect(recs.forYou({ preset: 'toString' as 'balanced' })).rejects.toThrow(/Unknown ranking preset "toString"/);
  });
});
