import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { buildPackFiles } from '../../src/features/catalogue/shared/pack-writer.ts';
import { readPack } from '../../src/features/catalogue/shared/pack-reader.ts';
import { syntheticItems } from '../../src/features/catalogue/shared/synthetic-catalogue.ts';
import { openDeliveryStorage } from '../../src/features/delivery/shared/delivery-storage.ts';
import { createDeliveryPackSourceFactory } from '../../src/features/delivery/worker/pack-source.ts';
import { startFaultServer, type FaultServer, type ServedFile } from '../delivery/fault-server.ts';
import { expectSameBytes } from '../delivery/same-bytes.ts';

const MODEL = { id: 'drishti-test', version: '1.0.0', embeddingDims: 64 };
let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function packFiles(n: number, title: string): Promise<Record<string, ServedFile>> {
  const { files } = await buildPackFiles({
    id: 'demo',
    title,
    model: MODEL,
    pricing: { currency: 'INR', source: 'derived', note: 'Synthetic prices.' },
    paths: { image: 'images/{id}.jpg', thumbnail: 'thumbs/{id}.webp' },
    items: syntheticItems(n, MODEL.embeddingDims),
  });
  return Object.fromEntries([...files].map(([name, data], i) => [`/catalogues/demo/${name}`, { data, etag: `"${title}-${i}"` }]));
}

describe('catalogue packs through the delivery layer', { timeout: 60_000 }, () => {
  it('stores every pack file once, activates the version when complete, and reads it back offline', async () => {
    server = await startFaultServer(await packFiles(300, 'v1'), (req) =>
      req.path.endsWith('embeddings.i8') && req.n === 1 ? [{ kind: 'drop', afterBytes: 5000 }] : [],
    );
    const url = `${server.url}/catalogues/demo/pack.json`;
    const storage = await openDeliveryStorage({ dbName: `pack-source-${process.pid}-1` });
    let online = true;
    const factory = createDeliveryPackSourceFactory(async () => storage, { isOnline: () => online, download: { retry: { baseDelayMs: 1, maxDelayMs: 5 } } });

    const pack = await readPack(factory(url), url, MODEL);
    expect(pack.items.ids).toHaveLength(300);
    const active = await storage.getActive('pack', url);
    expect(active).toBeDefined();
    const asset = await storage.getAsset('pack', url, active!.version);
    expect(asset?.files.map((f) => f.name).sort()).toEqual(['embeddings.i8', 'items.json.gz', 'pack.json']);

    // Network gone: the same pack comes from IndexedDB, with no request at all.
    const before = server.log.length;
    online = false;
    await server.close();
    server = undefined;
    const offline = await readPack(factory(url), url, MODEL);
    expect(offline.items.ids).toEqual(pack.items.ids);
    expectSameBytes(offline.codes, pack.codes);
    expect(before).toBeGreaterThan(0);
  });

  it('keeps the old version active until a new one is completely downloaded', async () => {
    const v1 = await packFiles(100, 'v1');
    server = await startFaultServer(v1);
    const url = `${server.url}/catalogues/demo/pack.json`;
    const storage = await openDeliveryStorage({ dbName: `pack-source-${process.pid}-2` });
    const factory = createDeliveryPackSourceFactory(async () => storage, { download: { retry: { baseDelayMs: 1, maxDelayMs: 2, maxConsecutiveFailures: 2 } } });
    await readPack(factory(url), url, MODEL);
    const v1version = (await storage.getActive('pack', url))!.version;

    // v2 is published, but its embeddings cannot be downloaded: the load fails, v1 stays active.
    for (const [path, f] of Object.entries(await packFiles(120, 'v2'))) server.files.set(path, f);
    server.setPlan((req) => (req.path.endsWith('embeddings.i8') ? [{ kind: 'status', status: 503 }] : []));
    await expect(readPack(factory(url), url, MODEL)).rejects.toThrow();
    expect((await storage.getActive('pack', url))!.version).toBe(v1version);

    server.setPlan(() => []);
    const v2 = await readPack(factory(url), url, MODEL);
    expect(v2.items.ids).toHaveLength(120);
    expect((await storage.getActive('pack', url))!.version).not.toBe(v1version);
  });
});
