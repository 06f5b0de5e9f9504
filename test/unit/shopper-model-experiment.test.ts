import { describe, expect, it } from 'vitest';
import { armOverrides, decideModelArm, whyNotRunnable } from '../../src/app/services/model-experiment.ts';
import { defaultExperimentsConfig } from '../../src/features/experiments/client/experiments-client.ts';
import type { ProbeResult } from '../../src/features/engine/shared/engine-api.ts';

const wasm = { simd: true, threads: false, crossOriginIsolated: false, hardwareConcurrency: 2 };
const WASM_ONLY: ProbeResult = { webgpu: { available: false, shaderF16: false, error: 'navigator.gpu missing' }, wasm, userAgent: 'test' };
const GPU_NO_F16: ProbeResult = { webgpu: { available: true, adapter: 'swiftshader', shaderF16: false }, wasm, userAgent: 'test' };
const GPU_F16: ProbeResult = { webgpu: { available: true, adapter: 'phone gpu', shaderF16: true }, wasm, userAgent: 'test' };

const experiment = defaultExperimentsConfig().experiments.find((e) => e.id === 'model-precision-1')!;

describe('model-variant experiment on the model load', () => {
  it('reads variant and backend from the bundled arms and ignores unknown values', () => {
    expect(armOverrides(experiment.arms.find((a) => a.id === 'int8')!.params)).toEqual({ variant: 'int8', backend: 'wasm' });
    expect(armOverrides(experiment.arms.find((a) => a.id === 'fp16')!.params)).toEqual({ variant: 'fp16', backend: 'webgpu' });
    expect(armOverrides({ variant: 'fp8', backend: 'npu', rankingPreset: 'visual' })).toEqual({});
  });

  it('says fp16 runs only on WebGPU with shader-f16', () => {
    expect(whyNotRunnable({ variant: 'fp16' }, WASM_ONLY)).toMatch(/WebGPU/);
    expect(whyNotRunnable({ variant: 'fp16' }, GPU_NO_F16)).toMatch(/shader-f16/);
    expect(whyNotRunnable({ variant: 'fp16', backend: 'wasm' }, GPU_F16)).toMatch(/only on WebGPU/);
    expect(whyNotRunnable({ variant: 'fp16', backend: 'webgpu' }, GPU_F16)).toBeNull();
    expect(whyNotRunnable({ variant: 'int8', backend: 'wasm' }, WASM_ONLY)).toBeNull();
  });

  it('does not apply the fp16 arm where it cannot run, and counts neither arm there', () => {
    const fp16 = decideModelArm(experiment, 'fp16', WASM_ONLY);
    expect(fp16).toMatchObject({ arm: 'fp16', applied: false, counted: false, overrides: {} });
    expect(fp16.note).toMatch(/not applicable/);
    // int8 still loads int8 on WASM, but a device that could never get fp16 would bias the int8 arm.
    const int8 = decideModelArm(experiment, 'int8', WASM_ONLY);
    expect(int8).toMatchObject({ arm: 'int8', applied: true, counted: false, overrides: { variant: 'int8', backend: 'wasm' } });
    expect(decideModelArm(experiment, 'fp16', GPU_NO_F16)).toMatchObject({ applied: false, counted: false });
  });

  it('applies and counts both arms on a device with WebGPU shader-f16', () => {
    expect(decideModelArm(experiment, 'fp16', GPU_F16)).toMatchObject({ applied: true, counted: true, overrides: { variant: 'fp16', backend: 'webgpu' } });
    expect(decideModelArm(experiment, 'int8', GPU_F16)).toMatchObject({ applied: true, counted: true, overrides: { variant: 'int8', backend: 'wasm' } });
  });

  it('leaves an explicit ?backend=/?variant= choice alone', () => {
    expect(decideModelArm(experiment, 'fp16', GPU_F16, true)).toMatchObject({ applied: false, counted: false, overrides: {} });
  });
});
