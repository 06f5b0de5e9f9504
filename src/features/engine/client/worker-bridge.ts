/**
 * The page's one way into the worker. Every feature calls its worker member through
 * `bridge.call(remote => remote.<feature>.<method>(...), { signal, timeoutMs })`, and the bridge
 * handles, once for all of them:
 *
 * - a promise queue: one call runs in the worker at a time, in order;
 * - abort: a queued call is dropped, a running one terminates the (busy) worker; either rejects
 *   with a DOMException named AbortError;
 * - timeout (no reply), a crash (`error` event) or an undecodable message (`messageerror`):
 *   the worker is terminated and the call rejects with an EngineError ('timeout' | 'worker-crashed');
 *   the next call starts a fresh worker and first re-applies the registered restore steps (the
 *   engine's last load()), so it succeeds without a page reload;
 * - idle release: after `idleMs` without calls the worker (and every session and GPU buffer in it)
 *   is terminated, and transparently recreated + restored on the next call.
 *
 * `getEngine()` / `getWorkerBridge()` are the app-wide singletons.
 */
import { releaseProxy, wrap, type Remote } from 'comlink';
import type { DrishtiWorkerApi } from '../../../worker/drishti.worker.ts';
import type { CallOptions } from '../shared/engine-api.ts';
import { EngineError, abortError, installErrorTransfer, isAbortError, toEngineError } from '../shared/engine-errors.ts';
import { EngineClient } from './engine-client.ts';

export interface BridgeConfig {
  /** Milliseconds without calls before the worker is released (0 = never). */
  idleMs: number;
  /** Timeout for calls that pass none (0 = none). */
  defaultTimeoutMs: number;
  /** Timeout for re-applying the restore steps in a fresh worker (a model load). */
  restoreTimeoutMs: number;
}

export const DEFAULT_BRIDGE_CONFIG: BridgeConfig = {
  idleMs: 5 * 60_000,
  defaultTimeoutMs: 60_000,
  restoreTimeoutMs: 5 * 60_000,
};

export interface BridgeCallOptions extends CallOptions {
  /** Names the call in error messages ("classify"). */
  label?: string;
  /** Run without re-applying restore steps first (for calls that tear state down). */
  skipRestore?: boolean;
}

export interface BridgeStats {
  /** Workers started, including the first. */
  starts: number;
  /** Workers terminated because of a timeout, crash or abort. */
  restarts: number;
  /** Workers released for being idle. */
  idleReleases: number;
  /** Whether a worker exists right now. */
  alive: boolean;
  /** Calls queued or running. */
  pending: number;
}

/**
 * What a call receives: one comlink remote per feature member. comlink proxies property paths at
 * run time (`remote.engine.classify(x)` is one message), but its types only proxy functions, so
 * the members are typed here.
 */
export type RemoteMembers<Api> = { [K in keyof Api]: Remote<Api[K]> };

type RestoreStep<Api> = (remote: RemoteMembers<Api>) => Promise<unknown>;

interface LiveWorker<Api> {
  worker: Worker;
  remote: RemoteMembers<Api>;
  proxy: Remote<Api>;
  needsRestore: boolean;
  crashListeners: Set<(why: string) => void>;
}

export class WorkerBridge<Api extends object> {
  private config: BridgeConfig;
  private live: LiveWorker<Api> | null = null;
  private tail: Promise<void> = Promise.resolve();
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly restores = new Map<string, RestoreStep<Api>>();
  private counters = { starts: 0, restarts: 0, idleReleases: 0, pending: 0 };

  constructor(
    private readonly createWorker: () => Worker,
    config: Partial<BridgeConfig> = {},
  ) {
    installErrorTransfer();
    this.config = { ...DEFAULT_BRIDGE_CONFIG, ...config };
  }

  configure(config: Partial<BridgeConfig>): void {
    this.config = { ...this.config, ...config };
    this.armIdle();
  }

  get stats(): BridgeStats {
    return { ...this.counters, alive: this.live !== null };
  }

  /**
   * Registers a step that re-creates a feature's worker state in a fresh worker (e.g. the engine's
   * last load()). Pass undefined to remove it.
   */
  setRestore(key: string, step: RestoreStep<Api> | undefined): void {
    if (step) this.restores.set(key, step);
    else this.restores.delete(key);
  }

