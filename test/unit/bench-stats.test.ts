import { describe, expect, it } from 'vitest';
import { defaultAssumption, floorMs, isCpuAdapter } from '../../src/features/bench/shared/compute-floor.ts';
import { quantile, summarize } from '../../src/features/bench/shared/stats.ts';
import { readClockGhz } from '../../src/node/cpu-info.ts';

describe('latency statistics', () => {
  it('interpolates quantiles between ranks (R-7), whatever the input order', () => {
    const samples = [40, 10, 30, 20];
    expect(quantile(samples, 0)).toBe(10);
    expect(quantile(samples, 0.5)).toBe(25);
    expect(quantile(samples, 1)).toBe(40);
    expect(quantile(samples, 0.95)).toBeCloseTo(38.5, 10);
    expect(samples).toEqual([40, 10, 30, 20]);
  });

  it('summarises runs: p50, p95, min, mean and images per second at the median', () => {
    const s = summarize([12, 10, 11, 30, 10], 8);
    expect(s).toMatchObject({ runs: 5, p50Ms: 11, minMs: 10, meanMs: 14.6 });
    expect(s.p95Ms).toBeCloseTo(26.4, 10);
    expect(s.imagesPerSecond).toBeCloseTo(8000 / 11, 10);
  });

  it('refuses empty or impossible input', () => {
    expect(() => summarize([], 1)).toThrow(/no timed runs/);
    expect(() => summarize([1, Number.NaN], 1)).toThrow(/finite/);
    expect(() => summarize([1], 0)).toThrow(/batch/);
    expect(() => quantile([1], 1.5)).toThrow(/0\.\.1/);
  });
});

describe('compute floor', () => {
  const a = defaultAssumption(2.5);
  const base = { macsPerImage: 400e6, batch: 1, hardwareConcurrency: 2, webgpuOnCpu: false } as const;

  it('int8 on WASM: cores used × 16 MACs/cycle × clock', () => {
    // 400e6 / (2 × 16 × 2.5e9) s = 5 ms
    expect(floorMs({ ...base, variant: 'int8', backend: 'wasm', threads: 2 }, a)).toBeCloseTo(5, 10);
    expect(floorMs({ ...base, variant: 'int8', backend: 'wasm', threads: 1 }, a)).toBeCloseTo(10, 10);
    // More threads than cores do not add peak.
    expect(floorMs({ ...base, variant: 'int8', backend: 'wasm', threads: 8 }, a)).toBeCloseTo(5, 10);
  });

  it('fp32 and fp16 on WASM use 8 MACs/cycle; batch scales the floor', () => {
    expect(floorMs({ ...base, variant: 'fp32', backend: 'wasm', threads: 1 }, a)).toBeCloseTo(20, 10);
    expect(floorMs({ ...base, batch: 8, variant: 'fp16', backend: 'wasm', threads: 2 }, a)).toBeCloseTo(80, 10);
  });

  it('WebGPU has a floor only on a CPU adapter', () => {
    expect(floorMs({ ...base, variant: 'fp32', backend: 'webgpu', threads: 1 }, a)).toBeNull();
    expect(floorMs({ ...base, webgpuOnCpu: true, variant: 'fp32', backend: 'webgpu', threads: 1 }, a)).toBeCloseTo(10, 10);
    expect(isCpuAdapter('google swiftshader')).toBe(true);
    expect(isCpuAdapter('nvidia ampere')).toBe(false);
    expect(isCpuAdapter(undefined)).toBe(false);
  });

  it('states its assumption', () => {
    expect(a.note).toMatch(/128-bit/);
    expect(a.macsPerCyclePerCore).toEqual({ int8: 16, fp32: 8 });
  });

  it('reads the clock from /proc/cpuinfo text (fastest core), or nothing', () => {
    expect(readClockGhz('processor\t: 0\ncpu MHz\t\t: 2600.000\nprocessor\t: 1\ncpu MHz\t\t: 2899.998\n')).toBe(2.9);
    expect(readClockGhz('model name : ARM\n')).toBeUndefined();
  });
});
