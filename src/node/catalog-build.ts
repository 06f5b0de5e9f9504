/**
 * `npm run catalog:build -- --dataset <dir|csv> --out <dir> [options]`: builds a catalogue pack
 * (docs/catalogue-pack.md) with the model in models/. Run with --help for the options.
 */
import { parseArgs } from 'node:util';
import type { VariantName } from '../shared/model-manifest.ts';
import { buildCatalogue, type BuildOptions } from './catalog/build.ts';
import { DEFAULT_MANIFEST } from './model-session.ts';

const HELP = `Usage: npm run catalog:build -- --dataset <dir|file.csv> --out <dir> [options]

  --dataset <path>   styles.csv + images/ folder, or a CSV with columns id,title,image[,price,gender,
                     articleType,usage,colour,season] (image: path relative to the CSV, or http(s) URL)
  --out <dir>        where the pack goes (replaced atomically; work in progress in <dir>.work/)
  --model <path>     model manifest (default models/manifest.json)
  --variant <name>   int8 | fp32 | fp16 (default int8, the variant the browser's WASM path runs)
  --limit <n>        at most n items, chosen to cover every article type
  --batch <n>        images per model run (default 8)
  --threads <n>      WASM threads (default 1)
  --id <id>          pack id (default: the output folder's name)
  --title <text>     pack title
  --derive-prices    illustrative prices from the article type when the CSV has none
  --retry-failed     retry images that failed in an earlier run
  --max-seconds <n>  stop embedding after n seconds and write what is done (run again to continue)
`;

function fail(message: string): never {
  console.error(`catalog:build: ${message}\n\n${HELP}`);
  process.exit(2);
}

function positiveInt(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a positive whole number (got "${raw}")`);
  return n;
}

let args;
try {
  args = parseArgs({
    options: {
      dataset: { type: 'string' },
      out: { type: 'string' },
      model: { type: 'string' },
      variant: { type: 'string' },
      limit: { type: 'string' },
      batch: { type: 'string' },
      threads: { type: 'string' },
      id: { type: 'string' },
      title: { type: 'string' },
      'derive-prices': { type: 'boolean' },
      'retry-failed': { type: 'boolean' },
      'max-seconds': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
} catch (err) {
  fail((err as Error).message);
}
if (args.help) {
  console.log(HELP);
  process.exit(0);
}
if (!args.dataset) fail('--dataset is required');
if (!args.out) fail('--out is required');
const variant = (args.variant ?? 'int8') as VariantName;
if (!['int8', 'fp32', 'fp16'].includes(variant)) fail(`--variant must be int8, fp32 or fp16 (got "${variant}")`);

const tty = process.stdout.isTTY === true;
let lastTransient = 0;
const options: BuildOptions = {
  dataset: args.dataset,
  out: args.out,
  model: args.model ?? DEFAULT_MANIFEST,
  variant,
  batchSize: positiveInt(args.batch, 'batch', 8),
  threads: positiveInt(args.threads, 'threads', 1),
  derivePrices: args['derive-prices'] ?? false,
  retryFailed: args['retry-failed'] ?? false,
  log(line, transient) {
    if (transient && tty) {
      process.stdout.write(`\r${line}\x1b[K`);
      return;
    }
    // Without a terminal, print progress at most every 5 s so logs stay readable.
    if (transient) {
      if (Date.now() - lastTransient < 5000 && !line.startsWith('[100%]')) return;
      lastTransient = Date.now();
    }
    process.stdout.write(`${tty ? '\r\x1b[K' : ''}${line}\n`);
  },
};
if (args.limit !== undefined) options.limit = positiveInt(args.limit, 'limit', 0);
if (args['max-seconds'] !== undefined) options.maxSeconds = positiveInt(args['max-seconds'], 'max-seconds', 0);
if (args.id !== undefined) options.id = args.id;
if (args.title !== undefined) options.title = args.title;

try {
  const r = await buildCatalogue(options);
  if (tty) process.stdout.write('\n');
  console.log(
    `Wrote ${r.out}: ${r.items} items (${r.reused} reused, ${r.embedded} embedded at ${r.throughput.toFixed(1)} img/s) in ${r.seconds.toFixed(1)} s; ` +
      `pack ${(r.packBytes / 1024).toFixed(0)} KiB = ${r.bytesPerItem.toFixed(0)} bytes/item without thumbnails.`,
  );
  if (!r.complete) console.log('The time budget ran out: the pack holds the items done so far. Run the same command again to add the rest.');
  if (r.withoutImage > 0) console.log(`${r.withoutImage} rows have no image and were left out.`);
  if (r.badRows.length > 0) {
    console.log(`${r.badRows.length} bad rows skipped:`);
    for (const b of r.badRows.slice(0, 20)) console.log(`  line ${b.line}: ${b.reason}`);
    if (r.badRows.length > 20) console.log(`  … and ${r.badRows.length - 20} more`);
  }
  if (r.failed.length > 0) {
    console.log(`${r.failed.length} unreadable images skipped (retry with --retry-failed):`);
    for (const f of r.failed.slice(0, 20)) console.log(`  ${f.id}: ${f.reason}`);
    if (r.failed.length > 20) console.log(`  … and ${r.failed.length - 20} more`);
  }
} catch (err) {
  console.error(`catalog:build failed: ${(err as Error).message}`);
  process.exit(1);
}
