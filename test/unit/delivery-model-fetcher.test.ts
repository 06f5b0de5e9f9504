import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/features/engine/shared/engine-errors.ts';
import { computeChunkHashes } from '../../src/features/delivery/shared/chunk-hashes.ts';
import { openDeliveryStorage } from '../../src/features/delivery/shared/delivery-storage.ts';
import { sha256Hex } from '../../src/features/delivery/shared/sha256.ts';
import { createCachedModelFetcher, modelSlot } from '../../src/features/delivery/worker/cached-model-fetcher.ts';
import type { ModelVariant } from '../../src/shared/model-manifest.ts';
import { pseudoRandomBytes, startFaultServer, type FaultServer } from '../delivery/fault-server.ts';
import { expectSameBytes } from '../delivery/same-bytes.ts';

const KiB = 1024;
let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function variantFor(data: Uint8Array): Promise<ModelVariant> {
  return {
    name: 'int8',
    file: 'model.int8.onnx',
    bytes: data.byteLength,
    sha256: await sha256Hex(data),
    dtype: 'int8',
    intendedBackend: 'wasm',
    chunks: await computeChunkHashes(data, 64 * KiB),
  };
}

describe('the engine model fetcher backed by IndexedDB', { timeout: 60_000 }, () => {
  it('downloads once, then loads from storage; a new version replaces the old only when verified', async () => {
    const v1 = pseudoRandomBytes(300 * KiB, 1);
    server = await startFaultServer({ '/models/model.int8.onnx': { data: v1, etag: '"1"' } });
    const storage = await openDeliveryStorage({ dbName: `fetcher-${process.pid}-1` });
    const fetcher = createCachedModelFetcher({ storage: async () => storage, download: { retry: { baseDelayMs: 1, maxDelayMs: 5 } } });
    const url = `${server.url}/models/model.int8.onnx`;
    const variant1 = await variantFor(v1);
    const progress: number[] = [];
    expectSameBytes(await fetcher(url, variant1, { onProgress: (p) => progress.push(p.loadedBytes) }), v1);
    expect(progress.at(-1)).toBe(v1.byteLength);
    const slot = modelSlot(url, variant1);
    expect(await storage.getActive('model', slot.id)).toMatchObject({ version: variant1.sha256 });

    const requests = server.log.length;
    expectSameBytes(await fetcher(url, variant1, {}), v1);
    expect(server.log.length).toBe(requests); // served from IndexedDB

    // v2 is published but the connection dies for good: v1 stays the active, loadable model.
    const v2 = pseudoRandomBytes(300 * KiB, 2);
    const variant2 = await variantFor(v2);
    server.files.set('/models/model.int8.onnx', { data: v2, etag: '"2"' });
    server.setPlan(() => [{ kind: 'status', status: 503 }]);
    const err = await fetcher(url, variant2, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('download');
    expect(await storage.getActive('model', slot.id)).toMatchObject({ version: variant1.sha256 });
    expectSameBytes(await fetcher(url, variant1, {}), v1);

    server.setPlan(() => []);
    expectSameBytes(await fetcher(url, variant2, {}), v2);
    expect(await storage.getActive('model', slot.id)).toMatchObject({ version: variant2.sha256 });
  });

  it('under Data Saver, declines until the person agrees, and remembers the answer', async () => {
    const data = pseudoRandomBytes(1200 * KiB, 4);
    server = await startFaultServer({ '/m.onnx': { data, etag: '"1"' } });
    const storage = await openDeliveryStorage({ dbName: `fetcher-${process.pid}-3` });
    const fetcher = createCachedModelFetcher({ storage: async () => storage, download: { saveData: { enabled: true } } });
    const err = await fetcher(`${server.url}/m.onnx`, await variantFor(data), {}).catch((e: unknown) => e);
    expect((err as EngineError).code).toBe('download');
    expect((err as EngineError).message).toMatch(/Data Saver is on, so the 1\.2 MB download was not started/);
    expect(server.log).toHaveLength(0);

    await storage.setLargeDownloadsAllowed(true); // the page's "Download" button
    const again = createCachedModelFetcher({ storage: async () => storage, download: { saveData: { enabled: true } } });
    expectSameBytes(await again(`${server.url}/m.onnx`, await variantFor(data), {}), data);
  });

  it('reports corrupted files as integrity errors and aborts as AbortError', async () => {
    const data = pseudoRandomBytes(200 * KiB, 3);
    server = await startFaultServer({ '/m.onnx': { data, etag: '"1"' } }, () => [{ kind: 'corrupt', fileOffset: 70 * KiB }]);
    const storage = await openDeliveryStorage({ dbName: `fetcher-${process.pid}-2` });
    const fetcher = createCachedModelFetcher({ storage: async () => storage, download: { retry: { baseDelayMs: 1, maxDelayMs: 5 } } });
    const err = await fetcher(`${server.url}/m.onnx`, await variantFor(data), {}).catch((e: unknown) => e);
    expect((err as EngineError).code).toBe('integrity');

    const controller = new AbortController();
    controller.abort();
    const aborted = await fetcher(`${server.url}/m.onnx`, await variantFor(data), { signal: controller.signal }).catch((e: unknown) => e);
    expect((aborted as Error).name).toBe('AbortError');
  });
});
