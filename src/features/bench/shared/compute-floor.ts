/**
 * The compute floor: how long one image's multiply-accumulates would take if every core the run
 * may use retired its SIMD units' peak every cycle. Real kernels never reach it (memory traffic,
 * depthwise convs, thread sync), so a latency is shown as a multiple of it: the gap to close.
 *
 * Assumptions (stated in every report):
 * - WebAssembly SIMD is 128 bits wide whatever the CPU offers (AVX2/AVX-512 cannot be used).
 * - x86 cores issue two 128-bit SIMD multiply(-add)s per cycle.
 * - int8: onnxruntime-web's WASM int8 GEMM widens to int16 and uses i32x4.dot_i16x8_s
 *   (8 MACs per instruction) → 16 MACs/cycle/core.
 * - fp32 (and fp16, which the WASM backend computes in fp32): 4 lanes × 2 fused multiply-adds
 *   → 8 MACs/cycle/core (a separate multiply and add would halve this).
 * - WebGPU on SwiftShader runs on the same CPU cores: the fp32 figure applies. On a real GPU the
 *   page cannot know the peak, so no floor is given.
 */
import type { BackendName, VariantName } from '../../../shared/model-manifest.ts';

export const MACS_PER_CYCLE_PER_CORE = { int8: 16, fp32: 8 } as const;

export interface FloorAssumption {
  clockGhz: number;
  macsPerCyclePerCore: { int8: number; fp32: number };
  note: string;
}

export function defaultAssumption(clockGhz: number): FloorAssumption {
  return {
    clockGhz,
    macsPerCyclePerCore: { ...MACS_PER_CYCLE_PER_CORE },
    note:
      'peak = cores used × MACs/cycle/core × clock. WASM SIMD is 128-bit; two SIMD ops per cycle per core. ' +
      'int8: i32x4.dot_i16x8_s, 8 MACs/op → 16 MACs/cycle/core. fp32/fp16 (computed in fp32 on WASM, and on ' +
      'SwiftShader WebGPU): 4 lanes × 2 FMA → 8 MACs/cycle/core. Clock as given (nominal, no turbo). ' +
      'No floor for WebGPU on a real GPU (its peak is unknown to the page).',
  };
}

export interface FloorInput {
  macsPerImage: number;
  batch: number;
  variant: VariantName;
  backend: BackendName;
  /** WASM threads (1 for WebGPU, whose CPU fallback still splits work across cores in SwiftShader). */
  threads: number;
  hardwareConcurrency: number;
  /** True when the WebGPU adapter is a CPU implementation (SwiftShader). */
  webgpuOnCpu: boolean;
}

/** Milliseconds the batch's MACs take at the assumed peak, or null when no peak is known. */
export function floorMs(input: FloorInput, a: FloorAssumption): number | null {
  if (!(input.macsPerImage > 0) || !(a.clockGhz > 0)) return null;
  let cores: number;
  let perCycle: number;
  if (input.backend === 'wasm') {
    cores = Math.max(1, Math.min(input.threads, input.hardwareConcurrency));
    perCycle = input.variant === 'int8' ? a.macsPerCyclePerCore.int8 : a.macsPerCyclePerCore.fp32;
  } else {
    if (!input.webgpuOnCpu) return null;
    cores = Math.max(1, input.hardwareConcurrency);
    perCycle = a.macsPerCyclePerCore.fp32;
  }
  const macsPerSecond = cores * perCycle * a.clockGhz * 1e9;
  return ((input.macsPerImage * input.batch) / macsPerSecond) * 1000;
}

/** Whether a WebGPU adapter description names a CPU implementation. */
export function isCpuAdapter(adapter: string | undefined): boolean {
  return !!adapter && /swiftshader|llvmpipe|lavapipe|warp|cpu/i.test(adapter);
}
