/**
 * EngineClient over a fake bridge: how load() merges options with the URL query, remembers the
 * load as the bridge's restore step, and handles a thread-count change by restarting the worker.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineClient } from '../../src/features/engine/client/engine-client.ts';
import type { RemoteMembers, WorkerBridge } from '../../src/features/engine/client/worker-bridge.ts';
import type { LoadOptions, LoadResult } from '../../src/features/engine/shared/engine-api.ts';
import { EngineError } from '../../src/features/engine/shared/engine-errors.ts';
import type { DrishtiWorkerApi } from '../../src/worker/drishti.worker.ts';

function result(options: LoadOptions): LoadResult {
  return {
    modelId: 'm',
    modelVersion: '1',
    backend: options.backend ?? 'wasm',
    variant: options.variant ?? 'int8',
    threads: options.threads ?? 1,
    reasons: ['policy'],
    bytes: 1,
    sessionMs: 1,
  };
}

/** A bridge whose "worker" records load() calls; `runtimeThreads` mimics the fixed WASM thread count. */
function fakeBridge() {
  const loads: LoadOptions[] = [];
  const restores = new Map<string, (r: RemoteMembers<DrishtiWorkerApi>) => Promise<unknown>>();
  let runtimeThreads: number | null = null;
  let fresh = true;
  let restarts = 0;
  const remote = {
    engine: {
      async load(options: LoadOptions) {
        const threads = options.threads ?? 1;
        if (runtimeThreads !== null && runtimeThreads !== threads) throw new EngineError('restart-required', 'needs a fresh worker');
        runtimeThreads = threads;
        loads.push(options);
        return result(options);
      },
      async dispose() {
        runtimeThreads = runtimeThreads ?? null;
      },
    },
  } as unknown as RemoteMembers<DrishtiWorkerApi>;
  const bridge = {
    async call<T>(fn: (r: RemoteMembers<DrishtiWorkerApi>) => Promise<T>): Promise<T> {
      if (fresh) {
        fresh = false;
        for (const step of restores.values()) await step(remote);
      }
      return fn(remote);
    },
    setRestore(key: string, step: ((r: RemoteMembers<DrishtiWorkerApi>) => Promise<unknown>) | undefined) {
      if (step) restores.set(key, step);
      else restores.delete(key);
    },
    restart() {
      restarts++;
      runtimeThreads = null;
      fresh = true;
    },
    get stats() {
      return { starts: 1 + restarts, restarts, idleReleases: 0, alive: true, pending: 0 };
    },
  };
  return { bridge: bridge as unknown as WorkerBridge<DrishtiWorkerApi>, loads, restores, restartCount: () => restarts };
}

const realLocation = Object.getOwnPropertyDescriptor(globalThis, 'location');
function setQuery(search: string): void {
  Object.defineProperty(globalThis, 'location', { value: { search, href: `https://shop.example/engine${search}` }, configurable: true });
}

describe('EngineClient.load', () => {
  beforeEach(() => setQuery(''));
  afterEach(() => {
    if (realLocation) Object.defineProperty(globalThis, 'location', realLocation);
    else delete (globalThis as { location?: unknown }).location;
  });

  it('applies URL overrides, lets explicit options win, and reports ignored query values', async () => {
    setQuery('?backend=wasm&variant=fp32&threads=zero');
    const { bridge, loads } = fakeBridge();
    const client = new EngineClient(bridge);
    const r = await client.load({ variant: 'int8', manifestUrl: '/models/manifest.json' });
    expect(loads[0]).toEqual({ backend: 'wasm', variant: 'int8', manifestUrl: 'https://shop.example/models/manifest.json' });
    expect(r.reasons).toEqual(['policy', '?threads=zero ignored: use a whole number from 1 to 64']);
    expect(client.lastLoad).toEqual(r);
  });

  it('ignores the page query when told to (embedded on someone else\'s page)', async () => {
    setQuery('?variant=fp16&backend=webgpu');
    const { bridge, loads } = fakeBridge();
    await new EngineClient(bridge, { readQueryOverrides: false }).load({});
    expect(loads[0]).toEqual({});
  });

  it('registers the load as the restore step, and dispose() removes it', async () => {
    const { bridge, restores } = fakeBridge();
    const client = new EngineClient(bridge);
    await client.load({ backend: 'wasm' });
    expect(restores.has('engine')).toBe(true);
    await client.dispose();
    expect(restores.has('engine')).toBe(false);
    expect(client.lastLoad).toBeNull();
  });

  it('restarts the worker when the new load needs another thread count, and loads there', async () => {
    const { bridge, loads, restartCount } = fakeBridge();
    const client = new EngineClient(bridge);
    await client.load({ threads: 1 });
    const r = await client.load({ threads: 2 });
    expect(restartCount()).toBe(1);
    expect(r.threads).toBe(2);
    expect(loads.map((l) => l.threads)).toEqual([1, 2]);
  });
});
