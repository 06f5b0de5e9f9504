/**
 * The engine as the page uses it: typed probe/load/classify/run/dispose over the worker bridge.
 * It remembers the last load() and registers it as the bridge's restore step, so a worker that
 * was restarted (crash, hang, abort, idle release) comes back with the same model.
 */
import { proxy, transfer } from 'comlink';
import type { DrishtiWorkerApi } from '../../../worker/drishti.worker.ts';
import { parseOverrides } from '../shared/backend-selection.ts';
import type {
  CallOptions,
  ClassifyResult,
  EngineStatus,
  ImageInput,
  LoadOptions,
  LoadProgress,
  LoadResult,
  ProbeResult,
  RunResult,
  TensorData,
} from '../shared/engine-api.ts';
import { isEngineError } from '../shared/engine-errors.ts';
import type { RemoteMembers, WorkerBridge } from './worker-bridge.ts';

/** Loading downloads the model and compiles it; give it longer than a single inference. */
export const LOAD_TIMEOUT_MS = 5 * 60_000;

export interface LoadCallOptions extends CallOptions {
  onProgress?: (progress: LoadProgress) => void;
}

export interface EngineClientOptions {
  /**
   * Read `?backend=&variant=&threads=` from the page URL (default true). Embedders on pages whose
   * query string is not theirs (the merchant widget) pass false.
   */
  readQueryOverrides?: boolean;
}

export class EngineClient {
  private last: LoadResult | null = null;
  private readonly readQuery: boolean;

  constructor(
    readonly bridge: WorkerBridge<DrishtiWorkerApi>,
    options: EngineClientOptions = {},
  ) {
    this.readQuery = options.readQueryOverrides ?? true;
  }

  /** The result of the last successful load (updated when a restart reloads the model). */
  get lastLoad(): LoadResult | null {
    return this.last;
  }

  probe(options: CallOptions = {}): Promise<ProbeResult> {
    return this.bridge.call((r) => r.engine.probe(), { label: 'probe', ...options });
  }

  /**
   * Loads a model and picks backend/variant. Precedence: explicit `options` > URL query
   * (`?backend=&variant=&threads=`) > the automatic policy. Ignored query values are reported
   * at the end of `reasons`.
   */
  async load(options: LoadOptions = {}, call: LoadCallOptions = {}): Promise<LoadResult> {
    const { overrides, warnings } = this.readQuery ? parseOverrides(globalThis.location?.search ?? '') : { overrides: {}, warnings: [] };
    const merged: LoadOptions = { ...overrides, ...options };
    if (merged.manifestUrl) merged.manifestUrl = new URL(merged.manifestUrl, globalThis.location?.href).href;
    const { onProgress, ...callOptions } = call;
    const withWarnings = (r: LoadResult): LoadResult => (warnings.length ? { ...r, reasons: [...r.reasons, ...warnings] } : r);
    const restore = async (r: RemoteMembers<DrishtiWorkerApi>): Promise<void> => {
      this.last = withWarnings(await r.engine.load(merged));
    };
    const opts = { label: 'load', timeoutMs: LOAD_TIMEOUT_MS, ...callOptions };
    try {
      const result = await this.bridge.call((r) => r.engine.load(merged, onProgress ? proxy(onProgress) : undefined), opts);
      this.last = withWarnings(result);
    } catch (err) {
      if (!isEngineError(err) || err.code !== 'restart-required') throw err;
      // The WASM runtime's thread count is fixed per worker: start a fresh one with the new load as its restore step.
      this.bridge.setRestore('engine', restore);
      this.bridge.restart('thread count changed');
      await this.bridge.call(async () => undefined, opts);
    }
    this.bridge.setRestore('engine', restore);
    return this.last!;
  }

  /** Classifies one image; an ImageBitmap is transferred (unusable afterwards on the page). */
  async classify(image: ImageInput, options: CallOptions = {}): Promise<ClassifyResult> {
    const arg = typeof ImageBitmap !== 'undefined' && image instanceof ImageBitmap ? transfer(image, [image]) : image;
    return this.noteBackend(await this.bridge.call((r) => r.engine.classify(arg), { label: 'classify', ...options }), options);
  }

  async run(inputs: Record<string, TensorData>, options: CallOptions = {}): Promise<RunResult> {
    return this.noteBackend(await this.bridge.call((r) => r.engine.run(inputs), { label: 'run', ...options }), options);
  }

  /** After the worker moved the model to WASM (WebGPU failed mid-session), refresh `lastLoad` so panels show it. */
  private async noteBackend<T extends ClassifyResult | RunResult>(result: T, options: CallOptions): Promise<T> {
    const last = this.last;
    if (last && (result.backend !== last.backend || result.variant !== last.variant)) {
      try {
        this.last = (await this.status(options)).loaded ?? last;
      } catch {
        // The result stands; the panel just shows the older choice.
      }
    }
    return result;
  }

  status(options: CallOptions = {}): Promise<EngineStatus> {
    return this.bridge.call((r) => r.engine.status(), { label: 'status', skipRestore: true, ...options });
  }

  /** Releases the session and forgets the last load (a restarted worker will not reload it). */
  async dispose(options: CallOptions = {}): Promise<void> {
    this.bridge.setRestore('engine', undefined);
    this.last = null;
    if (!this.bridge.stats.alive) return;
    await this.bridge.call((r) => r.engine.dispose(), { label: 'dispose', skipRestore: true, ...options });
  }

  /** Test hooks (see EngineWorkerApi.debugCrash / debugLoseDevice and WorkerBridge.debugKill). */
  readonly debug = {
    crash: (kind: 'throw' | 'hang', options: CallOptions = {}): Promise<void> =>
      this.bridge.call((r) => r.engine.debugCrash(kind), { label: `debugCrash(${kind})`, ...options }),
    loseDevice: (options: CallOptions = {}): Promise<boolean> =>
      this.bridge.call((r) => r.engine.debugLoseDevice(), { label: 'debugLoseDevice', ...options }),
    kill: (): void => this.bridge.debugKill(),
  };
}