  /** Queues a call into the worker. Never rejects with anything but an EngineError or an AbortError. */
  call<T>(fn: (remote: RemoteMembers<Api>) => Promise<T>, options: BridgeCallOptions = {}): Promise<T> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(abortError(signal.reason));
    this.counters.pending++;
    this.clearIdle();
    return new Promise<T>((resolve, reject) => {
      let started = false;
      let dropped = false;
      const onQueuedAbort = (): void => {
        if (started) return;
        dropped = true;
        reject(abortError(signal?.reason));
      };
      signal?.addEventListener('abort', onQueuedAbort, { once: true });
      this.tail = this.tail.then(async () => {
        signal?.removeEventListener('abort', onQueuedAbort);
        try {
          if (dropped) return;
          started = true;
          resolve(await this.execute(fn, options));
        } catch (err) {
          reject(err);
        } finally {
          this.counters.pending--;
          this.armIdle();
        }
      });
    });
  }

  /** Terminates the worker now; the next call starts a fresh one (and restores it). */
  restart(reason = 'restart requested'): void {
    if (this.live) this.kill(this.live, reason, true);
  }

  /** Test hook: the worker vanishes without the bridge being told, as when the browser kills it. */
  debugKill(): void {
    this.live?.worker.terminate();
  }

  /** Terminates the worker and forgets restore steps. */
  dispose(): void {
    this.restores.clear();
    this.clearIdle();
    if (this.live) this.kill(this.live, 'disposed', false);
  }

  private ensureWorker(): LiveWorker<Api> {
    if (this.live) return this.live;
    const worker = this.createWorker();
    const proxy = wrap<Api>(worker);
    const live: LiveWorker<Api> = {
      worker,
      remote: proxy as unknown as RemoteMembers<Api>,
      proxy,
      needsRestore: this.restores.size > 0,
      crashListeners: new Set(),
    };
    const crashed = (why: string): void => {
      if (this.live !== live) return;
      this.kill(live, why, true);
      for (const listener of live.crashListeners) listener(why);
    };
    worker.addEventListener('error', (event: ErrorEvent) => {
      // Handled here: the page must not see it as an uncaught error.
      event.preventDefault();
      crashed(event.message || 'uncaught error in the worker');
    });
    worker.addEventListener('messageerror', () => crashed('a message from the worker could not be decoded'));
    this.live = live;
    this.counters.starts++;
    return live;
  }

  private kill(live: LiveWorker<Api>, _reason: string, countAsRestart: boolean): void {
    if (this.live !== live) return;
    this.live = null;
    try {
      live.proxy[releaseProxy]();
    } catch {
      // The proxy of a dead worker may already be unusable.
    }
    live.worker.terminate();
    if (countAsRestart) this.counters.restarts++;
  }

  private async execute<T>(fn: (remote: RemoteMembers<Api>) => Promise<T>, options: BridgeCallOptions): Promise<T> {
    const live = this.ensureWorker();
    const label = options.label ?? 'call';
    if (live.needsRestore && !options.skipRestore) {
      try {
        await this.guard(live, (remote) => this.applyRestores(remote), {
          ...(options.signal ? { signal: options.signal } : {}),
          timeoutMs: this.config.restoreTimeoutMs,
          label: 'restoring the engine after a restart',
        });
        live.needsRestore = false;
      } catch (err) {
        if (isAbortError(err)) throw err;
        const e = err as EngineError;
        throw new EngineError(e.code, `The engine restarted but could not reload its model: ${e.message}`);
      }
    }
    return this.guard(live, fn, {
      ...(options.signal ? { signal: options.signal } : {}),
      timeoutMs: options.timeoutMs ?? this.config.defaultTimeoutMs,
      label,
    });
  }

  private async applyRestores(remote: RemoteMembers<Api>): Promise<void> {
    for (const step of this.restores.values()) await step(remote);
  }

  /** Runs one call against one worker, racing its reply against abort, timeout and crash. */
  private guard<T>(
    live: LiveWorker<Api>,
    fn: (remote: RemoteMembers<Api>) => Promise<T>,
    { signal, timeoutMs, label }: { signal?: AbortSignal; timeoutMs: number; label: string },
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let done = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = (settle: () => void): void => {
        if (done) return;
        done = true;
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        live.crashListeners.delete(onCrash);
        settle();
      };
      const onAbort = (): void => {
        // The worker is busy with this call and cannot be interrupted: end it.
        this.kill(live, 'aborted', true);
        finish(() => reject(abortError(signal?.reason)));
      };
      const onCrash = (why: string): void => {
        finish(() =>
          reject(new EngineError('worker-crashed', `The engine worker crashed during ${label} (${why}). It has been restarted; try again.`)),
        );
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      live.crashListeners.add(onCrash);
      if (timeoutMs > 0) {
        timer = setTimeout(() => {
          this.kill(live, 'timeout', true);
          finish(() =>
            reject(
              new EngineError(
                'timeout',
                `The engine did not answer within ${Math.round(timeoutMs / 100) / 10} s during ${label}; it has been restarted. Try again, or pick a lighter variant (?variant=int8).`,
              ),
            ),
          );
        }, timeoutMs);
      }
      let pending: Promise<T>;
      try {
        pending = fn(live.remote);
      } catch (err) {
        pending = Promise.reject(err);
      }
      pending.then(
        (value) => finish(() => resolve(value)),
        (err: unknown) => finish(() => reject(isAbortError(err) ? err : toEngineError(err, 'inference', label))),
      );
    });
  }

  private clearIdle(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private armIdle(): void {
    this.clearIdle();
    if (this.config.idleMs <= 0 || this.counters.pending > 0 || !this.live) return;
    this.idleTimer = setTimeout(() => {
      const live = this.live;
      if (!live || this.counters.pending > 0) return;
      this.kill(live, 'idle', false);
      this.counters.idleReleases++;
    }, this.config.idleMs);
  }
}

export type DrishtiBridge = WorkerBridge<DrishtiWorkerApi>;

let engine: EngineClient | undefined;

declare global {
  // A debug handle for the console and the browser tests: `__drishti.engine`.
  var __drishti: { engine: EngineClient } | undefined;
}

/** The app-wide engine (and its bridge), created on first use; the worker starts on the first call. */
export function getEngine(): EngineClient {
  if (!engine) {
    const bridge: DrishtiBridge = new WorkerBridge<DrishtiWorkerApi>(
      () => new Worker(new URL('../../../worker/drishti.worker.ts', import.meta.url), { type: 'module', name: 'drishti' }),
    );
    engine = new EngineClient(bridge);
    globalThis.__drishti = { engine };
  }
  return engine;
}

/** The bridge other features use for their worker members (`getWorkerBridge().call(r => r.catalogue.search(q))`). */
export function getWorkerBridge(): DrishtiBridge {
  return getEngine().bridge;
}
