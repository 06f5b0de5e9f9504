/**
 * The worker bridge's queue, abort, timeout, crash, restore and idle logic, against an
 * in-process "worker" (comlink over a MessageChannel) so every path runs in milliseconds.
 * The same paths run against the real worker in test/browser/engine-recovery.test.ts.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { expose } from 'comlink';
import { describe, expect, it } from 'vitest';
import { WorkerBridge } from '../../src/features/engine/client/worker-bridge.ts';
import { EngineError, installErrorTransfer, isAbortError } from '../../src/features/engine/shared/engine-errors.ts';

installErrorTransfer();

interface FakeState {
  running: number;
  maxRunning: number;
  calls: string[];
  loads: number;
}

function makeApi(state: FakeState) {
  return {
    engine: {
      async work(name: string, ms: number): Promise<string> {
        state.running++;
        state.maxRunning = Math.max(state.maxRunning, state.running);
        state.calls.push(name);
        await new Promise((r) => setTimeout(r, ms));
        state.running--;
        return name;
      },
      hang(): Promise<never> {
        return new Promise(() => {});
      },
      async load(): Promise<string> {
        state.loads++;
        return 'loaded';
      },
      async failTyped(): Promise<never> {
        throw new EngineError('integrity', 'The model file is corrupt. Reload to fetch it again.');
      },
      async failPlain(): Promise<never> {
        throw new RangeError('index out of range');
      },
    },
  };
}
type FakeApi = ReturnType<typeof makeApi>;

/** Just enough of a Worker for comlink and the bridge: messages, error events, terminate(). */
class FakeWorker extends EventTarget {
  terminated = false;
  private readonly port: MessagePort;
  constructor(api: FakeApi) {
    super();
    const { port1, port2 } = new MessageChannel();
    expose(api, port2 as unknown as Parameters<typeof expose>[1]);
    this.port = port1;
    port1.on('message', (data: unknown) => {
      if (!this.terminated) this.dispatchEvent(new MessageEvent('message', { data }));
    });
  }
  postMessage(message: unknown, transfer: Transferable[] = []): void {
    if (!this.terminated) this.port.postMessage(message, transfer as never);
  }
  terminate(): void {
    this.terminated = true;
    this.port.close();
  }
  crash(message: string): void {
    // Node has no ErrorEvent; the bridge reads only `message` and preventDefault().
    this.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message }));
  }
}

