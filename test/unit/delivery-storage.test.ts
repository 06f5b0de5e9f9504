import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { computeChunkHashes } from '../../src/features/delivery/shared/chunk-hashes.ts';
import { DeliveryStorage, MEMORY_NOTICE, openDeliveryStorage } from '../../src/features/delivery/shared/delivery-storage.ts';
import { downloadResumable } from '../../src/features/delivery/shared/download-resumable.ts';
import { DeliveryError } from '../../src/features/delivery/shared/errors.ts';
import type { FileEntry } from '../../src/features/delivery/shared/file-entry.ts';
import { openIdbBackend } from '../../src/features/delivery/shared/idb-backend.ts';
import { sha256Hex } from '../../src/features/delivery/shared/sha256.ts';
import { IncompleteAssetError, type DeliveryBackend } from '../../src/features/delivery/shared/storage-types.ts';
import { pseudoRandomBytes, startFaultServer, type FaultServer } from '../delivery/fault-server.ts';
import { expectSameBytes } from '../delivery/same-bytes.ts';

const KiB = 1024;
let dbCounter = 0;
const freshDbName = (): string => `delivery-storage-${process.pid}-${++dbCounter}`;

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Wraps a real backend and throws QuotaExceededError, as a browser does, once stored chunks would pass `quota` bytes. */
function withQuota(inner: DeliveryBackend, quota: number): DeliveryBackend & { used(): Promise<number> } {
  const used = async (): Promise<number> => {
    let total = 0;
    for (const f of await inner.listFiles()) for (const i of await inner.chunkIndexes(f.sha256)) total += (await inner.getChunk(f.sha256, i))!.byteLength;
    return total;
  };
  return Object.assign(Object.create(inner) as DeliveryBackend, {
    kind: inner.kind,
    used,
    async putChunk(sha256: string, index: number, data: Uint8Array) {
      const existing = (await inner.getChunk(sha256, index))?.byteLength ?? 0;
      if ((await used()) - existing + data.byteLength > quota) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return inner.putChunk(sha256, index, data);
    },
  });
}

/** Stores a complete file directly (as a finished download would) and returns its entry. */
async function storeComplete(storage: DeliveryStorage, data: Uint8Array, chunkSize = 16 * KiB): Promise<FileEntry> {
  const sha256 = await sha256Hex(data);
  await storage.beginFile({ sha256, url: `mem:${sha256.slice(0, 8)}`, bytes: data.byteLength, chunkSize });
  for (let i = 0; i * chunkSize < data.byteLength; i++) await storage.putChunk(sha256, i, data.subarray(i * chunkSize, (i + 1) * chunkSize));
  await storage.completeFile(sha256);
  return { url: `mem:${sha256.slice(0, 8)}`, bytes: data.byteLength, sha256 };
}

