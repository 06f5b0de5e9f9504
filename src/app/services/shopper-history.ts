/**
 * Records what the shopper does (views, photo searches, wishlist, cart) in the on-device history
 * that recommendations read. Recording must never break a page: failures are logged and dropped.
 */
import { HistoryStore } from '../../features/recs/shared/history-store.ts';
import type { HistoryEvent } from '../../features/recs/shared/history.ts';

let store: Promise<HistoryStore> | undefined;

export async function recordHistory(event: HistoryEvent): Promise<void> {
  try {
    store ??= HistoryStore.open();
    await (await store).record(event);
  } catch (err) {
    store = undefined;
    console.warn(`History not recorded (${event.kind}): ${(err as Error).message}`);
  }
}
