/**
 * Fixtures for the widget's browser tests: a tiny model (test/fixtures/make-tiny-model.py), a
 * small catalogue pack built with the catalogue's own writer from generated PNG photos embedded by
 * that model in Node, and the two-origin demo (store pages on one port, widget + pack + model on
 * another, as from a CDN). Some titles carry markup and script on purpose.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { buildPackFiles, type PackItemInput } from '../../src/features/catalogue/shared/pack-writer.ts';
import { openNodeModel } from '../../src/node/model-session.ts';
import { startWidgetDemo, type WidgetDemo } from '../../demo-store/serve-demo.ts';

const ROOT = resolve(import.meta.dirname, '../..');
export const WIDGET_DIST = resolve(ROOT, process.env.DRISHTI_WIDGET_DIST ?? 'widget/dist');

/** Titles a hostile or careless feed could hold; they must show as text. */
export const HOSTILE_TITLES = {
  'p-02': '<img src=x onerror="window.__drishtiPwned=1">Block-print kurta',
  'p-03': '<script>window.__drishtiPwned=2</script>Silk saree',
  'p-04': '<b>Bold</b> & "quoted" juttis',
};

export interface CatalogueItemFixture {
  id: string;
  title: string;
  png: Buffer;
}

export interface WidgetFixture {
  demo: WidgetDemo;
  items: CatalogueItemFixture[];
  packUrl: string;
  manifestUrl: string;
  close(): Promise<void>;
}

/** A distinct, deterministic 96×96 photo per item: two colours split at an item-specific angle, plus stripes. */
async function itemPhoto(i: number): Promise<Buffer> {
  const size = 96;
  const px = Buffer.alloc(size * size * 3);
  const a = [(i * 53) % 256, (i * 97 + 40) % 256, (i * 191 + 80) % 256];
  const b = [255 - a[0]!, (a[1]! + 128) % 256, (a[2]! * 3) % 256];
  const angle = (i / 12) * Math.PI;
  const stripe = 4 + (i % 5) * 3;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const side = (x - size / 2) * Math.cos(angle) + (y - size / 2) * Math.sin(angle) > 0;
      const c = side !== (Math.floor(y / stripe) % 2 === 0) ? a : b;
      px.set(c, (y * size + x) * 3);
    }
  }
  return sharp(px, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer();
}

export async function startWidgetFixture(count = 12): Promise<WidgetFixture> {
  if (!existsSync(join(WIDGET_DIST, 'drishti-widget.js'))) {
    throw new Error(`${WIDGET_DIST} has no widget build: run \`npm run build:widget\` first.`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'drishti-widget-test-'));
  const modelDir = join(dir, 'model');
  const packDir = join(dir, 'pack');
  mkdirSync(modelDir);
  mkdirSync(packDir);
  const gen = spawnSync('python3', [join(ROOT, 'test/fixtures/make-tiny-model.py'), modelDir], { encoding: 'utf8' });
  if (gen.status !== 0) throw new Error(`make-tiny-model.py failed (needs the onnx Python package): ${gen.stderr}`);

  const items: CatalogueItemFixture[] = [];
  for (let i = 1; i <= count; i++) {
    const id = `p-${String(i).padStart(2, '0')}`;
    const title = HOSTILE_TITLES[id as keyof typeof HOSTILE_TITLES] ?? `Cotton kurta no. ${i}`;
    const png = await itemPhoto(i);
    writeFileSync(join(packDir, `${id}.png`), png);
    items.push({ id, title, png });
  }
  // Embed with the variant the browser picks on WASM (int8), as catalog:build would.
  const model = await openNodeModel(join(modelDir, 'manifest.json'), 'int8');
  const decoded = await Promise.all(
    items.map(async (it) => {
      const { data, info } = await sharp(it.png).raw().toBuffer({ resolveWithObject: true });
      return { data: new Uint8Array(data), width: info.width, height: info.height, channels: info.channels as 3 | 4 };
    }),
  );
  const predictions = await model.predict(decoded);
  await model.dispose();
  const m = model.manifest;
  const packItems: PackItemInput[] = items.map((it, i) => ({
    id: it.id,
    title: it.title,
    attributes: { gender: i % 2 ? 'Women' : 'Men', articleType: 'Kurtas', usage: 'Ethnic' },
    predicted: [],
    priceInr: 499 + i * 1000,
    image: null,
    thumbnail: null,
    embedding: predictions[i]!.embedding,
  }));
  const { files } = await buildPackFiles({
    id: 'widget-test',
    title: 'Widget test catalogue',
    model: { id: m.id, version: m.version, embeddingDims: m.embedding.dims },
    pricing: { currency: 'INR', source: 'feed', note: 'Test prices.' },
    paths: { image: '{id}.png', thumbnail: '{id}.png' },
    items: packItems,
  });
  for (const [name, bytes] of files) writeFileSync(join(packDir, name), bytes);

  const demo = await startWidgetDemo({ widgetDir: WIDGET_DIST, packDir, modelDir, productId: items[0]!.id });
  return {
    demo,
    items,
    packUrl: `${demo.cdnUrl}/pack/pack.json`,
    manifestUrl: `${demo.cdnUrl}/models/manifest.json`,
    async close() {
      await demo.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
