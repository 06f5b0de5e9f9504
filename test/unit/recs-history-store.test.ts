import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { HISTORY_LIMIT, HistoryStore } from '../../src/features/recs/shared/history-store.ts';
import { RecsError } from '../../src/features/recs/shared/rec-item.ts';

let n = 0;
const stores: HistoryStore[] = [];
async function fresh(): Promise<HistoryStore> {
  const s = await HistoryStore.open(`history-test-${n++}`);
  stores.push(s);
  return s;
}
afterEach(() => stores.splice(0).forEach((s) => s.close()));

describe('history store (IndexedDB)', () => {
  it('records events and returns the latest ones oldest first, surviving a reopen', async () => {
    const name = `history-test-${n++}`;
    const s = await HistoryStore.open(name);
    await s.record({ kind: 'view', at: 3000, itemId: 'b' });
    await s.record({ kind: 'view', at: 1000, itemId: 'a' });
    await s.record({ kind: 'cart', at: 5000, itemId: 'c', title: 'Blue kurta' });
    await s.record({ kind: 'photo-search', at: 4000, embedding: new Float32Array([0.6, 0.8]), attributes: { articleType: 'Kurtas' } });
    s.close();
    const again = await HistoryStore.open(name);
    stores.push(again);
    const all = await again.recent();
    expect(all.map((e) => e.kind)).toEqual(['view', 'view', 'photo-search', 'cart']);
    expect(all.map((e) => e.at)).toEqual([1000, 3000, 4000, 5000]);
    expect(all[2]!.embedding).toBeInstanceOf(Float32Array);
    expect(Array.from(all[2]!.embedding!)).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    expect(all[3]).toEqual({ kind: 'cart', at: 5000, itemId: 'c', title: 'Blue kurta' });
    expect((await again.recent(2)).map((e) => e.itemId)).toEqual([undefined, 'c']);
  });

  it(`keeps at most ${HISTORY_LIMIT} events, dropping the oldest`, async () => {
    const s = await fresh();
    for (let i = 0; i < HISTORY_LIMIT + 7; i++) await s.record({ kind: 'view', at: i, itemId: `i${i}` });
    expect(await s.count()).toBe(HISTORY_LIMIT);
    const recent = await s.recent(HISTORY_LIMIT);
    expect(recent[0]!.itemId).toBe('i7');
    expect(recent.at(-1)!.itemId).toBe(`i${HISTORY_LIMIT + 6}`);
  });

  it('rejects malformed events with a message and stores nothing', async () => {
    const s = await fresh();
    await expect(s.record({ kind: 'view', at: 1 })).rejects.toThrow(/needs the catalogue item id/);
    await expect(s.record({ kind: 'photo-search', at: 1 })).rejects.toThrow(/query embedding/);
    await expect(s.record({ kind: 'purchase' as 'view', at: 1, itemId: 'x' })).rejects.toThrow(RecsError);
    await expect(s.record({ kind: 'view', at: Number.NaN, itemId: 'x' })).rejects.toThrow(/needs a time/);
    expect(await s.count()).toBe(0);
  });

  it('stores only the known fields and clears on request', async () => {
    const s = await fresh();
    const sneaky = { kind: 'view', at: 1, itemId: 'x', photo: 'data:image/jpeg;base64,AAAA' } as unknown as Parameters<HistoryStore['record']>[0];
    await s.record(sneaky);
    expect(await s.recent()).toEqual([{ kind: 'view', at: 1, itemId: 'x' }]);
    await s.clear();
    expect(await s.count()).toBe(0);
  });
});
