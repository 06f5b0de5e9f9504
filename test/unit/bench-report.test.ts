import { describe, expect, it } from 'vitest';
import { formatBenchParams, parseBenchParams } from '../../src/features/bench/shared/bench-params.ts';
import {
  BENCH_REPORT_SCHEMA,
  BenchReportError,
  targetLines,
  toJsonRows,
  toMarkdown,
  validateBenchReport,
  type BenchReport,
  type BenchRow,
} from '../../src/features/bench/shared/bench-report.ts';
import { defaultAssumption } from '../../src/features/bench/shared/compute-floor.ts';

function row(over: Partial<BenchRow> = {}): BenchRow {
  return {
    backend: 'wasm',
    threads: 2,
    variant: 'int8',
    batch: 1,
    runs: 20,
    p50Ms: 30,
    p95Ms: 35,
    minMs: 28,
    meanMs: 31,
    roundTripP50Ms: 31,
    imagesPerSecond: 33.3,
    sessionMs: 200,
    bytes: 5_000_000,
    agreement: 0.95,
    embeddingCosine: 0.99,
    accuracy: 0.8,
    floorMs: 5,
    floorMultiple: 6,
    ...over,
  };
}

function report(rows: BenchRow[] = [row()]): BenchReport {
  const settings = parseBenchParams('', 2);
  return {
    schema: BENCH_REPORT_SCHEMA,
    createdAt: '2026-12-04T16:00:00.000Z',
    model: { id: 'm', version: '1', manifestUrl: '/models/manifest.json' },
    probe: {
      webgpu: { available: true, adapter: 'google swiftshader', shaderF16: false },
      wasm: { simd: true, threads: true, crossOriginIsolated: true, hardwareConcurrency: 2 },
      userAgent: 'HeadlessChrome',
    },
    compute: { macsPerImage: 385e6, byOpType: { Conv: 385e6 }, uncounted: [], countedVariant: 'int8', assumption: defaultAssumption(2.6) },
    images: { count: 16, labelled: 16, source: '/x.json', referenceBackend: 'WASM 2 threads' },
    config: settings.config,
    rows,
    failures: [{ backend: 'webgpu', threads: 1, variant: 'fp16', message: 'no shader-f16' }],
    totalMs: 1000,
  };
}

describe('bench report', () => {
  it('accepts a well-formed report (after a JSON round trip)', () => {
    const r = report([row(), row({ variant: 'fp32', batch: 8, agreement: 1, accuracy: null, floorMs: null, floorMultiple: null })]);
    expect(validateBenchReport(JSON.parse(JSON.stringify(r)), 'test').rows).toHaveLength(2);
  });

  it.each([
    ['not an object', []],
    ['a wrong schema', { ...report(), schema: 'other/1' }],
    ['no device probe', { ...report(), probe: null }],
    ['p50 below min', report([row({ p50Ms: 10 })])],
    ['a negative timing', report([row({ p95Ms: -1 })])],
    ['agreement above 1', report([row({ agreement: 1.2 })])],
    ['a NaN session time', { ...report(), rows: [{ ...row(), sessionMs: 'NaN' }] }],
    ['an unknown backend', { ...report(), rows: [{ ...row(), backend: 'webgl' }] }],
    ['no MAC count', { ...report(), compute: { macsPerImage: 0 } }],
  ])('rejects a report with %s', (_what, bad) => {
    expect(() => validateBenchReport(bad, 'test')).toThrow(BenchReportError);
  });

  it('writes JSON rows with the fields CI reads', () => {
    const [r] = toJsonRows(report());
    for (const key of ['backend', 'threads', 'variant', 'batch', 'p50Ms', 'p95Ms', 'sessionMs', 'bytes', 'agreement']) {
      expect(r).toHaveProperty(key);
    }
    expect(r).toMatchObject({ backend: 'wasm', threads: 2, variant: 'int8', batch: 1, p50Ms: 30, bytes: 5_000_000, agreement: 0.95 });
  });

  it('prints a Markdown table with the floor multiple, the floor assumption and failures', () => {
    const md = toMarkdown(report());
    expect(md).toMatch(/^\| backend \| variant \| batch \|/);
    expect(md).toContain('| WASM 2 threads | int8 | 1 | 30.0 | 35.0 | 28.0 | 33.3 | 200 | 5.00 | 95.0% | 80.0% | 5.00 | 6.0× |');
    expect(md).toContain('385.0 M multiply-accumulates per image');
    expect(md).toContain('Failed: WebGPU fp16: no shader-f16');
  });
});

describe('bench page query string', () => {
  it('defaults to every variant, WASM 1 and N threads, WebGPU, batch 1 and 8', () => {
    const s = parseBenchParams('', 4);
    expect(s.config.variants).toEqual(['fp32', 'fp16', 'int8']);
    expect(s.config.backends).toEqual([
      { backend: 'wasm', threads: 1 },
      { backend: 'wasm', threads: 4 },
      { backend: 'webgpu', threads: 1 },
    ]);
    expect(s.config.batches).toEqual([1, 8]);
    expect(s.autorun).toBe(false);
  });

  it('round-trips through format and parse', () => {
    const s = parseBenchParams('?variants=int8,fp32&backends=wasm-2,webgpu&batches=1&runs=5&warmup=0&budgetMs=1000&clockGhz=2.6&images=/i.json&manifest=/m.json&autorun=1', 2);
    expect(parseBenchParams(formatBenchParams(s), 2)).toEqual(s);
    expect(s.config.imageSetUrl).toBe('/i.json');
    expect(s.config.manifestUrl).toBe('/m.json');
  });

  it.each([
    ['?variants=fp64', /Unknown variant "fp64"/],
    ['?backends=webgl', /Unknown backend "webgl"/],
    ['?batches=0', /Batch size "0"/],
    ['?runs=2', /runs must be a whole number from 3/],
    ['?clockGhz=fast', /clockGhz/],
  ])('explains a bad value: %s', (query, message) => {
    expect(() => parseBenchParams(query, 2)).toThrow(message);
  });
});

describe('target lines', () => {
  it('compares int8 with fp32 on WASM with the most threads at batch 1, and int8 with its floor', () => {
    const lines = targetLines(
      report([
        row({ threads: 1, p50Ms: 10, minMs: 10, p95Ms: 10 }),
        row({ threads: 2, variant: 'fp32', p50Ms: 60, minMs: 50, p95Ms: 70 }),
        row({ threads: 2, variant: 'int8', p50Ms: 30, minMs: 25, p95Ms: 35, floorMs: 5, floorMultiple: 6 }),
        row({ threads: 2, variant: 'int8', batch: 8, p50Ms: 100, minMs: 90, p95Ms: 110 }),
      ]),
    );
    expect(lines[0]).toBe('int8 vs fp32, WASM 2 threads, batch 1: 2.00× faster at p50 (2.00× at min); target ≥ 1.8× — met.');
    expect(lines[1]).toMatch(/^int8 WASM 2 threads p50 30\.0 ms = 6\.0× the compute floor \(5\.00 ms; min 5\.0×\); target ≤ 3× — missed\.$/);
  });

  it('says nothing when a variant is missing', () => {
    expect(targetLines(report([row({ variant: 'fp32', floorMs: null, floorMultiple: null })]))).toEqual([]);
  });
});
