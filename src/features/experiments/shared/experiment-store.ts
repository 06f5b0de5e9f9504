/**
 * Experiment data on this device (IndexedDB via idb): the install id, exposure and outcome events,
 * the shopper's export consent and how far counts have been exported. Events never leave the
 * device; only aggregated counts may, and only with consent (export.ts).
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { OUTCOME_KINDS, type EventKind, type OutcomeKind } from './experiment-config.ts';
import { emptyCounts, type ArmCounts } from './stats.ts';

export const EXPERIMENTS_DB_NAME = 'drishti-experiments';
/** Enough for months of use; the oldest go first beyond it. */
export const EVENT_LIMIT = 100_000;

export interface ExperimentEvent {
  experimentId: string;
  arm: string;
  kind: EventKind;
  /** Milliseconds, for latency events only. */
  valueMs?: number;
  at: number;
  seq?: number;
}

interface Meta {
  installId: string;
  exportConsent: boolean;
  /** Highest event seq already included in an export. */
  exportedUpTo: number;
}

interface ExperimentsDb extends DBSchema {
  meta: { key: keyof Meta; value: Meta[keyof Meta] };
  events: { key: number; value: ExperimentEvent; indexes: { 'by-experiment': string } };
}

export class ExperimentEventError extends Error {
  override name = 'ExperimentEventError';
}

const KINDS: readonly EventKind[] = ['impression', ...OUTCOME_KINDS, 'latency'];

/** A random UUID v4; randomUUID exists only in secure contexts, getRandomValues everywhere. */
function randomId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export class ExperimentStore {
  private constructor(private readonly db: IDBPDatabase<ExperimentsDb>) {}

  static async open(name: string = EXPERIMENTS_DB_NAME): Promise<ExperimentStore> {
    const db = await openDB<ExperimentsDb>(name, 1, {
      upgrade(database) {
        database.createObjectStore('meta');
        database.createObjectStore('events', { keyPath: 'seq', autoIncrement: true }).createIndex('by-experiment', 'experimentId');
      },
    });
    return new ExperimentStore(db);
  }

  /** This install's random id, created on first use inside one transaction so two tabs agree. */
  async installId(): Promise<string> {
    const tx = this.db.transaction('meta', 'readwrite');
    let id = (await tx.store.get('installId')) as string | undefined;
    if (typeof id !== 'string' || id.length === 0) {
      id = randomId();
      await tx.store.put(id, 'installId');
    }
    await tx.done;
    return id;
  }

  async log(event: Omit<ExperimentEvent, 'seq'>): Promise<void> {
    if (!KINDS.includes(event.kind)) throw new ExperimentEventError(`Unknown experiment event "${String(event.kind)}"; expected one of ${KINDS.join(', ')}.`);
    if (!event.experimentId || !event.arm) throw new ExperimentEventError('An experiment event needs the experiment id and the arm.');
    if (event.kind === 'latency' && !(typeof event.valueMs === 'number' && Number.isFinite(event.valueMs) && event.valueMs >= 0)) {
      throw new ExperimentEventError('A latency event needs valueMs, a non-negative number of milliseconds.');
    }
    const clean: ExperimentEvent = { experimentId: event.experimentId, arm: event.arm, kind: event.kind, at: event.at };
    if (event.kind === 'latency') clean.valueMs = event.valueMs!;
    const tx = this.db.transaction('events', 'readwrite');
    await tx.store.add(clean);
    const count = await tx.store.count();
    if (count > EVENT_LIMIT) {
      let cursor = await tx.store.openCursor();
      for (let extra = count - EVENT_LIMIT; cursor && extra > 0; extra--) {
        await cursor.delete();
        cursor = await cursor.continue();
      }
    }
    await tx.done;
  }

  /** Per-arm counts of one experiment, optionally only events after `afterSeq`; also the last seq seen. */
  async counts(experimentId: string, afterSeq = 0): Promise<{ counts: ArmCounts[]; lastSeq: number }> {
    const byArm = new Map<string, ArmCounts>();
    let lastSeq = afterSeq;
    let cursor = await this.db.transaction('events').store.index('by-experiment').openCursor(IDBKeyRange.only(experimentId));
    for (; cursor; cursor = await cursor.continue()) {
      const e = cursor.value;
      const seq = e.seq ?? 0;
      if (seq <= afterSeq) continue;
      lastSeq = Math.max(lastSeq, seq);
      let c = byArm.get(e.arm);
      if (!c) byArm.set(e.arm, (c = emptyCounts(e.arm)));
      if (e.kind === 'impression') c.impressions++;
      else if (e.kind === 'latency') {
        c.latency.n++;
        c.latency.sumMs += e.valueMs!;
        c.latency.sumSqMs += e.valueMs! * e.valueMs!;
      } else c.outcomes[e.kind as OutcomeKind]++;
    }
    return { counts: [...byArm.values()], lastSeq };
  }

  async lastSeq(): Promise<number> {
    const cursor = await this.db.transaction('events').store.openCursor(null, 'prev');
    return cursor?.value.seq ?? 0;
  }

  async exportConsent(): Promise<boolean> {
    return (await this.db.get('meta', 'exportConsent')) === true;
  }

  async setExportConsent(on: boolean): Promise<void> {
    await this.db.put('meta', on, 'exportConsent');
  }

  async exportedUpTo(): Promise<number> {
    const v = await this.db.get('meta', 'exportedUpTo');
    return typeof v === 'number' ? v : 0;
  }

  async setExportedUpTo(seq: number): Promise<void> {
    await this.db.put('meta', seq, 'exportedUpTo');
  }

  close(): void {
    this.db.close();
  }
}