describe('delivery storage', { timeout: 60_000 }, () => {
  it('activates a new version atomically, only once it is complete and verified', async () => {
    const storage = await openDeliveryStorage({ dbName: freshDbName() });
    expect(storage.kind).toBe('indexeddb');
    const v1 = await storeComplete(storage, pseudoRandomBytes(40 * KiB, 1));
    await storage.putAsset('model', 'fashion', '1', [{ name: 'int8', sha256: v1.sha256, bytes: v1.bytes }]);
    await storage.activate('model', 'fashion', '1');

    // v2 is registered while its file is still downloading: the old version stays the one to use.
    const v2data = pseudoRandomBytes(40 * KiB, 2);
    const v2sha = await sha256Hex(v2data);
    await storage.beginFile({ sha256: v2sha, url: 'mem:v2', bytes: v2data.byteLength, chunkSize: 16 * KiB });
    await storage.putChunk(v2sha, 0, v2data.subarray(0, 16 * KiB));
    await storage.putAsset('model', 'fashion', '2', [{ name: 'int8', sha256: v2sha, bytes: v2data.byteLength }]);
    await expect(storage.activate('model', 'fashion', '2')).rejects.toBeInstanceOf(IncompleteAssetError);
    expect((await storage.getActive('model', 'fashion'))?.version).toBe('1');
    expectSameBytes(await storage.readFile(v1.sha256), pseudoRandomBytes(40 * KiB, 1));

    await storage.putChunk(v2sha, 1, v2data.subarray(16 * KiB, 32 * KiB));
    await storage.putChunk(v2sha, 2, v2data.subarray(32 * KiB));
    await storage.completeFile(v2sha);
    const previous = await storage.activate('model', 'fashion', '2');
    expect(previous?.version).toBe('1');
    expect((await storage.getActive('model', 'fashion'))?.version).toBe('2');
    // The old version is no longer in use, so it may now be removed; the active one may not.
    expect(await storage.isInUse('model', 'fashion', '1')).toBe(false);
    await expect(storage.deleteAsset('model', 'fashion', '2')).rejects.toThrow(/in use/);
    expect(await storage.deleteAsset('model', 'fashion', '1')).toBe(40 * KiB);
    expect(await storage.getFile(v1.sha256)).toBeUndefined();
  });

  it('on quota exhaustion evicts least-recently-used assets, never the active or pinned one', async () => {
    let t = 1000;
    const backend = withQuota(await openIdbBackend(freshDbName()), 200 * KiB);
    const storage = new DeliveryStorage(backend, undefined, () => ++t);
    const add = async (kind: 'model' | 'pack', id: string, version: string, seed: number): Promise<FileEntry> => {
      const e = await storeComplete(storage, pseudoRandomBytes(48 * KiB, seed));
      await storage.putAsset(kind, id, version, [{ name: 'file', sha256: e.sha256, bytes: e.bytes }]);
      return e;
    };
    const oldModel = await add('model', 'fashion', '1', 10); // oldest
    const activeModel = await add('model', 'fashion', '2', 11);
    await storage.activate('model', 'fashion', '2');
    const pack = await add('pack', 'myntra', '1', 12);
    const unpin = await storage.use('pack', 'myntra', '1'); // pinned: in use by the search page
    const otherPack = await add('pack', 'other', '1', 13);
    expect(await backend.used()).toBe(4 * 48 * KiB);

    // A new 60 KiB file does not fit in 200 KiB: the oldest unused asset must go.
    server = await startFaultServer({ '/new.bin': { data: pseudoRandomBytes(60 * KiB, 14), etag: '"n"' } });
    const data = pseudoRandomBytes(60 * KiB, 14);
    const entry: FileEntry = { url: `${server.url}/new.bin`, bytes: data.byteLength, sha256: await sha256Hex(data), chunks: await computeChunkHashes(data, 16 * KiB) };
    const result = await downloadResumable(entry, { storage });
    expectSameBytes(result.data, data);
    // 192 + 60 KiB needs 52 KiB freed: the two unused assets go, oldest first; active and pinned stay.
    expect(storage.evictions.map((e) => e.what)).toEqual(['model fashion 1', 'pack other 1']);
    for (const gone of [oldModel, otherPack]) expect(await storage.getFile(gone.sha256)).toBeUndefined();
    for (const kept of [activeModel, pack]) expect((await storage.getFile(kept.sha256))?.complete).toBe(true);

    // With only the active model, the pinned pack and the new loose file left, 150 KiB cannot fit.
    const big = pseudoRandomBytes(150 * KiB, 15);
    server.files.set('/big.bin', { data: big, etag: '"b"' });
    const bigEntry: FileEntry = { url: `${server.url}/big.bin`, bytes: big.byteLength, sha256: await sha256Hex(big), chunks: await computeChunkHashes(big, 16 * KiB) };
    const err = await downloadResumable(bigEntry, { storage }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).code).toBe('quota');
    expect((err as DeliveryError).message).toMatch(/Not enough storage on this device for 150 KB.*Free some space/);
    expect(await storage.getActive('model', 'fashion')).toMatchObject({ version: '2' });
    expect((await storage.getFile(activeModel.sha256))?.complete).toBe(true);
    expect((await storage.getFile(pack.sha256))?.complete).toBe(true);
    expect(storage.evictions).toHaveLength(3); // the loose 60 KiB file was the last thing it could remove
    unpin();
  });

  it('keeps partial downloads across a reopen and lists them in the summary', async () => {
    const dbName = freshDbName();
    const a = await openDeliveryStorage({ dbName });
    await a.beginFile({ sha256: 'a'.repeat(64), url: 'https://x/m.onnx', bytes: 40 * KiB, chunkSize: 16 * KiB });
    await a.putChunk('a'.repeat(64), 0, new Uint8Array(16 * KiB));
    a.close();
    const b = await openDeliveryStorage({ dbName });
    const s = await b.summary();
    expect(s.partials).toEqual([expect.objectContaining({ url: 'https://x/m.onnx', bytes: 40 * KiB, storedBytes: 16 * KiB })]);
    expect(s.storedBytes).toBe(16 * KiB);
  });

  it('upgrades a version-1 database in place, keeping its downloads', async () => {
    const name = freshDbName();
    const v1 = await openDB(name, 1, {
      upgrade(db) {
        db.createObjectStore('files', { keyPath: 'sha256' });
        db.createObjectStore('chunks', { keyPath: ['sha256', 'index'] });
        db.createObjectStore('assets', { keyPath: ['kind', 'id', 'version'] });
        db.createObjectStore('active', { keyPath: ['kind', 'id'] });
      },
    });
    await v1.put('files', { sha256: 'b'.repeat(64), url: 'x', bytes: 10, chunkSize: 10, complete: true, createdAt: 1, updatedAt: 1, lastUsedAt: 1 });
    v1.close();
    const storage = await openDeliveryStorage({ dbName: name });
    expect(storage.kind).toBe('indexeddb');
    expect((await storage.getFile('b'.repeat(64)))?.complete).toBe(true);
    expect(await storage.largeDownloadsAllowed()).toBe(false);
    await storage.setLargeDownloadsAllowed(true);
    expect(await storage.largeDownloadsAllowed()).toBe(true);
  });

  it('falls back to memory, with a notice, when IndexedDB is unavailable', async () => {
    const saved = globalThis.indexedDB;
    try {
      // @ts-expect-error simulating a browser without IndexedDB
      delete globalThis.indexedDB;
      const storage = await openDeliveryStorage();
      expect(storage.kind).toBe('memory');
      expect(storage.notice).toBe(MEMORY_NOTICE);
      expect((await storage.summary()).notice).toContain('private browsing');

      // A factory that refuses to open (Firefox private mode throws InvalidStateError) falls back the same way.
      Object.defineProperty(globalThis, 'indexedDB', {
        configurable: true,
        value: { open: () => { throw new DOMException('A mutation operation was attempted on a database that did not allow mutations.', 'InvalidStateError'); } },
      });
      const refused = await openDeliveryStorage();
      expect(refused.kind).toBe('memory');

      const data = pseudoRandomBytes(100 * KiB, 3);
      server = await startFaultServer({ '/m.bin': { data, etag: '"m"' } });
      const entry: FileEntry = { url: `${server.url}/m.bin`, bytes: data.byteLength, sha256: await sha256Hex(data) };
      expectSameBytes((await downloadResumable(entry, { storage: refused })).data, data);
      expect((await downloadResumable(entry, { storage: refused })).stats.fromCache).toBe(true);
    } finally {
      Object.defineProperty(globalThis, 'indexedDB', { configurable: true, writable: true, value: saved });
    }
  });
});
