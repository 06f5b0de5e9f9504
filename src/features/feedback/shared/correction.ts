/**
 * A shopper's (or merchant's) correction of a predicted tag, and its JSONL exchange format
 * "drishti-correction/1", which the model pipeline's data prep reads
 * (`python -m drishti.data --corrections <file.jsonl>`, models/drishti/corrections.py). One object
 * per line, keys in this order:
 *   {"schema":"drishti-correction/1","itemId":"15970","head":"articleType","predicted":"Kurtas",
 *    "corrected":"Kurtis","modelId":"…","modelVersion":"…","at":"2026-12-04T10:00:00Z"}
 */

export const CORRECTION_SCHEMA = 'drishti-correction/1';
export const CORRECTION_HEADS = ['articleType', 'gender', 'usage', 'colour', 'season'] as const;
export type CorrectionHead = (typeof CORRECTION_HEADS)[number];
/** The pipeline refuses longer label names. */
export const MAX_LABEL_LENGTH = 80;
export const MAX_ITEM_ID_LENGTH = 128;

export interface Correction {
  schema: typeof CORRECTION_SCHEMA;
  itemId: string;
  head: CorrectionHead;
  /** The label the model showed (its class id, e.g. "Kurtas"). */
  predicted: string;
  /** The label the person says is right (a class id, or a new type name). */
  corrected: string;
  modelId: string;
  modelVersion: string;
  /** UTC, whole seconds: "2026-12-04T10:00:00Z". */
  at: string;
}

export interface CorrectionInput {
  itemId: string;
  head: CorrectionHead;
  predicted: string;
  corrected: string;
  modelId: string;
  modelVersion: string;
  at?: Date;
}

export class CorrectionError extends Error {
  override name = 'CorrectionError';
}

const AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

export function isoSeconds(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new CorrectionError('The correction time is not a valid date.');
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Builds a validated correction; whitespace is trimmed so "Kurtis " and "Kurtis" are one label. */
export function makeCorrection(input: CorrectionInput): Correction {
  const text = (v: unknown, what: string, max: number): string => {
    if (typeof v !== 'string' || v.trim().length === 0) throw new CorrectionError(`A correction needs ${what}.`);
    const t = v.trim();
    if (t.length > max) throw new CorrectionError(`${what} is too long (${t.length} characters; at most ${max}).`);
    if (/[\u0000-\u001f]/.test(t)) throw new CorrectionError(`${what} contains control characters.`);
    return t;
  };
  if (!CORRECTION_HEADS.includes(input.head)) {
    throw new CorrectionError(`"${String(input.head)}" is not a tag that can be corrected (one of ${CORRECTION_HEADS.join(', ')}).`);
  }
  const predicted = text(input.predicted, 'the predicted label', MAX_LABEL_LENGTH);
  const corrected = text(input.corrected, 'the corrected label', MAX_LABEL_LENGTH);
  if (corrected === predicted) throw new CorrectionError(`The corrected label is the same as the prediction ("${predicted}"): nothing to correct.`);
  return {
    schema: CORRECTION_SCHEMA,
    itemId: text(input.itemId, 'the item id', MAX_ITEM_ID_LENGTH),
    head: input.head,
    predicted,
    corrected,
    modelId: text(input.modelId, 'the model id', 200),
    modelVersion: text(input.modelVersion, 'the model version', 200),
    at: isoSeconds(input.at ?? new Date()),
  };
}

/** One correction as its JSONL line (fixed key order, no trailing newline). */
export function correctionLine(c: Correction): string {
  return JSON.stringify({
    schema: c.schema,
    itemId: c.itemId,
    head: c.head,
    predicted: c.predicted,
    corrected: c.corrected,
    modelId: c.modelId,
    modelVersion: c.modelVersion,
    at: c.at,
  });
}

/** The JSONL file: one line per correction, oldest first, newline-terminated (later lines win in data prep). */
export function toJsonl(corrections: readonly Correction[]): string {
  return [...corrections]
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
    .map((c) => `${correctionLine(c)}\n`)
    .join('');
}

/** Reads JSONL back (e.g. a file a merchant merged); bad lines are reported, not fatal. */
export function parseJsonl(text: string): { corrections: Correction[]; problems: string[] } {
  const corrections: Correction[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const o = JSON.parse(line) as Record<string, unknown>;
      if (o.schema !== CORRECTION_SCHEMA) throw new CorrectionError(`schema is ${JSON.stringify(o.schema)}, expected "${CORRECTION_SCHEMA}"`);
      if (typeof o.at !== 'string' || !AT.test(o.at)) throw new CorrectionError('"at" must look like 2026-12-04T10:00:00Z');
      corrections.push(
        makeCorrection({
          itemId: o.itemId as string,
          head: o.head as CorrectionHead,
          predicted: o.predicted as string,
          corrected: o.corrected as string,
          modelId: o.modelId as string,
          modelVersion: o.modelVersion as string,
          at: new Date(o.at),
        }),
      );
    } catch (err) {
      problems.push(`line ${i + 1}: ${err instanceof SyntaxError ? 'not valid JSON' : (err as Error).message}`);
    }
  });
  return { corrections, problems };
}
