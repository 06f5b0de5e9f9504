import { describe, expect, it } from 'vitest';
import { chooseBackend, fallbackChoice, parseOverrides } from '../../src/features/engine/shared/backend-selection.ts';
import type { ProbeResult } from '../../src/features/engine/shared/engine-api.ts';
import { EngineError } from '../../src/features/engine/shared/engine-errors.ts';
import type { VariantName } from '../../src/shared/model-manifest.ts';

const ALL: VariantName[] = ['fp32', 'fp16', 'int8'];

function probe(over: { gpu?: boolean; f16?: boolean; isolated?: boolean; cores?: number; simd?: boolean } = {}): ProbeResult {
  const isolated = over.isolated ?? true;
  return {
    webgpu: over.gpu
      ? { available: true, adapter: 'test adapter', shaderF16: over.f16 ?? false }
      : { available: false, shaderF16: false, error: 'no adapter' },
    wasm: { simd: over.simd ?? true, threads: isolated, crossOriginIsolated: isolated, hardwareConcurrency: over.cores ?? 8 },
    userAgent: 'test',
  };
}

describe('chooseBackend (automatic policy)', () => {
  it('WebGPU with shader-f16 → fp16', () => {
    const c = chooseBackend(probe({ gpu: true, f16: true }), ALL);
    expect(c).toMatchObject({ backend: 'webgpu', variant: 'fp16' });
    expect(c.reasons.join(' | ')).toMatch(/shader-f16 → fp16/);
  });

  it('WebGPU without shader-f16 → fp32 (e.g. SwiftShader)', () => {
    const c = chooseBackend(probe({ gpu: true, f16: false }), ALL);
    expect(c).toMatchObject({ backend: 'webgpu', variant: 'fp32' });
    expect(c.reasons.join(' | ')).toMatch(/no shader-f16 → fp32/);
  });

  it('no WebGPU → WASM int8, threads = min(4, cores) when cross-origin isolated', () => {
    expect(chooseBackend(probe({ cores: 8 }), ALL)).toMatchObject({ backend: 'wasm', variant: 'int8', threads: 4 });
    expect(chooseBackend(probe({ cores: 2 }), ALL)).toMatchObject({ threads: 2 });
    expect(chooseBackend(probe({ cores: 0 }), ALL)).toMatchObject({ threads: 1 });
  });

  it('not cross-origin isolated → one thread, and says so', () => {
    const c = chooseBackend(probe({ isolated: false, cores: 8 }), ALL);
    expect(c.threads).toBe(1);
    expect(c.reasons.join(' | ')).toMatch(/not cross-origin isolated → 1 WASM thread/);
  });

  it('uses what the manifest has when the preferred variant is missing', () => {
    expect(chooseBackend(probe({ gpu: true, f16: true }), ['fp32', 'int8'])).toMatchObject({ backend: 'webgpu', variant: 'fp32' });
    expect(chooseBackend(probe(), ['fp32', 'fp16'])).toMatchObject({ backend: 'wasm', variant: 'fp32' });
    expect(chooseBackend(probe({ gpu: true }), ['int8'])).toMatchObject({ backend: 'webgpu', variant: 'int8' });
  });

  it('refuses a browser without WASM SIMD with an actionable error', () => {
    expect(() => chooseBackend(probe({ simd: false }), ALL)).toThrow(EngineError);
    try {
      chooseBackend(probe({ simd: false }), ALL);
    } catch (err) {
      expect((err as EngineError).code).toBe('backend-unavailable');
      expect((err as EngineError).message).toMatch(/Update the browser/);
    }
  });

  it('refuses an empty variant list', () => {
    expect(() => chooseBackend(probe(), [])).toThrow(/lists no variants/);
  });
});

