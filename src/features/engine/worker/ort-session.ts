/// <reference types="@webgpu/types" />
/**
 * onnxruntime-web inside the worker: runtime configuration (served from our origin under
 * /ort/), session creation per backend, and watching the WebGPU device for loss.
 *
 * The app resolves `onnxruntime-web` to its JSEP build with the Emscripten loader kept external
 * (see scripts/vite/ort-runtime-plugin.ts), so the runtime is exactly two files:
 * /ort/ort-wasm-simd-threaded.jsep.mjs and .wasm — one binary for both the WASM and WebGPU EPs.
 */
import * as ort from 'onnxruntime-web';
import type { BackendName } from '../../../shared/model-manifest.ts';
import { EngineError } from '../shared/engine-errors.ts';

/** Where the runtime files are served (scripts/vite/ort-runtime-plugin.ts emits them there). */
const ORT_BASE = `${import.meta.env.BASE_URL}ort/`;

let runtimeThreads: number | null = null;

/**
 * Whether ORT's WebGPU backend (JSEP) has been started in this worker. ORT starts it lazily, with
 * the first WebGPU session, and from then on counts every session created or released; when that
 * count drops to zero it destroys every GPU buffer it holds. A session created BEFORE the start
 * was never counted, but its release IS (onnxruntime-web 1.31, gpu-data-manager.ts
 * onCreateSession/onReleaseSession): releasing it while a WebGPU session is open drops the count
 * to zero and wipes that session's weights, and its next run fails with
 * `Kernel "[Gemm] …" failed. Error: no GPU data for input: N`. See `predatesWebGpuRuntime`.
 * Only set once a WebGPU session was created (a failed creation may not have started it):
 * erring towards "not started" only makes the engine release an old session a little earlier.
 */
let webGpuRuntimeStarted = false;

/** The thread count the WASM runtime was initialised with; it cannot change for the life of the worker. */
export function getRuntimeThreads(): number | null {
  return runtimeThreads;
}

/**
 * Configures the runtime before its first session. ORT initialises WASM once, with the thread
 * count set at that moment; asking for another count later needs a fresh worker, which the
 * bridge does on 'restart-required'.
 */
function configureRuntime(threads: number): void {
  if (runtimeThreads !== null) {
    if (runtimeThreads !== threads) {
      throw new EngineError(
        'restart-required',
        `The WASM runtime already runs with ${runtimeThreads} thread(s); ${threads} need a fresh worker.`,
      );
    }
    return;
  }
  ort.env.wasm.wasmPaths = new URL(ORT_BASE, self.location.origin).href;
  ort.env.wasm.numThreads = threads;
  // We already are in a worker; ORT's own proxy worker would only add a hop.
  ort.env.wasm.proxy = false;
  ort.env.logLevel = 'error';
  runtimeThreads = threads;
}

export interface OpenSession {
  session: ort.InferenceSession;
  backend: BackendName;
  /** Resolves when the WebGPU device is lost (never for WASM). */
  deviceLost: Promise<string>;
  device?: GPUDevice;
  /**
   * True for a WASM session created before ORT's WebGPU backend started (see
   * `webGpuRuntimeStarted`): it must be released BEFORE a WebGPU session is created, never while
   * one is open, or ORT frees the WebGPU session's GPU buffers.
   */
  predatesWebGpuRuntime: boolean;
}

export interface CreateSessionOptions {
  backend: BackendName;
  threads: number;
  /** Test hook: fail WebGPU session creation as a broken driver would. */
  debugFailWebGpu?: boolean;
}

const never = new Promise<string>(() => {});

export async function createSession(bytes: Uint8Array, options: CreateSessionOptions): Promise<OpenSession> {
  configureRuntime(options.threads);
  if (options.backend === 'webgpu') {
    if (options.debugFailWebGpu) {
      throw new EngineError('session-create', 'WebGPU session creation failed (simulated by the debugFailWebGpu test hook).');
    }
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, { executionProviders: ['webgpu'], graphOptimizationLevel: 'all' });
    } catch (err) {
      throw new EngineError('session-create', `Could not create the WebGPU session: ${(err as Error).message ?? String(err)}`);
    }
    const device = await ort.env.webgpu.device;
    const deviceLost = device
      ? device.lost.then((info) => `${info.reason === 'destroyed' ? 'device destroyed' : 'device lost'}${info.message ? `: ${info.message}` : ''}`)
      : never;
    webGpuRuntimeStarted = true;
    const open: OpenSession = { session, backend: 'webgpu', deviceLost, predatesWebGpuRuntime: false };
    return device ? { ...open, device } : open;
  }
  try {
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    return { session, backend: 'wasm', deviceLost: never, predatesWebGpuRuntime: !webGpuRuntimeStarted };
  } catch (err) {
    throw new EngineError('session-create', `Could not create the WASM session: ${(err as Error).message ?? String(err)}`);
  }
}

export { ort };
