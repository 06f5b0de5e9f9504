/**
 * End to end: corrections saved by the browser code → JSONL → the model pipeline's data prep
 * (`python3 -m drishti.data --corrections`), on a tiny generated catalogue (styles.csv + JPEGs made
 * with sharp in a temp folder; no dataset files are used).
 */
import 'fake-indexeddb/auto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorrectionsStore } from '../../src/features/feedback/shared/corrections-store.ts';

const MODELS = resolve(__dirname, '../../models');
const HEADER = 'id,gender,masterCategory,subCategory,articleType,baseColour,season,usage,productDisplayName,colorgroup';

interface Row {
  id: number;
  gender: string;
  articleType: string;
  colour: string;
  usage: string;
}

/** 30 Tshirts, 30 Shirts and 60 Kurtas, of which the shopper says 30 are really Kurtis. */
const ROWS: Row[] = [
  ...Array.from({ length: 30 }, (_, i) => ({ id: 1000 + i, gender: 'Men', articleType: 'Tshirts', colour: 'Blue', usage: 'Casual' })),
  ...Array.from({ length: 30 }, (_, i) => ({ id: 2000 + i, gender: 'Men', articleType: 'Shirts', colour: 'White', usage: 'Formal' })),
  ...Array.from({ length: 60 }, (_, i) => ({ id: 3000 + i, gender: 'Women', articleType: 'Kurtas', colour: 'Red', usage: 'Ethnic' })),
];
const KURTI_IDS = ROWS.filter((r) => r.articleType === 'Kurtas').slice(0, 30).map((r) => String(r.id));

let dir: string;
let jsonl: string;

function dataPrep(args: string[]) {
  return spawnSync('python3', ['-m', 'drishti.data', '--datasets', dir, ...args], { cwd: MODELS, encoding: 'utf8', timeout: 120_000 });
}

/** Per-item labels from data prep's own API (the CLI writes only the split), as class names. */
function preparedLabels(corrections: string | null): Record<string, Record<string, string>> {
  const script = `
import json, sys
from pathlib import Path
from drishti.data import prepare
prep = prepare(Path(sys.argv[1]), Path(sys.argv[2]) if sys.argv[2] else None, log=lambda *_: None)
out = {}
for items in prep.catalogue.values():
    for it in items:
        out[it.key] = {h: prep.classes[h][i] for h, i in it.labels.items()}
print(json.dumps(out))
`;
  const run = spawnSync('python3', ['-c', script, dir, corrections ?? ''], { cwd: MODELS, encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) throw new Error(`data prep failed:\n${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, Record<string, string>>;
}

describe('feedback loop: exported corrections feed the data prep', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'drishti-feedback-'));
    const images = join(dir, 'images');
    mkdirSync(images);
    writeFileSync(
      join(dir, 'styles.csv'),
      [HEADER, ...ROWS.map((r) => `${r.id},${r.gender},Apparel,Topwear,${r.articleType},${r.colour},Summer,${r.usage},Test ${r.articleType} ${r.id},${r.colour}`)].join('\n') + '\n',
    );
    // Every image different (data prep drops byte-identical duplicates).
    await Promise.all(
      ROWS.map((r) => {
        const px = Buffer.alloc(24 * 24 * 3);
        for (let i = 0; i < px.length; i++) px[i] = (r.id * 7 + i * 13 + ((i * r.id) % 251)) % 256;
        return sharp(px, { raw: { width: 24, height: 24, channels: 3 } }).jpeg({ quality: 90 }).toFile(join(images, `${r.id}.jpg`));
      }),
    );

    // The browser side: a shopper corrects tags; the merchant exports the JSONL.
    const store = await CorrectionsStore.open('feedback-e2e');
    for (const id of KURTI_IDS) {
      await store.add({ itemId: id, head: 'articleType', predicted: 'Kurtas', corrected: 'Kurtis', modelId: 'drishti-fashion', modelVersion: 'test', at: new Date('2026-12-04T10:00:00Z') });
    }
    await store.add({ itemId: '1000', head: 'colour', predicted: 'Blue', corrected: 'Black', modelId: 'drishti-fashion', modelVersion: 'test' });
    await store.add({ itemId: '99999', head: 'usage', predicted: 'Casual', corrected: 'Ethnic', modelId: 'drishti-fashion', modelVersion: 'test' });
    jsonl = join(dir, 'corrections.jsonl');
    writeFileSync(jsonl, await store.exportJsonl());
    store.close();
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('applies the corrections in the data prep CLI and reports what it skipped', () => {
    const out = join(dir, 'split.json');
    const run = dataPrep(['--corrections', jsonl, '--split-out', out]);
    expect(run.status, run.stderr).toBe(0);
    expect(`${run.stdout}${run.stderr}`).toMatch(/31 applied, 1 skipped of 32 lines/);
    expect(`${run.stdout}${run.stderr}`).toMatch(/unknown itemId '99999'/);
    const split = JSON.parse(readFileSync(out, 'utf8')) as { classes: { articleType: string[] } };
    expect(split.classes.articleType).toContain('Kurtis');

    const without = dataPrep(['--split-out', join(dir, 'split-plain.json')]);
    expect(without.status, without.stderr).toBe(0);
    const plain = JSON.parse(readFileSync(join(dir, 'split-plain.json'), 'utf8')) as { classes: { articleType: string[] } };
    expect(plain.classes.articleType).not.toContain('Kurtis');
  });

  it('gives the corrected items their corrected labels for the next training run', () => {
    const labels = preparedLabels(jsonl);
    for (const id of KURTI_IDS) expect(labels[id]?.articleType, `item ${id}`).toBe('Kurtis');
    expect(labels['3059']?.articleType).toBe('Kurtas');
    expect(labels['1000']?.colour).toBe('Black');
    expect(labels['1001']?.colour).toBe('Blue');
    const plain = preparedLabels(null);
    expect(plain[KURTI_IDS[0]!]?.articleType).toBe('Kurtas');
    expect(plain['1000']?.colour).toBe('Blue');
  });
});
