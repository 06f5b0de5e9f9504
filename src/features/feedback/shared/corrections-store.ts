/**
 * Tag corrections kept on this device (IndexedDB via idb) until the merchant exports them. One
 * record per item and tag: correcting the same tag again replaces the earlier answer.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { makeCorrection, toJsonl, type Correction, type CorrectionInput } from './correction.ts';

export const FEEDBACK_DB_NAME = 'drishti-feedback';
export const CORRECTION_LIMIT = 5_000;

interface FeedbackDb extends DBSchema {
  corrections: { key: [string, string]; value: Correction; indexes: { 'by-at': string } };
}

export class CorrectionsStore {
  private constructor(private readonly db: IDBPDatabase<FeedbackDb>) {}

  static async open(name: string = FEEDBACK_DB_NAME): Promise<CorrectionsStore> {
    const db = await openDB<FeedbackDb>(name, 1, {
      upgrade(database) {
        database.createObjectStore('corrections', { keyPath: ['itemId', 'head'] }).createIndex('by-at', 'at');
      },
    });
    return new CorrectionsStore(db);
  }

  /** Validates and saves; returns the stored correction. Throws CorrectionError for bad input. */
  async add(input: CorrectionInput): Promise<Correction> {
    const c = makeCorrection(input);
    const tx = this.db.transaction('corrections', 'readwrite');
    await tx.store.put(c);
    if ((await tx.store.count()) > CORRECTION_LIMIT) {
      const oldest = await tx.store.index('by-at').openCursor();
      await oldest?.delete();
    }
    await tx.done;
    return c;
  }

  /** All corrections, oldest first. */
  async all(): Promise<Correction[]> {
    return this.db.getAllFromIndex('corrections', 'by-at');
  }

  async count(): Promise<number> {
    return this.db.count('corrections');
  }

  async exportJsonl(): Promise<string> {
    return toJsonl(await this.all());
  }

  async clear(): Promise<void> {
    await this.db.clear('corrections');
  }

  close(): void {
    this.db.close();
  }
}
