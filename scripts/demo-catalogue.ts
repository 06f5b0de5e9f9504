/**
 * The demo catalogue step of `npm start`: builds a pack from ../shared/datasets/fashion-product-images
 * (or $DRISHTI_DATASETS) into the git-ignored .demo-catalogue/pack/, served at /catalogues/demo/.
 *
 * A first start must not keep anyone waiting long, so it builds a representative subset
 * (DRISHTI_DEMO_ITEMS, default 400 items covering every article type) under a time budget
 * (DRISHTI_DEMO_SECONDS, default 60 s) before the server starts; the rest of the subset is then
 * finished in the background while the app is already served (the pack is swapped in
 * atomically), or on the next start. A complete pack built with the current model is reused.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { DEMO_CATALOGUE_DIR } from './vite/demo-catalogue-plugin.ts';

const ROOT = resolve(import.meta.dirname, '..');

interface PackSummary {
  itemCount: number;
  model: { id: string; version: string };
  build?: { complete?: number; subsetLimit?: number };
}

function readJson<T>(path: string): T | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** What is left to build after the time budget (null when the pack is complete or impossible). */
export interface DemoContinuation {
  args: string[];
}

export function ensureDemoCatalogue(): DemoContinuation | null {
  const datasets = resolve(ROOT, process.env.DRISHTI_DATASETS ?? '../shared/datasets');
  const dataset = join(datasets, 'fashion-product-images');
  const manifestPath = join(ROOT, 'models/manifest.json');
  if (!existsSync(join(dataset, 'styles.csv'))) {
    console.log(`No demo dataset at ${dataset}: the app starts without a catalogue (merchants can import photos at /import).`);
    return null;
  }
  const model = readJson<{ id: string; version: string }>(manifestPath);
  if (!model) {
    console.log('No model in models/manifest.json yet: the demo catalogue is built once the model exists.');
    return null;
  }
  const raw = process.env.DRISHTI_DEMO_ITEMS ?? '400';
  const limit = raw === 'all' ? undefined : Number(raw);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    console.log(`DRISHTI_DEMO_ITEMS must be a whole number or "all" (got "${raw}"); skipping the demo catalogue.`);
    return null;
  }
  const pack = readJson<PackSummary>(join(DEMO_CATALOGUE_DIR, 'pack.json'));
  const sameModel = pack?.model.id === model.id && pack.model.version === model.version;
  const sameSize = (pack?.build?.subsetLimit ?? undefined) === limit;
  if (pack && sameModel && sameSize && pack.build?.complete === 1) {
    console.log(`Demo catalogue: reusing ${relative(ROOT, DEMO_CATALOGUE_DIR)} (${pack.itemCount} items, model ${model.id} ${model.version}).`);
    return null;
  }
  const seconds = process.env.DRISHTI_DEMO_SECONDS ?? '60';
  console.log(
    `Demo catalogue: building ${limit ?? 'all'} items from ${dataset} with model ${model.id} ${model.version} ` +
      `(at most ~${seconds} s now; later starts finish and reuse it)…`,
  );
  const args = ['src/node/catalog-build.ts', '--dataset', dataset, '--out', DEMO_CATALOGUE_DIR, '--model', manifestPath];
  args.push('--id', 'demo', '--title', 'Demo catalogue (Myntra product photos)');
  if (limit !== undefined) args.push('--limit', String(limit));
  const r = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [...args, '--max-seconds', seconds], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    console.log('The demo catalogue could not be built (see above); the app starts without it.');
    return null;
  }
  const built = readJson<PackSummary>(join(DEMO_CATALOGUE_DIR, 'pack.json'));
  return built?.build?.complete === 1 ? null : { args };
}

/**
 * Finishes the demo catalogue in the background (niced) while the app is served; the finished
 * pack replaces the partial one atomically. Output goes to .demo-catalogue/build.log.
 */
export function continueDemoCatalogue(plan: DemoContinuation | null): void {
  if (!plan) return;
  const log = join(DEMO_CATALOGUE_DIR, '..', 'build.log');
  const out = openSync(log, 'a');
  const child = spawn('nice', ['-n', '10', join(ROOT, 'node_modules/.bin/tsx'), ...plan.args], { cwd: ROOT, stdio: ['ignore', out, out] });
  child.on('exit', (code) => {
    console.log(code === 0 ? 'Demo catalogue complete: reload the app to see every item.' : `The background demo catalogue build stopped (see ${relative(ROOT, log)}).`);
  });
  console.log(`Finishing the demo catalogue in the background (progress in ${relative(ROOT, log)}).`);
}
