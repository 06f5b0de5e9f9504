/**
 * `npm run recs:eval` — offline evaluation of the recommendation rows on SYNTHETIC shoppers
 * (docs/recommendations.md). Uses a built catalogue pack when one is given or found, else a
 * synthetic catalogue, and prints hit-rate@10, nDCG@10, coverage, diversity and timing per method.
 *
 *   npm run recs:eval -- [--pack <folder with pack.json>] [--synthetic] [--items 10000] [--shoppers 1000]
 *                        [--seed 11] [--popularity-exponent 0.8] [--json]
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readPack } from '../features/catalogue/shared/pack-reader.ts';
import { recItemsFromPack } from '../features/recs/shared/from-pack.ts';
import { buildRecIndex } from '../features/recs/shared/rec-index.ts';
import type { RecItem } from '../features/recs/shared/rec-item.ts';
import { formatEvalTable, runRecsEval } from '../features/recs/shared/recs-eval.ts';
import { DEFAULT_POPULARITY_EXPONENT } from '../features/recs/shared/shopper-simulator.ts';
import { syntheticCatalogue } from '../features/recs/shared/synthetic-catalogue.ts';

/** Where `npm start` (scripts/demo-catalogue.ts) builds the demo pack. */
const DEMO_PACK_CANDIDATES = ['.demo-catalogue/pack'];

function positiveInt(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number (got "${value}").`);
  return n;
}

async function loadCatalogue(pack: string | undefined, items: number, seed: number): Promise<{ items: RecItem[]; source: string }> {
  const dir = pack ?? DEMO_PACK_CANDIDATES.find((d) => existsSync(join(d, 'pack.json')));
  if (!dir) return { items: syntheticCatalogue({ size: items, seed }), source: `synthetic catalogue (${items} items, seed ${seed})` };
  const root = resolve(dir);
  if (!existsSync(join(root, 'pack.json'))) throw new Error(`No pack.json in ${root}: pass the folder that \`npm run catalog:build\` wrote.`);
  const loaded = await readPack(async (path) => new Uint8Array(await readFile(join(root, path))), root);
  return { items: recItemsFromPack(loaded), source: `catalogue pack ${root} (${loaded.manifest.itemCount} items, ${loaded.manifest.title})` };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      pack: { type: 'string' },
      items: { type: 'string' },
      shoppers: { type: 'string' },
      seed: { type: 'string' },
      'popularity-exponent': { type: 'string' },
      json: { type: 'boolean', default: false },
      synthetic: { type: 'boolean', default: false },
    },
  });
  const items = positiveInt(values.items, 10_000, 'items');
  const shoppers = positiveInt(values.shoppers, 1_000, 'shoppers');
  const seed = positiveInt(values.seed, 11, 'seed');
  const catalogue = values.synthetic
    ? { items: syntheticCatalogue({ size: items, seed }), source: `synthetic catalogue (${items} items, seed ${seed})` }
    : await loadCatalogue(values.pack, items, seed);
  const index = buildRecIndex(catalogue.items);
  const exponentArg = values['popularity-exponent'];
  const popularityExponent = exponentArg === undefined ? DEFAULT_POPULARITY_EXPONENT : Number(exponentArg);
  if (!Number.isFinite(popularityExponent) || popularityExponent < 0) throw new Error(`--popularity-exponent must be a number ≥ 0 (got "${exponentArg}").`);
  const report = runRecsEval(index, { shoppers, seed, popularityExponent });
  if (values.json) {
    console.log(JSON.stringify({ source: catalogue.source, ...report }, null, 2));
    return;
  }
  const ymal = report.rows[0]!;
  const pop = report.rows.find((r) => r.method.startsWith('popularity'))!;
  console.log(`Catalogue: ${catalogue.source}`);
  console.log(`Shoppers: ${report.shoppers} SYNTHETIC shoppers from the simulator (not real people); leave-last-out, k = ${report.k}, popularity exponent ${popularityExponent}.`);
  console.log('');
  console.log(formatEvalTable(report));
  console.log('');
  const lift = pop.hitRate > 0 ? `${((ymal.hitRate / pop.hitRate - 1) * 100).toFixed(0)}%` : 'n/a (popularity baseline scored 0)';
  console.log(`"You may also like" vs popularity baseline, hit-rate@${report.k}: ${ymal.hitRate.toFixed(3)} vs ${pop.hitRate.toFixed(3)} (relative lift ${lift}; target ≥ 30%).`);
  if (index.popularityScale === 0) {
    console.log('Note: this catalogue carries no popularity signal, so the popularity baseline is catalogue order and simulated shoppers ignore popularity.');
  }
  console.log(`Row time on this machine (Node, main thread): mean ${ymal.meanMs.toFixed(2)} ms, p95 ${ymal.p95Ms.toFixed(2)} ms for ${index.size} items (target ≤ 20 ms in the worker).`);
}

main().catch((err: unknown) => {
  console.error(`recs:eval failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
