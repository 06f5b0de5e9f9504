/**
 * The shopper's browsing history on this device (IndexedDB via idb). The PWA records views, photo
 * searches, wishlist and cart events here; the recommendation worker reads them. Nothing in this
 * store is ever sent anywhere. Usable from the page and the worker (both have IndexedDB).
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { HISTORY_KINDS, type HistoryEvent } from './history.ts';
import { REC_ATTRIBUTES, RecsError } from './rec-item.ts';

export const HISTORY_DB_NAME = 'drishti-history';
/** Older events add little to taste (they decay) and the store must stay small on cheap phones. */
export const HISTORY_LIMIT = 500;

export interface StoredHistoryEvent extends HistoryEvent {
  /** Auto-incremented key. */
  seq?: number;
}

interface HistoryDb extends DBSchema {
  events: {
    key: number;
    value: StoredHistoryEvent;
    indexes: { 'by-at': number };
  };
}

function validate(event: HistoryEvent): HistoryEvent {
  if (!HISTORY_KINDS.includes(event.kind)) {
    throw new RecsError(`Unknown history event kind "${String(event.kind)}"; expected one of ${HISTORY_KINDS.join(', ')}.`);
  }
  if (!Number.isFinite(event.at)) throw new RecsError('A history event needs a time (`at`, milliseconds since the epoch).');
  if (event.kind === 'photo-search') {
    if (!(event.embedding instanceof Float32Array) || event.embedding.length === 0) {
      throw new RecsError('A photo-search event needs the query embedding (a Float32Array); the photo itself is not stored.');
    }
  } else if (typeof event.itemId !== 'string' || event.itemId.length === 0) {
    throw new RecsError(`A ${event.kind} event needs the catalogue item id.`);
  }
  // Store only known fields: history must not become a place where anything else gets kept.
  const clean: HistoryEvent = { kind: event.kind, at: event.at };
  if (event.itemId !== undefined) clean.itemId = event.itemId;
  if (event.embedding) clean.embedding = Float32Array.from(event.embedding);
  if (event.title !== undefined) clean.title = String(event.title).slice(0, 200);
  if (event.attributes) {
    clean.attributes = {};
    for (const a of REC_ATTRIBUTES) {
      const v = event.attributes[a];
      if (typeof v === 'string') clean.attributes[a] = v;
    }
  }
  return clean;
}

export class HistoryStore {
  private constructor(private readonly db: IDBPDatabase<HistoryDb>) {}

  static async open(name: string = HISTORY_DB_NAME): Promise<HistoryStore> {
    const db = await openDB<HistoryDb>(name, 1, {
      upgrade(database) {
        const store = database.createObjectStore('events', { keyPath: 'seq', autoIncrement: true });
        store.createIndex('by-at', 'at');
      },
    });
    return new HistoryStore(db);
  }

  /** Records one event (validated) and drops the oldest beyond HISTORY_LIMIT, in one transaction. */
  async record(event: HistoryEvent): Promise<void> {
    const clean = validate(event);
    const tx = this.db.transaction('events', 'readwrite');
    await tx.store.add(clean);
    const count = await tx.store.count();
    if (count > HISTORY_LIMIT) {
      let cursor = await tx.store.index('by-at').openCursor();
      for (let extra = count - HISTORY_LIMIT; cursor && extra > 0; extra--) {
        await cursor.delete();
        cursor = await cursor.continue();
      }
    }
    await tx.done;
  }

  /** The latest `limit` events, oldest first. */
  async recent(limit = 100): Promise<HistoryEvent[]> {
    const out: HistoryEvent[] = [];
    let cursor = await this.db.transaction('events').store.index('by-at').openCursor(null, 'prev');
    while (cursor && out.length < limit) {
      const { seq: _seq, ...event } = cursor.value;
      out.push(event);
      cursor = await cursor.continue();
    }
    return out.reverse();
  }

  async count(): Promise<number> {
    return this.db.count('events');
  }

  /** "Clear my history": the shopper's control over what is kept. */
  async clear(): Promise<void> {
    await this.db.clear('events');
  }

  close(): void {
    this.db.close();
  }
}
