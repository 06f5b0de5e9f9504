import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { PACK_LIMITS, PackError } from '../../src/features/catalogue/shared/pack-format.ts';
import { readPack, type PackFileSource } from '../../src/features/catalogue/shared/pack-reader.ts';
import { buildPackFiles, type PackInput } from '../../src/features/catalogue/shared/pack-writer.ts';
import { CatalogueIndex } from '../../src/features/catalogue/shared/catalogue-index.ts';
import { syntheticItems } from './catalogue-synthetic.ts';

const MODEL = { id: 'drishti-test', version: '1.0.0', embeddingDims: 256 };

function input(n: number, patch: Partial<PackInput> = {}): PackInput {
  return {
    id: 'test-pack',
    title: 'Test pack',
    model: MODEL,
    pricing: { currency: 'INR', source: 'derived', note: 'Synthetic prices.' },
    paths: { image: 'images/{id}.jpg', thumbnail: 'thumbs/{id}.webp' },
    items: syntheticItems(n),
    ...patch,
  };
}

function memorySource(files: Map<string, Uint8Array>): PackFileSource {
  return async (path, maxBytes) => {
    const f = files.get(path);
    if (!f) throw new Error(`no such file ${path}`);
    if (f.byteLength > maxBytes) throw new PackError(`${path} is larger than ${maxBytes} bytes`);
    return f;
  };
}

const json = (o: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(o));
const parse = (b: Uint8Array): Record<string, unknown> => JSON.parse(new TextDecoder().decode(b)) as Record<string, unknown>;