describe('chooseBackend (overrides)', () => {
  it('backend/variant/threads overrides win over the policy', () => {
    const c = chooseBackend(probe({ gpu: true, f16: true }), ALL, { backend: 'wasm', variant: 'fp32', threads: 1 });
    expect(c).toMatchObject({ backend: 'wasm', variant: 'fp32', threads: 1 });
    expect(c.reasons).toEqual(expect.arrayContaining(['backend=wasm requested', 'variant=fp32 requested', 'threads=1 requested']));
  });

  it('a WebGPU request on a device without WebGPU degrades to WASM with a reason', () => {
    const c = chooseBackend(probe(), ALL, { backend: 'webgpu' });
    expect(c).toMatchObject({ backend: 'wasm', variant: 'int8' });
    expect(c.reasons[0]).toMatch(/WebGPU was requested but is unavailable/);
  });

  it('a variant the model does not have is a manifest error naming the ones it has', () => {
    expect(() => chooseBackend(probe(), ['int8'], { variant: 'fp16' })).toThrow(/has no "fp16" variant \(it has int8\)/);
  });

  it('never runs fp16 on an adapter without shader-f16 (it computes garbage there): fp32 on WebGPU', () => {
    const c = chooseBackend(probe({ gpu: true, f16: false }), ALL, { variant: 'fp16' });
    expect(c).toMatchObject({ backend: 'webgpu', variant: 'fp32' });
    expect(c.reasons.join(' | ')).toMatch(/no shader-f16, where fp16 gives wrong results → fp32 on WebGPU/);
    const noFp32 = chooseBackend(probe({ gpu: true, f16: false }), ['fp16', 'int8'], { variant: 'fp16', backend: 'webgpu' });
    expect(noFp32).toMatchObject({ backend: 'wasm', variant: 'int8' });
  });

  it('still runs fp16 when the adapter has shader-f16', () => {
    expect(chooseBackend(probe({ gpu: true, f16: true }), ALL, { variant: 'fp16' })).toMatchObject({ backend: 'webgpu', variant: 'fp16' });
  });

  it('never runs int8 on WebGPU (wrong results there): the int8 variant runs on WASM', () => {
    for (const overrides of [{ variant: 'int8' as const }, { variant: 'int8' as const, backend: 'webgpu' as const }]) {
      const c = chooseBackend(probe({ gpu: true, f16: true }), ALL, overrides);
      expect(c).toMatchObject({ backend: 'wasm', variant: 'int8' });
      expect(c.reasons.join(' | ')).toMatch(/int8 gives wrong results on the WebGPU backend → int8 on WASM/);
    }
  });

  it('more than one thread without isolation is reduced to one', () => {
    expect(chooseBackend(probe({ isolated: false }), ALL, { threads: 4 }).threads).toBe(1);
  });
});

describe('fallbackChoice', () => {
  it('moves to WASM int8, keeps the thread count, and leads with why', () => {
    const p = probe({ gpu: true, f16: true, cores: 2 });
    const failed = chooseBackend(p, ALL);
    const fb = fallbackChoice(failed, p, ALL, {}, 'device lost');
    expect(fb).toMatchObject({ backend: 'wasm', variant: 'int8', threads: failed.threads });
    expect(fb.reasons[0]).toBe('WebGPU (fp16) failed: device lost → fell back to WASM');
  });

  it('keeps an explicitly requested variant', () => {
    const p = probe({ gpu: true });
    const failed = chooseBackend(p, ALL, { variant: 'fp32' });
    expect(fallbackChoice(failed, p, ALL, { variant: 'fp32' }, 'x').variant).toBe('fp32');
  });

  it('does not carry fp16 to WASM, and says so', () => {
    const p = probe({ gpu: true, f16: true });
    const failed = chooseBackend(p, ALL, { variant: 'fp16' });
    const fb = fallbackChoice(failed, p, ALL, { variant: 'fp16' }, 'x');
    expect(fb.variant).toBe('int8');
    expect(fb.reasons[1]).toBe('fp16 does not run on WASM → int8');
  });
});

describe('parseOverrides', () => {
  it('reads backend, variant and threads', () => {
    expect(parseOverrides('?backend=wasm&variant=fp32&threads=1')).toEqual({
      overrides: { backend: 'wasm', variant: 'fp32', threads: 1 },
      warnings: [],
    });
  });

  it('treats auto and empty as no override', () => {
    expect(parseOverrides('?backend=auto&variant=&threads=').overrides).toEqual({});
  });

  it('ignores bad values with a warning a person can act on', () => {
    const r = parseOverrides('?backend=cuda&variant=int4&threads=0');
    expect(r.overrides).toEqual({});
    expect(r.warnings).toEqual([
      '?backend=cuda ignored: use webgpu or wasm',
      '?variant=int4 ignored: use fp32, fp16 or int8',
      '?threads=0 ignored: use a whole number from 1 to 64',
    ]);
  });

  it('reads the WebGPU failure test hook', () => {
    expect(parseOverrides('?debugFailWebgpu=1').overrides).toEqual({ debugFailWebGpu: true });
  });
});
