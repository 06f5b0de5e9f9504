/**
 * catalog:build end to end with a tiny generated ONNX model (test/fixtures/make-tiny-model.py) on
 * generated photos, and on a small real subset of ../shared/datasets with the real model when it
 * is present (models/manifest.json), else the tiny one.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogueIndex } from '../../src/features/catalogue/shared/catalogue-index.ts';
import { readPack } from '../../src/features/catalogue/shared/pack-reader.ts';
import { buildCatalogue, type BuildOptions } from '../../src/node/catalog/build.ts';
import { decodeEmbedding, type DoneItem } from '../../src/node/catalog/progress-log.ts';
import { cosine } from '../../src/shared/model-output.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const DATASETS = resolve(ROOT, process.env.DRISHTI_DATASETS ?? '../shared/datasets');
const FASHION = join(DATASETS, 'fashion-product-images');
const REAL_MODEL = join(ROOT, 'models/manifest.json');

let dir: string;
let tinyModel: string;

function options(dataset: string, out: string, patch: Partial<BuildOptions> = {}): BuildOptions {
  return { dataset, out, model: tinyModel, variant: 'int8', batchSize: 8, threads: 1, derivePrices: false, retryFailed: false, log: () => {}, ...patch };
}

async function fileSource(packDir: string) {
  return (path: string) => readFile(join(packDir, path)).then((b) => new Uint8Array(b));
}

/** A folder of generated product photos (colour blocks, some patterned) plus a catalogue.csv. */
async function makeCsvCatalogue(at: string, n: number, extraRows: string[] = []): Promise<string> {
  mkdirSync(join(at, 'photos'), { recursive: true });
  const lines = ['id,title,image,price,articleType'];
  for (let i = 0; i < n; i++) {
    const colour = { r: (i * 53) % 256, g: (i * 97) % 256, b: (i * 31) % 256 };
    await sharp({ create: { width: 120 + (i % 5) * 40, height: 160, channels: 3, background: colour } })
      .composite([{ input: Buffer.from(`<svg width="60" height="60"><circle cx="30" cy="30" r="${10 + (i % 20)}" fill="white"/></svg>`), top: 40, left: 30 }])
      .jpeg()
      .toFile(join(at, 'photos', `p${i}.jpg`));
    lines.push(`SKU-${i},"Kurta no. ${i}, cotton",photos/p${i}.jpg,${999 + i},${i % 2 ? 'Kurtas' : ''}`);
  }
  writeFileSync(join(at, 'catalogue.csv'), [...lines, ...extraRows].join('\n') + '\n');
  return at;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'drishti-catbuild-'));
  tinyModel = join(dir, 'tiny', 'manifest.json');
  const r = spawnSync('python3', [join(ROOT, 'test/fixtures/make-tiny-model.py'), join(dir, 'tiny')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`Could not build the tiny test model: ${r.stderr}`);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('catalog:build', () => {
  it('builds a valid pack from a generic CSV, reporting bad rows and unreadable images and continuing', async () => {
    const src = await makeCsvCatalogue(join(dir, 'csv1'), 12, [
      ',"No id",photos/p1.jpg,100,',
      'SKU-BROKEN,"Broken photo",photos/broken.jpg,100,',
      'SKU-MISSING,"Missing photo",photos/nowhere.jpg,100,',
      'SKU-JS,"<script>alert(1)</script> kurta",javascript:alert(1),100,',
      'SKU-PRICE,"Bad price",photos/p2.jpg,cheap,',
      'SKU-0,"Duplicate",photos/p3.jpg,100,',
    ]);
    writeFileSync(join(src, 'photos', 'broken.jpg'), 'this is not a jpeg');
    const out = join(dir, 'out1');
    const report = await buildCatalogue(options(src, out));
    expect(report.items).toBe(12);
    expect(report.badRows.map((b) => b.reason).join('\n')).toMatch(/has no id[\s\S]*neither a file path nor an http\(s\) URL[\s\S]*"cheap" is not a number[\s\S]*SKU-0 appears twice/);
    expect(report.failed.map((f) => f.id).sort()).toEqual(['SKU-BROKEN', 'SKU-MISSING']);
    const pack = await readPack(await fileSource(out), out);
    expect(pack.manifest.pricing.source).toBe('feed');
    const index = new CatalogueIndex(pack, 'http://localhost/cat/pack.json');
    const item = index.item(index.rowOf('SKU-3'));
    expect(item.title).toBe('Kurta no. 3, cotton');
    expect(item.priceInr).toBe(1002);
    // The feed's article type is kept; the model fills what the feed lacks and says so.
    expect(item.attributes.articleType).toBe('Kurtas');
    expect(item.predicted).not.toContain('articleType');
    expect(item.predicted).toContain('gender');
    const unlabelled = index.item(index.rowOf('SKU-2'));
    expect(unlabelled.predicted).toContain('articleType');
    // Thumbnails fit 256 px and are listed with their sha256.
    const meta = await sharp(join(out, 'thumbs', 'SKU-3.webp')).metadata();
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(256);
    expect(readFileSync(join(out, 'thumbnails.sha256'), 'utf8')).toMatch(/^[0-9a-f]{64} {2}thumbs\/SKU-0\.webp$/m);
  }, 120_000);

  it('resumes after being killed mid-build, never leaving a half-written pack', async () => {
    const src = await makeCsvCatalogue(join(dir, 'csv2'), 80);
    const out = join(dir, 'out2');
    const progress = `${out}.work/progress.jsonl`;
    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['src/node/catalog-build.ts', '--dataset', src, '--out', out, '--model', tinyModel, '--batch', '1'], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    const exited = new Promise((r) => child.on('exit', r));
    const doneLines = (): number => (existsSync(progress) ? readFileSync(progress, 'utf8').split('\n').filter((l) => l.includes('"kind":"done"')).length : 0);
    const deadline = Date.now() + 90_000;
    while (doneLines() < 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGKILL');
    await exited;
    const before = doneLines();
    expect(before).toBeGreaterThanOrEqual(10);
    expect(before).toBeLessThan(80);
    expect(existsSync(join(out, 'pack.json'))).toBe(false);

    const report = await buildCatalogue(options(src, out));
    expect(report.reused).toBeGreaterThanOrEqual(before);
    expect(report.reused + report.embedded).toBe(80);
    expect(report.items).toBe(80);
    const pack = await readPack(await fileSource(out), out);
    expect(pack.items.ids.length).toBe(80);
    // A second run has nothing left to embed and still writes a complete pack.
    const again = await buildCatalogue(options(src, out));
    expect(again.embedded).toBe(0);
    expect(again.reused).toBe(80);
  }, 180_000);

  it.skipIf(!existsSync(join(FASHION, 'styles.csv')))(
    'builds a real subset of the fashion dataset whose search matches a float reference',
    async () => {
      const model = existsSync(REAL_MODEL) ? REAL_MODEL : tinyModel;
      const out = join(dir, 'real');
      const report = await buildCatalogue(options(FASHION, out, { model, limit: 48 }));
      console.log(
        `[measure] real subset (${model === REAL_MODEL ? 'real int8 model' : 'tiny model'}): ${report.items} items, ${report.throughput.toFixed(1)} img/s, ${report.bytesPerItem.toFixed(0)} bytes/item`,
      );
      expect(report.items).toBe(48);
      const pack = await readPack(await fileSource(out), out);
      expect(pack.manifest.pricing.source).toBe('derived');
      expect(pack.manifest.pricing.note).toMatch(/derived deterministically from the article type/);
      // Covers many article types rather than 48 T-shirts.
      expect(pack.manifest.facets.articleType.length).toBeGreaterThanOrEqual(20);
      const index = new CatalogueIndex(pack, 'http://localhost/p/pack.json');
      const floats = new Map<string, Float32Array>();
      for (const line of readFileSync(`${out}.work/progress.jsonl`, 'utf8').split('\n')) {
        if (line.includes('"kind":"done"')) {
          const d = JSON.parse(line) as DoneItem;
          floats.set(d.id, decodeEmbedding(d.embedding));
        }
      }
      const ids = pack.items.ids;
      let tol = 0;
      for (const qid of ids) {
        const q = floats.get(qid)!;
        const got = index.rank(q, 10, undefined, { exclude: index.rowOf(qid) });
        const ref = ids
          .filter((id) => id !== qid)
          .map((id) => ({ id, s: cosine(q, floats.get(id)!) }))
          .sort((a, b) => b.s - a.s)
          .slice(0, 10);
        got.rows.forEach((r, i) => (tol = Math.max(tol, Math.abs(got.scores[i]! - cosine(q, floats.get(ids[r]!)!)))));
        ref.forEach((want, i) => {
          const mine = ids[got.rows[i]!]!;
          if (mine !== want.id) expect(Math.abs(cosine(q, floats.get(mine)!) - want.s)).toBeLessThanOrEqual(2 * tol + 1e-6);
        });
      }
      expect(tol).toBeLessThan(0.02);
    },
    300_000,
  );

  it('refuses a dataset without usable rows and leaves no output behind', async () => {
    const src = join(dir, 'empty');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'catalogue.csv'), 'id,title,image\n,no id,x.jpg\n');
    await expect(buildCatalogue(options(src, join(dir, 'out-empty')))).rejects.toThrow(/has no usable rows \(1 bad/);
    expect(existsSync(join(dir, 'out-empty'))).toBe(false);
    await expect(buildCatalogue(options(join(dir, 'nope'), join(dir, 'o')))).rejects.toThrow(/does not exist/);
  });
});
