/// <reference types="@webgpu/types" />
/**
 * What this device offers the engine, measured where the sessions run (the worker): WebGPU
 * adapter and shader-f16, WASM SIMD and threads, memory hints. Feeds chooseBackend().
 */
import type { ProbeResult } from '../shared/engine-api.ts';

/**
 * The smallest module using a SIMD instruction: one function returning a v128
 * (i32.const 0; i8x16.splat; end). WebAssembly.validate tells whether the engine accepts it.
 */
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic + version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x00, 0xfd, 0x0f, 0x0b, // code: i32.const 0, i8x16.splat, end
]);

export function wasmSimdSupported(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

function wasmThreadsSupported(): boolean {
  if (typeof SharedArrayBuffer === 'undefined' || !globalThis.crossOriginIsolated) return false;
  try {
    // Shared memory is what the threaded runtime allocates; some browsers expose SAB but refuse this.
    return new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

async function probeWebGpu(): Promise<ProbeResult['webgpu']> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return { available: false, shaderF16: false, error: 'navigator.gpu is missing (WebGPU not enabled in this browser)' };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { available: false, shaderF16: false, error: 'the browser offered no WebGPU adapter' };
    const info = adapter.info;
    const name = [info?.vendor, info?.architecture, info?.description].filter((s) => s && s.length > 0).join(' ');
    return { available: true, adapter: name || 'unknown adapter', shaderF16: adapter.features.has('shader-f16') };
  } catch (err) {
    return { available: false, shaderF16: false, error: `requestAdapter failed: ${(err as Error).message}` };
  }
}

export async function probeDevice(): Promise<ProbeResult> {
  const nav = globalThis.navigator as Navigator & { deviceMemory?: number };
  const result: ProbeResult = {
    webgpu: await probeWebGpu(),
    wasm: {
      simd: wasmSimdSupported(),
      threads: wasmThreadsSupported(),
      crossOriginIsolated: Boolean(globalThis.crossOriginIsolated),
      hardwareConcurrency: nav.hardwareConcurrency || 1,
    },
    userAgent: nav.userAgent,
  };
  if (typeof nav.deviceMemory === 'number') result.deviceMemoryGb = nav.deviceMemory;
  return result;
}