describe('catalogue pack format', () => {
  it('round-trips items, attributes, prices and vectors, and reports its size per item', async () => {
    const { files, manifest } = await buildPackFiles(input(2000));
    const pack = await readPack(memorySource(files), 'memory', MODEL);
    expect(pack.manifest).toEqual(manifest);
    const index = new CatalogueIndex(pack, 'https://shop.example/packs/demo/pack.json');
    const item = index.item(index.rowOf('SKU-7'));
    const src = input(2000).items[7]!;
    expect(item.title).toBe(src.title);
    expect(item.attributes).toEqual(src.attributes);
    expect(item.priceInr).toBe(src.priceInr);
    expect(item.thumbnailUrl).toBe('https://shop.example/packs/demo/thumbs/SKU-7.webp');
    // The decoded vector is the original within int8 rounding.
    const v = index.vectorOf(7);
    let maxErr = 0;
    for (let j = 0; j < 256; j++) maxErr = Math.max(maxErr, Math.abs(v[j]! - src.embedding[j]!));
    expect(maxErr).toBeLessThan(0.01);
    const bytes = [...files].filter(([name]) => name !== 'thumbnails.sha256').reduce((s, [, b]) => s + b.byteLength, 0);
    console.log(`[measure] synthetic pack: ${(bytes / 2000).toFixed(1)} bytes/item (target ≤ 300, thumbnails excluded)`);
  });

  it('keeps titles with markup as plain data', async () => {
    const items = syntheticItems(3);
    items[0]!.title = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const { files } = await buildPackFiles(input(3, { items }));
    const pack = await readPack(memorySource(files), 'memory');
    expect(new CatalogueIndex(pack, 'https://x/pack.json').item(0).title).toBe(items[0]!.title);
  });

  it('rejects a truncated embeddings file', async () => {
    const { files } = await buildPackFiles(input(50));
    files.set('embeddings.i8', files.get('embeddings.i8')!.subarray(0, 1000));
    await expect(readPack(memorySource(files), 'memory')).rejects.toThrow(/embeddings\.i8 has 1000 bytes, pack\.json says .*truncated/);
  });

  it('rejects a file whose sha256 does not match', async () => {
    const { files } = await buildPackFiles(input(50));
    const emb = files.get('embeddings.i8')!.slice();
    emb[emb.length - 1] = emb[emb.length - 1]! ^ 1;
    files.set('embeddings.i8', emb);
    await expect(readPack(memorySource(files), 'memory')).rejects.toThrow(/sha256 of embeddings\.i8 does not match/);
  });

  it('rejects a pack built with another model version', async () => {
    const { files } = await buildPackFiles(input(10));
    await expect(readPack(memorySource(files), 'memory', { ...MODEL, version: '2.0.0' })).rejects.toThrow(
      /built with model drishti-test 1\.0\.0 .* runs drishti-test 2\.0\.0.*Rebuild the pack/,
    );
  });

  it('rejects 10⁶ claimed items as oversized, and claimed items that are not present as inconsistent', async () => {
    const { files } = await buildPackFiles(input(10));
    const m = parse(files.get('pack.json')!);
    files.set('pack.json', json({ ...m, itemCount: 1_000_000 }));
    await expect(readPack(memorySource(files), 'memory')).rejects.toThrow(/claims 1000000 items; this app holds at most 2,00,000/);
    const m2 = { ...m, itemCount: 150_000, files: { ...(m.files as object), embeddings: { ...(m.files as { embeddings: object }).embeddings, bytes: 16 + 150_000 * 260 } } };
    files.set('pack.json', json(m2));
    await expect(readPack(memorySource(files), 'memory')).rejects.toThrow(PackError);
    await expect(readPack(memorySource(files), 'memory')).rejects.toThrow(/embeddings\.i8 has \d+ bytes, pack\.json says 39000016/);
  });

  it('rejects an items file that lists fewer items than promised even when its hash matches', async () => {
    const { files } = await buildPackFiles(input(10));
    const m = parse(files.get('pack.json')!);
    const { buildPackFiles: build } = await import('../../src/features/catalogue/shared/pack-writer.ts');
    const small = await build(input(9));
    // A consistent-looking manifest whose items file (correctly hashed) holds 9 items, not 10.
    files.set('items.json.gz', small.files.get('items.json.gz')!);
    files.set('pack.json', json({ ...m, files: { ...(m.files as object), items: small.manifest.files.items } }));
    await expect(readPack(memorySource(files), 'memory')).rejects.toThrow(/lists 9 ids but pack\.json promises 10 items/);
  });

  it('rejects malformed manifests with messages that name the fault', async () => {
    const { files } = await buildPackFiles(input(5));
    const m = parse(files.get('pack.json')!);
    const cases: [unknown, RegExp][] = [
      ['not an object', /not a JSON object/],
      [{ ...m, format: 'zip' }, /"format" must be "drishti-catalogue-pack"/],
      [{ ...m, formatVersion: 9 }, /format version 9 is not supported/],
      [{ ...m, paths: { image: 'javascript:alert(1)', thumbnail: 't/{id}' } }, /paths\.image must be a path inside the pack/],
      [{ ...m, files: { ...(m.files as object), items: { path: '../../etc/passwd', bytes: 1, sha256: 'a'.repeat(64) } } }, /files\.items\.path must be a plain file name/],
    ];
    for (const [bad, message] of cases) {
      files.set('pack.json', json(bad));
      await expect(readPack(memorySource(files), 'memory')).rejects.toThrow(message);
    }
    files.set('pack.json', new TextEncoder().encode('{"format": "drishti-catalogue-pack", '));
    await expect(readPack(memorySource(files), 'memory')).rejects.toThrow(/pack\.json is not valid UTF-8 JSON/);
  });

  it('rejects unsafe image URLs and a gzip bomb in the items file', async () => {
    const items = syntheticItems(3);
    items[1]!.image = 'javascript:alert(1)';
    const { files } = await buildPackFiles(input(3, { items }));
    await expect(readPack(memorySource(files), 'memory')).rejects.toThrow(/images\[1\] must be null, a path inside the pack or an http\(s\) URL/);

    const bomb = new Uint8Array(gzipSync(new Uint8Array(PACK_LIMITS.maxItemsJsonBytes + 1024).fill(32), { level: 1 }));
    const ok = await buildPackFiles(input(3));
    const { sha256Hex } = await import('../../src/features/catalogue/shared/bytes.ts');
    const m = parse(ok.files.get('pack.json')!);
    ok.files.set('items.json.gz', bomb);
    ok.files.set('pack.json', json({ ...m, files: { ...(m.files as object), items: { path: 'items.json.gz', bytes: bomb.byteLength, sha256: await sha256Hex(bomb) } } }));
    await expect(readPack(memorySource(ok.files), 'memory')).rejects.toThrow(/could not be decompressed \(the data expands to more than/);
  }, 60_000);
});
