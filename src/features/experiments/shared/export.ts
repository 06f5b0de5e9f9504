/**
 * Opt-in export of aggregated counts. Off unless BOTH the merchant configured a collector URL and
 * the shopper said yes. A payload holds per-arm counts since the last export and nothing else: no
 * install id, no item ids, no timestamps finer than the send time.
 */
import type { ExperimentsConfig } from './experiment-config.ts';
import type { ExperimentStore } from './experiment-store.ts';
import type { ArmCounts } from './stats.ts';

export const COUNTS_SCHEMA = 'drishti-experiment-counts/1';

export interface CountsPayload {
  schema: typeof COUNTS_SCHEMA;
  /** Calendar day (UTC) of the send, coarse on purpose. */
  day: string;
  experiments: { experimentId: string; counts: ArmCounts[] }[];
}

export type ExportOutcome =
  | { sent: true; payload: CountsPayload }
  | { sent: false; reason: 'no-url' | 'no-consent' | 'nothing-new' | 'beacon-refused' };

/** The transport; navigator.sendBeacon in the browser, injectable for tests. */
export type BeaconSender = (url: string, body: Blob) => boolean;

export async function exportCounts(
  store: ExperimentStore,
  config: ExperimentsConfig,
  send: BeaconSender = (url, body) => navigator.sendBeacon(url, body),
  now: Date = new Date(),
): Promise<ExportOutcome> {
  if (!config.exportUrl) return { sent: false, reason: 'no-url' };
  if (!(await store.exportConsent())) return { sent: false, reason: 'no-consent' };
  const after = await store.exportedUpTo();
  let upTo = after;
  const experiments: CountsPayload['experiments'] = [];
  for (const e of config.experiments) {
    const { counts, lastSeq } = await store.counts(e.id, after);
    upTo = Math.max(upTo, lastSeq);
    if (counts.length > 0) experiments.push({ experimentId: e.id, counts });
  }
  if (experiments.length === 0) return { sent: false, reason: 'nothing-new' };
  const payload: CountsPayload = { schema: COUNTS_SCHEMA, day: now.toISOString().slice(0, 10), experiments };
  // text/plain keeps the beacon a CORS "simple" request, so the collector needs no preflight.
  const body = new Blob([JSON.stringify(payload)], { type: 'text/plain;charset=UTF-8' });
  if (!send(config.exportUrl, body)) return { sent: false, reason: 'beacon-refused' };
  await store.setExportedUpTo(upTo);
  return { sent: true, payload };
}

/** Sums payloads (e.g. what a merchant's collector received) into per-experiment counts for the report. */
export function mergeCounts(payloads: readonly CountsPayload[]): Map<string, ArmCounts[]> {
  const out = new Map<string, Map<string, ArmCounts>>();
  for (const p of payloads) {
    for (const e of p.experiments) {
      let arms = out.get(e.experimentId);
      if (!arms) out.set(e.experimentId, (arms = new Map()));
      for (const c of e.counts) {
        const t = arms.get(c.arm);
        if (!t) {
          arms.set(c.arm, structuredClone(c));
          continue;
        }
        t.impressions += c.impressions;
        for (const k of Object.keys(c.outcomes) as (keyof ArmCounts['outcomes'])[]) t.outcomes[k] += c.outcomes[k];
        t.latency.n += c.latency.n;
        t.latency.sumMs += c.latency.sumMs;
        t.latency.sumSqMs += c.latency.sumSqMs;
      }
    }
  }
  return new Map([...out].map(([id, arms]) => [id, [...arms.values()]]));
}

export class CountsPayloadError extends Error {
  override name = 'CountsPayloadError';
}

const count = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** Validates an untrusted counts payload (e.g. a file the merchant's collector produced). */
export function parseCountsPayload(json: unknown, source: string): CountsPayload {
  const fail = (what: string): never => {
    throw new CountsPayloadError(`${source} is not a ${COUNTS_SCHEMA} file: ${what}.`);
  };
  const rec = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!rec(json)) return fail('it is not a JSON object');
  if (json.schema !== COUNTS_SCHEMA) fail(`"schema" is ${JSON.stringify(json.schema)}`);
  if (!Array.isArray(json.experiments)) return fail('"experiments" must be a list');
  const experiments = json.experiments.map((e, i) => {
    if (!rec(e) || typeof e.experimentId !== 'string' || !Array.isArray(e.counts)) return fail(`experiments[${i}] needs experimentId and counts`);
    const counts = e.counts.map((c, j): ArmCounts => {
      const where = `experiments[${i}].counts[${j}]`;
      if (!rec(c) || typeof c.arm !== 'string' || !count(c.impressions) || !rec(c.outcomes) || !rec(c.latency)) return fail(`${where} is incomplete`);
      const o = c.outcomes;
      const l = c.latency;
      if (!count(o.click) || !count(o.wishlist) || !count(o['add-to-cart'])) fail(`${where}.outcomes needs click, wishlist and add-to-cart counts`);
      if (!count(l.n) || !count(l.sumMs) || !count(l.sumSqMs)) fail(`${where}.latency needs n, sumMs and sumSqMs`);
      return {
        arm: c.arm,
        impressions: c.impressions as number,
        outcomes: { click: o.click as number, wishlist: o.wishlist as number, 'add-to-cart': o['add-to-cart'] as number },
        latency: { n: l.n as number, sumMs: l.sumMs as number, sumSqMs: l.sumSqMs as number },
      };
    });
    return { experimentId: e.experimentId, counts };
  });
  return { schema: COUNTS_SCHEMA, day: typeof json.day === 'string' ? json.day : '', experiments };
}
