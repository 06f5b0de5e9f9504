import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { computeChunkHashes } from '../../src/features/delivery/shared/chunk-hashes.ts';
import { openDeliveryStorage } from '../../src/features/delivery/shared/delivery-storage.ts';
import { downloadResumable, type DownloadOptions, type DownloadProgress } from '../../src/features/delivery/shared/download-resumable.ts';
import { DeliveryError } from '../../src/features/delivery/shared/errors.ts';
import type { FileEntry } from '../../src/features/delivery/shared/file-entry.ts';
import { sha256Hex } from '../../src/features/delivery/shared/sha256.ts';
import { pseudoRandomBytes, seededRandom, startFaultServer, type FaultServer } from '../delivery/fault-server.ts';
import { expectSameBytes } from '../delivery/same-bytes.ts';

const MiB = 1024 * 1024;
const FAST_RETRY = { baseDelayMs: 2, maxDelayMs: 20, maxConsecutiveFailures: 6 };

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function entryFor(url: string, data: Uint8Array, chunked = true, chunkSize = MiB): Promise<FileEntry> {
  const entry: FileEntry = { url, bytes: data.byteLength, sha256: await sha256Hex(data) };
  if (chunked) entry.chunks = await computeChunkHashes(data, chunkSize);
  return entry;
}

let dbCounter = 0;
const freshDbName = (): string => `delivery-test-${process.pid}-${++dbCounter}`;

async function expectDeliveryError(p: Promise<unknown>, code: DeliveryError['code']): Promise<DeliveryError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DeliveryError);
  expect((err as DeliveryError).code).toBe(code);
  return err as DeliveryError;
}

