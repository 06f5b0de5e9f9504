/**
 * The benchmark report: what the /bench page produces (shown, downloadable as JSON) and what
 * `npm run bench` reads back from the page to print and save. One row per
 * (backend, threads, variant, batch).
 */
import type { BackendName, VariantName } from '../../../shared/model-manifest.ts';
import type { ProbeResult } from '../../engine/shared/engine-api.ts';
import type { FloorAssumption } from './compute-floor.ts';

export const BENCH_REPORT_SCHEMA = 'drishti-bench/1';

/** A backend to measure: WASM with a thread count, or WebGPU. */
export interface BackendChoice {
  backend: BackendName;
  threads: number;
}

export interface BenchConfig {
  manifestUrl: string;
  variants: VariantName[];
  backends: BackendChoice[];
  batches: number[];
  warmupRuns: number;
  /** Timed runs per (combination, batch), unless the time budget runs out first (at least 3 runs are always timed). */
  timedRuns: number;
  budgetMsPerBatch: number;
  /** URL of the labelled image list used for agreement, when not chosen by hand. */
  imageSetUrl?: string;
}

export interface BenchRow {
  backend: BackendName;
  threads: number;
  variant: VariantName;
  batch: number;
  runs: number;
  /** session.run time measured inside the worker, per batch. */
  p50Ms: number;
  p95Ms: number;
  minMs: number;
  meanMs: number;
  /** Round trip page → worker → page (includes messaging and tensor copies), median. */
  roundTripP50Ms: number;
  imagesPerSecond: number;
  sessionMs: number;
  bytes: number;
  /** Share of (image, head) pairs whose top-1 label equals fp32's on the reference backend; null without images. */
  agreement: number | null;
  /** Mean cosine between this run's embeddings and fp32's. */
  embeddingCosine: number | null;
  /** Top-1 accuracy against the images' labels (first labelled head), null when unlabelled. */
  accuracy: number | null;
  floorMs: number | null;
  /** p50 / floor. */
  floorMultiple: number | null;
  /** Set when the engine could not use the requested backend and fell back. */
  note?: string;
}

export interface BenchFailure {
  backend: BackendName;
  threads: number;
  variant: VariantName;
  message: string;
}

export interface ComputeInfo {
  macsPerImage: number;
  byOpType: Record<string, number>;
  /** MAC-bearing nodes whose shapes could not be determined. */
  uncounted: string[];
  /** Which variant's graph was counted. */
  countedVariant: VariantName;
  assumption: FloorAssumption;
}

export interface BenchReport {
  schema: typeof BENCH_REPORT_SCHEMA;
  createdAt: string;
  model: { id: string; version: string; manifestUrl: string };
  probe: ProbeResult;
  compute: ComputeInfo | null;
  images: { count: number; labelled: number; source: string; referenceBackend: string | null };
  config: BenchConfig;
  rows: BenchRow[];
  failures: BenchFailure[];
  totalMs: number;
}

export class BenchReportError extends Error {
  override name = 'BenchReportError';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const NUMBER_FIELDS = ['threads', 'batch', 'runs', 'p50Ms', 'p95Ms', 'minMs', 'meanMs', 'roundTripP50Ms', 'imagesPerSecond', 'sessionMs', 'bytes'] as const;
const NULLABLE_FIELDS = ['agreement', 'embeddingCosine', 'accuracy', 'floorMs', 'floorMultiple'] as const;

/**
 * Checks that untrusted JSON (from the page, or a saved file) is a well-formed report: every row
 * has finite, non-negative numbers in a sane order (min ≤ p50 ≤ p95), ratios within 0..1.
 */
export function validateBenchReport(json: unknown, source: string): BenchReport {
  const fail = (what: string): never => {
    throw new BenchReportError(`The benchmark report from ${source} is malformed: ${what}.`);
  };
  if (!isRecord(json)) return fail('it is not a JSON object');
  if (json.schema !== BENCH_REPORT_SCHEMA) fail(`schema is ${String(json.schema)}, expected ${BENCH_REPORT_SCHEMA}`);
  if (typeof json.createdAt !== 'string' || Number.isNaN(Date.parse(json.createdAt))) fail('createdAt is not a date');
  if (!isRecord(json.model) || typeof json.model.id !== 'string') fail('model.id is missing');
  if (!isRecord(json.probe) || typeof json.probe.userAgent !== 'string' || !isRecord(json.probe.wasm) || !isRecord(json.probe.webgpu)) {
    fail('the device probe is missing');
  }
  if (!Array.isArray(json.rows)) return fail('rows is not a list');
  if (!Array.isArray(json.failures)) fail('failures is not a list');
  json.rows.forEach((r: unknown, i: number) => {
    if (!isRecord(r)) return fail(`rows[${i}] is not an object`);
    if (r.backend !== 'wasm' && r.backend !== 'webgpu') fail(`rows[${i}].backend is ${String(r.backend)}`);
    if (r.variant !== 'fp32' && r.variant !== 'fp16' && r.variant !== 'int8') fail(`rows[${i}].variant is ${String(r.variant)}`);
    for (const f of NUMBER_FIELDS) {
      const v = r[f];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(`rows[${i}].${f} must be a finite non-negative number (got ${String(v)})`);
    }
    for (const f of NULLABLE_FIELDS) {
      const v = r[f];
      if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) fail(`rows[${i}].${f} must be a number or null`);
    }
    const n = r as unknown as BenchRow;
    if (!(n.minMs <= n.p50Ms && n.p50Ms <= n.p95Ms)) fail(`rows[${i}] has min ${n.minMs} ≤ p50 ${n.p50Ms} ≤ p95 ${n.p95Ms} out of order`);
    if (n.runs < 1 || n.batch < 1) fail(`rows[${i}] has no timed runs or batch < 1`);
    for (const f of ['agreement', 'accuracy'] as const) {
      const v = n[f];
      if (v !== null && (v < 0 || v > 1)) fail(`rows[${i}].${f} must be within 0..1`);
    }
    return undefined;
  });
  if (json.compute !== null) {
    if (!isRecord(json.compute) || typeof json.compute.macsPerImage !== 'number' || !(json.compute.macsPerImage > 0)) {
      fail('compute.macsPerImage must be a positive number');
    }
  }
  return json as unknown as BenchReport;
}

