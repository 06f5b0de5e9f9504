/**
 * A/B experiments as the merchant defines them in JSON (docs/experiments.md). Parsed strictly:
 * a typo in a config must produce a message that says where, not a silently skewed experiment.
 */

export const EXPERIMENTS_SCHEMA = 'drishti-experiments/1';
export const OUTCOME_KINDS = ['click', 'wishlist', 'add-to-cart'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];
export type EventKind = 'impression' | OutcomeKind | 'latency';

export type ParamValue = string | number | boolean;

export interface ExperimentArm {
  id: string;
  /** Relative share of enrolled installs (any positive scale: 50/50, 1/1 and 2/2 are the same). */
  weight: number;
  /** What the arm changes, read by the feature under test (e.g. { variant: "int8" }). */
  params: Record<string, ParamValue>;
  description?: string;
}

export interface Experiment {
  id: string;
  description?: string;
  /** Fraction of installs enrolled, in (0, 1]; the rest get no arm and the default behaviour. */
  traffic: number;
  arms: ExperimentArm[];
  /** The outcome the report leads with. */
  primaryOutcome: OutcomeKind;
  /** Below this many impressions in any arm the report warns that it is too early to conclude. */
  minImpressionsPerArm: number;
}

export interface ExperimentsConfig {
  schema: typeof EXPERIMENTS_SCHEMA;
  experiments: Experiment[];
  /** Where opted-in aggregated counts are sent (merchant's collector); null = export not offered. */
  exportUrl: string | null;
}

export class ExperimentConfigError extends Error {
  override name = 'ExperimentConfigError';
}

const ID = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parseExperimentsConfig(json: unknown, source: string): ExperimentsConfig {
  const fail = (what: string): never => {
    throw new ExperimentConfigError(`The experiments config ${source} is invalid: ${what}.`);
  };
  if (!isRecord(json)) return fail('it is not a JSON object');
  if (json.schema !== EXPERIMENTS_SCHEMA) fail(`"schema" must be "${EXPERIMENTS_SCHEMA}" (got ${JSON.stringify(json.schema)})`);
  let exportUrl: string | null = null;
  if (json.exportUrl !== undefined && json.exportUrl !== null) {
    if (typeof json.exportUrl !== 'string') fail('"exportUrl" must be a URL string or null');
    let url: URL | null = null;
    try {
      url = new URL(json.exportUrl as string, 'https://placeholder.invalid/');
    } catch {
      fail(`"exportUrl" ${JSON.stringify(json.exportUrl)} is not a URL`);
    }
    if (url && url.protocol !== 'https:' && !(url.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(url.hostname))) {
      fail('"exportUrl" must use https (counts must not travel in the clear)');
    }
    exportUrl = json.exportUrl as string;
  }
  if (!Array.isArray(json.experiments)) return fail('"experiments" must be a list');
  const seen = new Set<string>();
  const experiments = json.experiments.map((e, i): Experiment => {
    const where = `experiments[${i}]`;
    if (!isRecord(e)) return fail(`${where} is not an object`);
    if (typeof e.id !== 'string' || !ID.test(e.id)) return fail(`${where}.id must be 1–64 letters, digits, ".", "_" or "-"`);
    if (seen.has(e.id)) fail(`experiment id "${e.id}" appears twice`);
    seen.add(e.id);
    const traffic = e.traffic ?? 1;
    if (typeof traffic !== 'number' || !(traffic > 0 && traffic <= 1)) fail(`${where}.traffic must be a number in (0, 1]`);
    if (!Array.isArray(e.arms) || e.arms.length < 2) return fail(`${where} ("${e.id}") needs at least two arms`);
    const armIds = new Set<string>();
    const arms = e.arms.map((a, j): ExperimentArm => {
      const aw = `${where}.arms[${j}]`;
      if (!isRecord(a)) return fail(`${aw} is not an object`);
      if (typeof a.id !== 'string' || !ID.test(a.id)) return fail(`${aw}.id must be 1–64 letters, digits, ".", "_" or "-"`);
      if (armIds.has(a.id)) fail(`arm id "${a.id}" appears twice in "${e.id}"`);
      armIds.add(a.id);
      if (typeof a.weight !== 'number' || !Number.isFinite(a.weight) || a.weight <= 0) return fail(`${aw}.weight must be a positive number`);
      const params: Record<string, ParamValue> = {};
      if (a.params !== undefined) {
        if (!isRecord(a.params)) return fail(`${aw}.params must be an object`);
        for (const [k, v] of Object.entries(a.params)) {
          if (!['string', 'number', 'boolean'].includes(typeof v)) fail(`${aw}.params.${k} must be a string, number or boolean`);
          params[k] = v as ParamValue;
        }
      }
      const arm: ExperimentArm = { id: a.id, weight: a.weight, params };
      if (typeof a.description === 'string') arm.description = a.description;
      return arm;
    });
    const primary = e.primaryOutcome ?? 'click';
    if (!OUTCOME_KINDS.includes(primary as OutcomeKind)) fail(`${where}.primaryOutcome must be one of ${OUTCOME_KINDS.join(', ')}`);
    const min = e.minImpressionsPerArm ?? 1000;
    if (typeof min !== 'number' || !Number.isInteger(min) || min < 1) fail(`${where}.minImpressionsPerArm must be a positive whole number`);
    const experiment: Experiment = {
      id: e.id,
      traffic: traffic as number,
      arms,
      primaryOutcome: primary as OutcomeKind,
      minImpressionsPerArm: min as number,
    };
    if (typeof e.description === 'string') experiment.description = e.description;
    return experiment;
  });
  return { schema: EXPERIMENTS_SCHEMA, experiments, exportUrl };
}
