/**
 * Training and serving cannot drift apart: the golden outputs written by the Python pipeline
 * (models/golden/golden.json, fp32 onnxruntime on numpy preprocessing) must be reproduced by the
 * shipped path — sharp decoding, src/shared/preprocess.ts and onnxruntime-web (WASM) in Node:
 * same top-1 label on every head and embedding cosine ≥ 0.995.
 *
 * The images are read from the datasets folder ($DRISHTI_DATASETS, default ../shared/datasets).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImageFile, openNodeModel, readManifest, type NodeModel } from '../../src/node/model-session.ts';
import { cosine } from '../../src/shared/model-output.ts';

interface GoldenImage {
  /** Relative to the datasets folder. */
  path: string;
  top1: Record<string, string>;
  embedding: number[];
}

interface Golden {
  schema: 'drishti-golden/1';
  model: { id: string; version: string; fp32Sha256: string };
  minCosine: number;
  images: GoldenImage[];
}

const ROOT = resolve(import.meta.dirname, '../..');
const MANIFEST = resolve(ROOT, 'models/manifest.json');
const DATASETS = resolve(process.env.DRISHTI_DATASETS ?? resolve(ROOT, '../shared/datasets'));
const golden = JSON.parse(readFileSync(resolve(ROOT, 'models/golden/golden.json'), 'utf8')) as Golden;

describe('model parity: TypeScript preprocessing + onnxruntime-web vs the Python reference (fp32)', () => {
  let model: NodeModel;

  beforeAll(async () => {
    model = await openNodeModel(MANIFEST, 'fp32', 2);
  }, 120_000);

  afterAll(async () => {
    await model?.dispose();
  });

  it('golden outputs belong to the committed fp32 model', async () => {
    const manifest = await readManifest(MANIFEST);
    const fp32 = manifest.variants.find((v) => v.name === 'fp32');
    expect(fp32).toBeDefined();
    const bytes = readFileSync(resolve(ROOT, 'models', fp32!.file));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(golden.model.fp32Sha256);
    expect(golden.model).toMatchObject({ id: manifest.id, version: manifest.version });
    // Catalogue shots and phone photos (non-square: the padding path) are both covered.
    expect(golden.images.filter((g) => g.path.startsWith('fashion-product-images/')).length).toBeGreaterThanOrEqual(3);
    expect(golden.images.filter((g) => g.path.startsWith('clothing-photos/')).length).toBeGreaterThanOrEqual(1);
  });

  it.each(golden.images.map((g) => [g.path, g] as const))('%s', async (path, g) => {
    const file = resolve(DATASETS, path);
    expect(existsSync(file), `dataset image ${file} is missing; set DRISHTI_DATASETS`).toBe(true);
    const [pred] = await model.predict([await decodeImageFile(file)]);
    const top1 = Object.fromEntries(pred!.heads.map((h) => [h.head, h.top[0]!.id]));
    expect(top1).toEqual(g.top1);
    expect(pred!.embedding.length).toBe(g.embedding.length);
    expect(cosine(pred!.embedding, g.embedding)).toBeGreaterThanOrEqual(golden.minCosine);
  }, 60_000);
});