/** The machine-readable rows `npm run bench --json` writes. */
export interface BenchJsonRow {
  backend: BackendName;
  threads: number;
  variant: VariantName;
  batch: number;
  p50Ms: number;
  p95Ms: number;
  minMs: number;
  imagesPerSecond: number;
  sessionMs: number;
  bytes: number;
  agreement: number | null;
  accuracy: number | null;
  floorMs: number | null;
  floorMultiple: number | null;
}

export function toJsonRows(report: BenchReport): BenchJsonRow[] {
  return report.rows.map((r) => ({
    backend: r.backend,
    threads: r.threads,
    variant: r.variant,
    batch: r.batch,
    p50Ms: r.p50Ms,
    p95Ms: r.p95Ms,
    minMs: r.minMs,
    imagesPerSecond: r.imagesPerSecond,
    sessionMs: r.sessionMs,
    bytes: r.bytes,
    agreement: r.agreement,
    accuracy: r.accuracy,
    floorMs: r.floorMs,
    floorMultiple: r.floorMultiple,
  }));
}

const fixed = (v: number | null, digits: number, suffix = ''): string => (v === null ? '—' : `${v.toFixed(digits)}${suffix}`);
const pct = (v: number | null): string => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

export function backendLabel(backend: BackendName, threads: number): string {
  return backend === 'wasm' ? `WASM ${threads} thread${threads === 1 ? '' : 's'}` : 'WebGPU';
}

/**
 * The issue's targets, as measured (never pass/fail in tests): int8 vs fp32 speed-up on WASM with
 * the most threads at batch 1, and that int8 row's multiple of the compute floor.
 */
export function targetLines(report: BenchReport): string[] {
  const wasm = report.rows.filter((r) => r.backend === 'wasm' && r.batch === 1 && !r.note);
  const threads = Math.max(0, ...wasm.map((r) => r.threads));
  const at = (variant: string) => wasm.find((r) => r.threads === threads && r.variant === variant);
  const int8 = at('int8');
  const fp32 = at('fp32');
  const lines: string[] = [];
  if (int8 && fp32) {
    const speedup = fp32.p50Ms / int8.p50Ms;
    const best = fp32.minMs / int8.minMs;
    lines.push(
      `int8 vs fp32, WASM ${threads} threads, batch 1: ${speedup.toFixed(2)}× faster at p50 (${best.toFixed(2)}× at min); target ≥ 1.8× — ${speedup >= 1.8 ? 'met' : 'missed'}.`,
    );
  }
  if (int8?.floorMultiple != null) {
    lines.push(
      `int8 WASM ${threads} threads p50 ${int8.p50Ms.toFixed(1)} ms = ${int8.floorMultiple.toFixed(1)}× the compute floor (${int8.floorMs!.toFixed(2)} ms; min ${(int8.minMs / int8.floorMs!).toFixed(1)}×); target ≤ 3× — ${int8.floorMultiple <= 3 ? 'met' : 'missed'}.`,
    );
  }
  return lines;
}

/** The report as a Markdown table (plus the compute floor and any failures). */
export function toMarkdown(report: BenchReport): string {
  const lines: string[] = [];
  lines.push(
    '| backend | variant | batch | p50 ms | p95 ms | min ms | img/s | session ms | MB | agreement | accuracy | floor ms | × floor |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  );
  for (const r of report.rows) {
    lines.push(
      `| ${backendLabel(r.backend, r.threads)}${r.note ? ' †' : ''} | ${r.variant} | ${r.batch} | ${fixed(r.p50Ms, 1)} | ${fixed(r.p95Ms, 1)} | ` +
        `${fixed(r.minMs, 1)} | ${fixed(r.imagesPerSecond, 1)} | ${fixed(r.sessionMs, 0)} | ${fixed(r.bytes / 1e6, 2)} | ` +
        `${pct(r.agreement)} | ${pct(r.accuracy)} | ${fixed(r.floorMs, 2)} | ${fixed(r.floorMultiple, 1, '×')} |`,
    );
  }
  // Batch rows of one combination share its note; print each once.
  const notes = new Set(report.rows.filter((r) => r.note).map((r) => `† ${backendLabel(r.backend, r.threads)} ${r.variant}: ${r.note}`));
  for (const n of notes) lines.push('', n);
  if (report.compute) {
    const c = report.compute;
    lines.push(
      '',
      `Compute floor: ${(c.macsPerImage / 1e6).toFixed(1)} M multiply-accumulates per image (counted from the ${c.countedVariant} graph` +
        `${c.uncounted.length ? `; ${c.uncounted.length} nodes uncounted` : ''}); ${c.assumption.clockGhz} GHz; ${c.assumption.note}`,
    );
  }
  for (const f of report.failures) lines.push('', `Failed: ${backendLabel(f.backend, f.threads)} ${f.variant}: ${f.message}`);
  const targets = targetLines(report);
  if (targets.length) lines.push('', 'Targets:', ...targets.map((t) => `- ${t}`));
  return lines.join('\n');
}