describe('downloadResumable over a flaky server', { timeout: 60_000 }, () => {
  it('downloads and verifies a chunked file, then serves it from storage without a request', async () => {
    const data = pseudoRandomBytes(3 * MiB + 12_345, 7);
    server = await startFaultServer({ '/m.onnx': { data, etag: '"v1"' } });
    const entry = await entryFor(`${server.url}/m.onnx`, data);
    const storage = await openDeliveryStorage({ dbName: freshDbName() });
    const progress: DownloadProgress[] = [];
    const first = await downloadResumable(entry, { storage, onProgress: (p) => progress.push(p), progressIntervalMs: 0 });
    expectSameBytes(first.data, data);
    expect(first.stats.fromCache).toBe(false);
    expect(first.stats.transferred).toBe(data.byteLength);
    // Progress only goes forward and ends at the total, with a measured rate along the way.
    const loaded = progress.map((p) => p.loaded);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ phase: 'done', loaded: data.byteLength, total: data.byteLength });
    expect(progress.some((p) => p.phase === 'downloading' && p.bytesPerSecond > 0 && p.etaSeconds !== undefined)).toBe(true);

    const requestsBefore = server.log.length;
    const second = await downloadResumable(entry, { storage });
    expect(second.stats.fromCache).toBe(true);
    expectSameBytes(second.data, data);
    expect(server.log.length).toBe(requestsBefore);
  });

  it('survives 12 dropped connections at random offsets with ≤ 1.15× the bytes transferred', async () => {
    const data = pseudoRandomBytes(5 * MiB, 11);
    const rnd = seededRandom(42);
    server = await startFaultServer({ '/m.onnx': { data, etag: '"v1"' } }, (req) =>
      req.n <= 12 ? [{ kind: 'drop', afterBytes: 50_000 + Math.floor(rnd() * 600_000) }] : [],
    );
    const entry = await entryFor(`${server.url}/m.onnx`, data);
    const result = await downloadResumable(entry, { storage: await openDeliveryStorage({ dbName: freshDbName() }), retry: FAST_RETRY });
    expectSameBytes(result.data, data);
    expect(result.stats.retries).toBe(12);
    const sent = server.bytesSent('/m.onnx');
    console.log(`[delivery] 5 MiB through 12 drops: ${sent} bytes sent = ${(sent / data.byteLength).toFixed(4)}× size, ${server.log.length} requests`);
    expect(sent).toBeLessThanOrEqual(1.15 * data.byteLength);
    // Each retry resumed inside what the dropped response had carried (the socket may lose its last bytes).
    for (let i = 1; i < server.log.length; i++) {
      const prev = server.log[i - 1]!;
      const prevStart = prev.range?.start ?? 0;
      expect(server.log[i]!.range!.start).toBeGreaterThanOrEqual(prevStart);
      expect(server.log[i]!.range!.start).toBeLessThanOrEqual(prevStart + prev.bytesSent);
    }
  });

  it('resumes after the page goes away: only the unfinished chunk is fetched again', async () => {
    const data = pseudoRandomBytes(5 * MiB + 100, 3);
    server = await startFaultServer({ '/m.onnx': { data, etag: '"v1"' } });
    const entry = await entryFor(`${server.url}/m.onnx`, data);
    const dbName = freshDbName();
    const controller = new AbortController();
    const before = await openDeliveryStorage({ dbName });
    let receivedBeforeReload = 0;
    const onProgress = (p: DownloadProgress): void => {
      receivedBeforeReload = p.transferred;
      if (p.loaded >= 2.5 * MiB) controller.abort();
    };
    await expectDeliveryError(downloadResumable(entry, { storage: before, signal: controller.signal, onProgress, progressIntervalMs: 0 }), 'aborted');
    const requestsBeforeReload = server.log.length;
    before.close();

    // A new storage on the same database is what a reloaded page (or a reopened tab) sees.
    const after = await openDeliveryStorage({ dbName });
    const summary = await after.summary();
    expect(summary.partials).toHaveLength(1);
    expect(summary.partials[0]!.storedBytes).toBe(2 * MiB);
    const result = await downloadResumable(entry, { storage: after });
    expectSameBytes(result.data, data);
    expect(result.stats.resumedFrom).toBe(2 * MiB);
    expect(server.log.at(-1)!.range?.start).toBe(2 * MiB);
    const sentAfterReload = server.log.slice(requestsBeforeReload).reduce((s, l) => s + l.bytesSent, 0);
    const refetched = receivedBeforeReload + sentAfterReload - data.byteLength;
    console.log(`[delivery] reload after receiving ${receivedBeforeReload} bytes: re-fetched ${refetched} bytes (chunk size ${MiB})`);
    expect(sentAfterReload).toBe(data.byteLength - 2 * MiB);
    expect(refetched).toBeLessThan(MiB);
    expect((await after.summary()).partials).toHaveLength(0);
  });

  it('fetches a corrupted chunk again, alone', async () => {
    const data = pseudoRandomBytes(4 * MiB, 5);
    server = await startFaultServer({ '/m.onnx': { data, etag: '"v1"' } }, (req) =>
      req.n === 1 ? [{ kind: 'corrupt', fileOffset: 2 * MiB + 777 }] : [],
    );
    const entry = await entryFor(`${server.url}/m.onnx`, data);
    const result = await downloadResumable(entry, { retry: FAST_RETRY });
    expectSameBytes(result.data, data);
    expect(result.stats.badChunks).toBe(1);
    expect(server.log).toHaveLength(2);
    expect(server.log[1]!.range).toEqual({ start: 2 * MiB, end: 3 * MiB - 1 });
    expect(server.bytesSent('/m.onnx')).toBe(data.byteLength + MiB);
  });

  it('gives up with an integrity error when a chunk keeps arriving corrupted', async () => {
    const data = pseudoRandomBytes(2 * MiB, 6);
    server = await startFaultServer({ '/m.onnx': { data, etag: '"v1"' } }, () => [{ kind: 'corrupt', fileOffset: 10 }]);
    const entry = await entryFor(`${server.url}/m.onnx`, data);
    const err = await expectDeliveryError(downloadResumable(entry, { retry: FAST_RETRY }), 'integrity');
    expect(err.message).toMatch(/Chunk 1 .* corrupted 3 times/);
  });

  it('without chunk hashes, a corrupted file fails the whole-file check, starts over once, then succeeds', async () => {
    const data = pseudoRandomBytes(2 * MiB + 5, 8);
    server = await startFaultServer({ '/m.onnx': { data, etag: '"v1"' } }, (req) => (req.n === 1 ? [{ kind: 'corrupt', fileOffset: 3 }] : []));
    const entry = await entryFor(`${server.url}/m.onnx`, data, false);
    const result = await downloadResumable(entry, { chunkSize: 512 * 1024 });
    expectSameBytes(result.data, data);
    expect(result.stats.restarts).toBe(1);
  });

  it('handles a server that ignores Range (200 instead of 206), even across drops', async () => {
    const data = pseudoRandomBytes(3 * MiB, 9);
    server = await startFaultServer({ '/m.onnx': { data, etag: '"v1"' } }, (req) =>
      req.n === 1 ? [{ kind: 'ignore-range' }, { kind: 'drop', afterBytes: 1.5 * MiB }] : [{ kind: 'ignore-range' }],
    );
    const entry = await entryFor(`${server.url}/m.onnx`, data);
    const result = await downloadResumable(entry, { retry: FAST_RETRY });
    expectSameBytes(result.data, data);
    expect(server.log.map((l) => l.status)).toEqual([200, 200]);
  });

  it.each([
    ['strong ETag (If-Range → 200 with the new file)', '"a"', '"b"'],
    ['weak ETag (206 with a different ETag)', 'W/"a"', 'W/"b"'],
  ])('restarts cleanly when the file changes mid-download: %s', async (_label, etagA, etagB) => {
    const oldData = pseudoRandomBytes(3 * MiB, 21);
    const newData = pseudoRandomBytes(3 * MiB, 22);
    server = await startFaultServer({ '/m.onnx': { data: oldData, etag: etagA } }, (req) => {
      if (req.n === 1) return [{ kind: 'drop', afterBytes: 1.5 * MiB }];
      if (req.n === 2) return [{ kind: 'replace', data: newData, etag: etagB }];
      return [];
    });
    // The manifest already names the new file; no chunk hashes, so only the ETag can prevent a splice.
    const entry = await entryFor(`${server.url}/m.onnx`, newData, false);
    const result = await downloadResumable(entry, { retry: FAST_RETRY });
    expect(await sha256Hex(result.data)).toBe(entry.sha256);
    expect(result.stats.restarts).toBe(1);
    if (!etagA.startsWith('W/')) expect(server.log[1]!.ifRange).toBe(etagA);
  });

  it('reports a file that keeps changing on the server', async () => {
    const data = pseudoRandomBytes(2 * MiB, 30);
    let v = 0;
    server = await startFaultServer({ '/m.onnx': { data, etag: '"0"' } }, () => [
      { kind: 'replace', data: pseudoRandomBytes(2 * MiB, 31 + v), etag: `"${++v}"` },
      { kind: 'drop', afterBytes: 100_000 },
    ]);
    const entry = await entryFor(`${server.url}/m.onnx`, data, false);
    await expectDeliveryError(downloadResumable(entry, { retry: FAST_RETRY, maxRestarts: 2 }), 'changed');
  });

  it('retries 500/503 with backoff (honouring Retry-After) and stops at 404', async () => {
    const data = pseudoRandomBytes(MiB + 1, 12);
    server = await startFaultServer({ '/m.onnx': { data, etag: '"v1"' } }, (req) =>
      req.n === 1 ? [{ kind: 'status', status: 503, retryAfterSeconds: 0 }] : req.n <= 3 ? [{ kind: 'status', status: 500 }] : [],
    );
    const entry = await entryFor(`${server.url}/m.onnx`, data);
    const result = await downloadResumable(entry, { retry: FAST_RETRY });
    expectSameBytes(result.data, data);
    expect(result.stats.retries).toBe(3);

    const missing = { ...entry, url: `${server.url}/missing.onnx` };
    const err = await expectDeliveryError(downloadResumable(missing, { retry: FAST_RETRY }), 'http');
    expect(err.message).toContain('404');
  });

  it('gives up after repeated failures without progress, keeping what it has', async () => {
    const data = pseudoRandomBytes(2 * MiB, 13);
    server = await startFaultServer({ '/m.onnx': { data, etag: '"v1"' } }, (req) =>
      req.n === 1 ? [{ kind: 'drop', afterBytes: MiB + 10 }] : [{ kind: 'status', status: 500 }],
    );
    const entry = await entryFor(`${server.url}/m.onnx`, data);
    const storage = await openDeliveryStorage({ dbName: freshDbName() });
    const err = await expectDeliveryError(downloadResumable(entry, { storage, retry: FAST_RETRY }), 'network');
    expect(err.message).toMatch(/1\.0 MB of 2\.0 MB are saved/);
    expect(await storage.chunkIndexes(entry.sha256)).toEqual([0]);
  });

  it('rejects a server file whose size differs from the manifest', async () => {
    const data = pseudoRandomBytes(MiB, 14);
    server = await startFaultServer({ '/m.onnx': { data, etag: '"v1"' } });
    const entry = { ...(await entryFor(`${server.url}/m.onnx`, data, false)), bytes: MiB + 10 };
    await expectDeliveryError(downloadResumable(entry, { retry: FAST_RETRY }), 'size-mismatch');
  });

  it('asks before a large download when Data Saver is on', async () => {
    const data = pseudoRandomBytes(2 * MiB, 15);
    server = await startFaultServer({ '/m.onnx': { data, etag: '"v1"' } });
    const entry = await entryFor(`${server.url}/m.onnx`, data);
    const asked: number[] = [];
    const saveData = (answer: boolean): DownloadOptions['saveData'] => ({
      enabled: true,
      confirm: ({ bytes }) => {
        asked.push(bytes);
        return answer;
      },
    });
    const err = await expectDeliveryError(downloadResumable(entry, { saveData: saveData(false) }), 'declined');
    expect(err.message).toContain('Data Saver');
    expect(server.log).toHaveLength(0);
    const ok = await downloadResumable(entry, { saveData: saveData(true) });
    expectSameBytes(ok.data, data);
    expect(asked).toEqual([2 * MiB, 2 * MiB]);
    // Small files do not ask.
    const small = await downloadResumable(entry, { saveData: { enabled: true, thresholdBytes: 10 * MiB } });
    expectSameBytes(small.data, data);
    expect(asked).toHaveLength(2);
  });
});
