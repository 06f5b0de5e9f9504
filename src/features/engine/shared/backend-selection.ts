/**
 * Which backend, variant and thread count to run a model with — a pure function of what the
 * device offers (probe), which variants the manifest has, and debug/benchmark overrides, so the
 * policy is unit-tested without a browser. The reasons it returns are shown on the engine panel.
 */
import type { BackendName, VariantName } from '../../../shared/model-manifest.ts';
import type { EngineOverrides, ProbeResult } from './engine-api.ts';
import { EngineError } from './engine-errors.ts';

export interface BackendChoice {
  backend: BackendName;
  variant: VariantName;
  threads: number;
  reasons: string[];
}

/** More threads than this rarely speed up a small CNN and starve the page on phones. */
export const MAX_WASM_THREADS = 4;

const BACKENDS: readonly BackendName[] = ['webgpu', 'wasm'];
const VARIANTS: readonly VariantName[] = ['fp32', 'fp16', 'int8'];

function threadsFor(probe: ProbeResult, override: number | undefined, reasons: string[]): number {
  const { crossOriginIsolated, threads, hardwareConcurrency } = probe.wasm;
  if (override !== undefined) {
    if (override > 1 && !(crossOriginIsolated && threads)) {
      reasons.push(`${override} threads were requested, but the page is not cross-origin isolated → 1 thread`);
      return 1;
    }
    reasons.push(`threads=${override} requested`);
    return override;
  }
  if (crossOriginIsolated && threads) {
    const n = Math.max(1, Math.min(MAX_WASM_THREADS, hardwareConcurrency || 1));
    reasons.push(`cross-origin isolated with ${hardwareConcurrency} cores → ${n} WASM thread${n === 1 ? '' : 's'}`);
    return n;
  }
  reasons.push(crossOriginIsolated ? 'SharedArrayBuffer is unavailable → 1 WASM thread' : 'not cross-origin isolated → 1 WASM thread');
  return 1;
}

/** The variant to use on WASM when none was asked for: int8 (smallest, fastest on CPU), else fp32. */
function wasmVariant(available: readonly VariantName[]): VariantName {
  if (available.includes('int8')) return 'int8';
  if (available.includes('fp32')) return 'fp32';
  return available[0]!;
}

function requireVariant(variant: VariantName, available: readonly VariantName[]): void {
  if (!available.includes(variant)) {
    throw new EngineError(
      'manifest',
      `The model has no "${variant}" variant (it has ${available.join(', ')}). Pick one of those (?variant=…).`,
    );
  }
}

/**
 * The automatic policy: WebGPU with shader-f16 → fp16; WebGPU without it → fp32; otherwise WASM
 * (SIMD; threads when cross-origin isolated) → int8. Overrides win over the policy; an override
 * the device cannot honour (WebGPU without an adapter, int8 on WebGPU, fp16 without shader-f16)
 * degrades to the nearest combination that computes correct results, with a reason saying so.
 */
