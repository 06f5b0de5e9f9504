/**
 * The /bench page's query string ↔ its settings, so `npm run bench` (and a person sharing a link)
 * can drive exactly what the form does:
 * `/bench?variants=fp32,int8&backends=wasm-1,wasm-2,webgpu&batches=1,8&runs=20&warmup=3&budgetMs=20000&clockGhz=2.6&images=/x.json&autorun=1`
 */
import type { VariantName } from '../../../shared/model-manifest.ts';
import type { BackendChoice, BenchConfig } from './bench-report.ts';

export const DEFAULT_MANIFEST_URL = '/models/manifest.json';
export const DEFAULT_CLOCK_GHZ = 3;

export interface BenchPageSettings {
  config: BenchConfig;
  clockGhz: number;
  autorun: boolean;
}

export class BenchParamsError extends Error {
  override name = 'BenchParamsError';
}

const VARIANTS: readonly VariantName[] = ['fp32', 'fp16', 'int8'];

export function parseBackend(token: string): BackendChoice {
  if (token === 'webgpu') return { backend: 'webgpu', threads: 1 };
  const m = /^wasm-(\d+)$/.exec(token);
  if (m && Number(m[1]) >= 1 && Number(m[1]) <= 64) return { backend: 'wasm', threads: Number(m[1]) };
  throw new BenchParamsError(`Unknown backend "${token}": use wasm-<threads> (e.g. wasm-1, wasm-2) or webgpu.`);
}

export function formatBackend(choice: BackendChoice): string {
  return choice.backend === 'webgpu' ? 'webgpu' : `wasm-${choice.threads}`;
}

function list(raw: string | null): string[] | undefined {
  if (raw === null) return undefined;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function int(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new BenchParamsError(`${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
  return n;
}

/** Reads the settings; anything absent takes the defaults (all variants, WASM 1 + N threads + WebGPU, batch 1 and 8). */
export function parseBenchParams(search: string, hardwareConcurrency: number): BenchPageSettings {
  const params = new URLSearchParams(search);
  const variants = (list(params.get('variants')) ?? [...VARIANTS]).map((v) => {
    if (!VARIANTS.includes(v as VariantName)) throw new BenchParamsError(`Unknown variant "${v}": use fp32, fp16 or int8.`);
    return v as VariantName;
  });
  const n = Math.max(1, hardwareConcurrency);
  const backends = (list(params.get('backends')) ?? ['wasm-1', ...(n > 1 ? [`wasm-${n}`] : []), 'webgpu']).map(parseBackend);
  const batches = (list(params.get('batches')) ?? ['1', '8']).map((b) => {
    const v = Number(b);
    if (!Number.isInteger(v) || v < 1 || v > 64) throw new BenchParamsError(`Batch size "${b}" must be a whole number from 1 to 64.`);
    return v;
  });
  const clockRaw = params.get('clockGhz');
  const clockGhz = clockRaw === null || clockRaw === '' ? DEFAULT_CLOCK_GHZ : Number(clockRaw);
  if (!(clockGhz > 0 && clockGhz < 10)) throw new BenchParamsError(`clockGhz must be a clock in GHz, e.g. 2.6 (got "${clockRaw}").`);
  const images = params.get('images');
  const config: BenchConfig = {
    manifestUrl: params.get('manifest') || DEFAULT_MANIFEST_URL,
    variants: [...new Set(variants)],
    backends: backends.filter((b, i) => backends.findIndex((o) => formatBackend(o) === formatBackend(b)) === i),
    batches: [...new Set(batches)],
    warmupRuns: int(params, 'warmup', 3, 0, 100),
    timedRuns: int(params, 'runs', 20, 3, 1000),
    budgetMsPerBatch: int(params, 'budgetMs', 20_000, 100, 600_000),
    ...(images ? { imageSetUrl: images } : {}),
  };
  return { config, clockGhz, autorun: params.get('autorun') === '1' };
}

export function formatBenchParams(settings: BenchPageSettings): string {
  const { config } = settings;
  const params = new URLSearchParams();
  if (config.manifestUrl !== DEFAULT_MANIFEST_URL) params.set('manifest', config.manifestUrl);
  params.set('variants', config.variants.join(','));
  params.set('backends', config.backends.map(formatBackend).join(','));
  params.set('batches', config.batches.join(','));
  params.set('runs', String(config.timedRuns));
  params.set('warmup', String(config.warmupRuns));
  params.set('budgetMs', String(config.budgetMsPerBatch));
  params.set('clockGhz', String(settings.clockGhz));
  if (config.imageSetUrl) params.set('images', config.imageSetUrl);
  if (settings.autorun) params.set('autorun', '1');
  return `?${params.toString()}`;
}