function setup(config: ConstructorParameters<typeof WorkerBridge>[1] = {}) {
  const state: FakeState = { running: 0, maxRunning: 0, calls: [], loads: 0 };
  const workers: FakeWorker[] = [];
  const bridge = new WorkerBridge<FakeApi>(() => {
    const w = new FakeWorker(makeApi(state));
    workers.push(w);
    return w as unknown as Worker;
  }, { idleMs: 0, ...config });
  return { state, workers, bridge };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('WorkerBridge', () => {
  it('runs calls one at a time, in order', async () => {
    const { state, bridge } = setup();
    const results = await Promise.all([
      bridge.call((r) => r.engine.work('a', 30)),
      bridge.call((r) => r.engine.work('b', 5)),
      bridge.call((r) => r.engine.work('c', 1)),
    ]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(state.calls).toEqual(['a', 'b', 'c']);
    expect(state.maxRunning).toBe(1);
    bridge.dispose();
  });

  it('rejects at once when the signal is already aborted', async () => {
    const { bridge, workers } = setup();
    const controller = new AbortController();
    controller.abort();
    const err = await rejection(bridge.call((r) => r.engine.work('x', 1), { signal: controller.signal }));
    expect(isAbortError(err)).toBe(true);
    expect(err).toBeInstanceOf(DOMException);
    expect(workers).toHaveLength(0);
  });

  it('drops a queued call on abort without touching the worker', async () => {
    const { state, bridge } = setup();
    const controller = new AbortController();
    const first = bridge.call((r) => r.engine.work('first', 40));
    const second = bridge.call((r) => r.engine.work('second', 1), { signal: controller.signal });
    controller.abort();
    expect(isAbortError(await rejection(second))).toBe(true);
    expect(await first).toBe('first');
    expect(state.calls).toEqual(['first']);
    expect(bridge.stats).toMatchObject({ starts: 1, restarts: 0 });
    bridge.dispose();
  });

  it('terminates a busy worker on abort; the next call gets a fresh, restored worker', async () => {
    const { state, bridge, workers } = setup();
    bridge.setRestore('engine', (r) => r.engine.load());
    const controller = new AbortController();
    const running = bridge.call((r) => r.engine.hang(), { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const err = await rejection(running);
    expect((err as DOMException).name).toBe('AbortError');
    expect(workers[0]!.terminated).toBe(true);
    expect(await bridge.call((r) => r.engine.work('after', 1))).toBe('after');
    expect(workers).toHaveLength(2);
    // The first worker needed a restore too (it was created after setRestore); the second re-applied it.
    expect(state.loads).toBe(2);
    expect(bridge.stats).toMatchObject({ starts: 2, restarts: 1 });
    bridge.dispose();
  });

  it('times out a silent worker with a typed error and restarts it', async () => {
    const { bridge, workers } = setup();
    const t0 = Date.now();
    const err = await rejection(bridge.call((r) => r.engine.hang(), { timeoutMs: 50, label: 'classify' }));
    expect(err).toBeInstanceOf(EngineError);
    expect(err).toMatchObject({ code: 'timeout' });
    expect((err as Error).message).toMatch(/did not answer within 0.1 s during classify; it has been restarted/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(45);
    expect(workers[0]!.terminated).toBe(true);
    expect(await bridge.call((r) => r.engine.work('next', 1))).toBe('next');
    bridge.dispose();
  });

  it('uses the default timeout when a call passes none', async () => {
    const { bridge } = setup({ defaultTimeoutMs: 30 });
    expect(await rejection(bridge.call((r) => r.engine.hang()))).toMatchObject({ code: 'timeout' });
    bridge.dispose();
  });

  it('turns a worker error event into worker-crashed at once, and recovers', async () => {
    const { bridge, workers } = setup();
    const pending = bridge.call((r) => r.engine.hang(), { timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 10));
    workers[0]!.crash('RuntimeError: unreachable');
    const err = await rejection(pending);
    expect(err).toMatchObject({ code: 'worker-crashed' });
    expect((err as Error).message).toMatch(/crashed .*RuntimeError: unreachable.*restarted/);
    expect(await bridge.call((r) => r.engine.work('ok', 1))).toBe('ok');
    expect(bridge.stats.restarts).toBe(1);
    bridge.dispose();
  });

  it('carries typed errors from the worker and types plain ones', async () => {
    const { bridge } = setup();
    const typed = await rejection(bridge.call((r) => r.engine.failTyped()));
    expect(typed).toBeInstanceOf(EngineError);
    expect(typed).toMatchObject({ code: 'integrity', message: 'The model file is corrupt. Reload to fetch it again.' });
    const plain = await rejection(bridge.call((r) => r.engine.failPlain(), { label: 'run' }));
    expect(plain).toBeInstanceOf(EngineError);
    expect(plain).toMatchObject({ code: 'inference', message: 'Failed while run: index out of range' });
    // Errors do not cost a restart.
    expect(bridge.stats).toMatchObject({ starts: 1, restarts: 0 });
    bridge.dispose();
  });

  it('reports a restore that fails, and retries it on the next call', async () => {
    const { bridge } = setup();
    let fail = true;
    bridge.setRestore('engine', async (r) => {
      if (fail) throw new EngineError('download', 'The model could not be downloaded.');
      return r.engine.load();
    });
    const err = await rejection(bridge.call((r) => r.engine.work('x', 1)));
    expect(err).toMatchObject({ code: 'download' });
    expect((err as Error).message).toMatch(/restarted but could not reload its model: The model could not be downloaded/);
    fail = false;
    expect(await bridge.call((r) => r.engine.work('y', 1))).toBe('y');
    bridge.dispose();
  });

  it('releases an idle worker and recreates it (restored) on the next call', async () => {
    const { state, bridge, workers } = setup({ idleMs: 30 });
    bridge.setRestore('engine', (r) => r.engine.load());
    await bridge.call((r) => r.engine.work('a', 1));
    expect(bridge.stats.alive).toBe(true);
    await new Promise((r) => setTimeout(r, 80));
    expect(bridge.stats).toMatchObject({ alive: false, idleReleases: 1, restarts: 0 });
    expect(workers[0]!.terminated).toBe(true);
    await bridge.call((r) => r.engine.work('b', 1));
    expect(bridge.stats).toMatchObject({ alive: true, starts: 2 });
    expect(state.loads).toBe(2);
    bridge.dispose();
  });

  it('does not release a worker while calls are pending', async () => {
    const { bridge } = setup({ idleMs: 10 });
    await bridge.call((r) => r.engine.work('long', 60));
    expect(bridge.stats.idleReleases).toBe(0);
    bridge.dispose();
  });
});