export function chooseBackend(probe: ProbeResult, available: readonly VariantName[], overrides: EngineOverrides = {}): BackendChoice {
  if (available.length === 0) throw new EngineError('manifest', 'The model manifest lists no variants.');
  if (!probe.wasm.simd) {
    throw new EngineError(
      'backend-unavailable',
      'This browser lacks WebAssembly SIMD, which the ONNX runtime needs (also for WebGPU). Update the browser (Chrome 91+, Safari 16.4+, Firefox 89+).',
    );
  }
  const reasons: string[] = [];
  const gpu = probe.webgpu;
  let backend: BackendName;
  let variant: VariantName;

  if (overrides.backend === 'webgpu' && !gpu.available) {
    reasons.push(`WebGPU was requested but is unavailable (${gpu.error ?? 'no adapter'}) → WASM`);
    backend = 'wasm';
  } else if (overrides.backend) {
    reasons.push(`backend=${overrides.backend} requested`);
    backend = overrides.backend;
  } else if (gpu.available) {
    backend = 'webgpu';
    reasons.push(`WebGPU adapter${gpu.adapter ? ` "${gpu.adapter}"` : ''} found`);
  } else {
    backend = 'wasm';
    reasons.push(`no WebGPU adapter (${gpu.error ?? 'navigator.gpu missing'}) → WASM with SIMD`);
  }

  if (overrides.variant) {
    requireVariant(overrides.variant, available);
    variant = overrides.variant;
    reasons.push(`variant=${variant} requested`);
    // Two combinations run without an error but compute garbage in onnxruntime-web 1.31 (measured:
    // embedding cosine ≈ 0 against fp32), so they are never run — a wrong answer is worse than a
    // slower one. int8 QDQ graphs on WebGPU: keep the variant, run it on WASM. fp16 on an adapter
    // without shader-f16: keep WebGPU, run fp32.
    if (backend === 'webgpu' && variant === 'int8') {
      backend = 'wasm';
      reasons.push('int8 gives wrong results on the WebGPU backend → int8 on WASM');
    } else if (backend === 'webgpu' && variant === 'fp16' && !gpu.shaderF16) {
      if (available.includes('fp32')) {
        variant = 'fp32';
        reasons.push('the adapter has no shader-f16, where fp16 gives wrong results → fp32 on WebGPU');
      } else {
        backend = 'wasm';
        variant = wasmVariant(available);
        reasons.push(`the adapter has no shader-f16, where fp16 gives wrong results → ${variant} on WASM`);
      }
    }
  } else if (backend === 'webgpu') {
    if (gpu.shaderF16 && available.includes('fp16')) {
      variant = 'fp16';
      reasons.push('adapter supports shader-f16 → fp16 variant');
    } else if (available.includes('fp32')) {
      variant = 'fp32';
      reasons.push(gpu.shaderF16 ? 'model has no fp16 variant → fp32' : 'adapter has no shader-f16 → fp32 variant');
    } else {
      variant = wasmVariant(available);
      reasons.push(`model has no fp16/fp32 variant → ${variant}`);
    }
  } else {
    variant = wasmVariant(available);
    reasons.push(variant === 'int8' ? 'WASM → int8 variant (smallest, fastest on CPU)' : `model has no int8 variant → ${variant}`);
  }

  const threads = threadsFor(probe, overrides.threads, reasons);
  return { backend, variant, threads, reasons };
}

/** The choice after WebGPU failed (session creation or device loss): WASM, keeping an explicitly requested variant unless it is fp16. */
export function fallbackChoice(
  failed: BackendChoice,
  probe: ProbeResult,
  available: readonly VariantName[],
  overrides: EngineOverrides,
  error: string,
): BackendChoice {
  // fp16 graphs have few CPU kernels in onnxruntime: on WASM use the WASM variant instead.
  const keepVariant = overrides.variant && overrides.variant !== 'fp16' ? { variant: overrides.variant } : {};
  const { variant: _dropped, ...rest } = overrides;
  const choice = chooseBackend(probe, available, { ...rest, ...keepVariant, backend: 'wasm' });
  const notes = overrides.variant === 'fp16' ? [`fp16 does not run on WASM → ${choice.variant}`] : [];
  // Keep the thread count: the runtime cannot change it without a restart.
  return {
    ...choice,
    threads: failed.threads,
    reasons: [`WebGPU (${failed.variant}) failed: ${error} → fell back to WASM`, ...notes, ...choice.reasons.filter((r) => !r.startsWith('backend='))],
  };
}

export interface ParsedOverrides {
  overrides: EngineOverrides & { debugFailWebGpu?: boolean };
  /** Query values that were ignored, with why (shown next to the reasons). */
  warnings: string[];
}

/** Reads `?backend=wasm&variant=fp32&threads=1` (and the `debugFailWebgpu=1` test hook). Bad values are ignored with a warning. */
export function parseOverrides(search: string): ParsedOverrides {
  const q = new URLSearchParams(search);
  const overrides: ParsedOverrides['overrides'] = {};
  const warnings: string[] = [];
  const backend = q.get('backend');
  if (backend !== null && backend !== '' && backend !== 'auto') {
    if ((BACKENDS as readonly string[]).includes(backend)) overrides.backend = backend as BackendName;
    else warnings.push(`?backend=${backend} ignored: use webgpu or wasm`);
  }
  const variant = q.get('variant');
  if (variant !== null && variant !== '' && variant !== 'auto') {
    if ((VARIANTS as readonly string[]).includes(variant)) overrides.variant = variant as VariantName;
    else warnings.push(`?variant=${variant} ignored: use fp32, fp16 or int8`);
  }
  const threads = q.get('threads');
  if (threads !== null && threads !== '') {
    const n = Number(threads);
    if (Number.isInteger(n) && n >= 1 && n <= 64) overrides.threads = n;
    else warnings.push(`?threads=${threads} ignored: use a whole number from 1 to 64`);
  }
  const fail = q.get('debugFailWebgpu');
  if (fail === '1' || fail === 'true') overrides.debugFailWebGpu = true;
  return { overrides, warnings };
}
