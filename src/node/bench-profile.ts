/**
 * `npm run bench:profile [-- --variant int8 --threads 1 --runs 10]`: where the time goes. Runs a
 * model variant in onnxruntime-web's WASM runtime under Node (the same kernels the browser runs)
 * with the runtime's profiler on, then prints per-op-kind kernel time, share, MACs and the MAC
 * rate each kind achieves against the assumed SIMD peak.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-web';
import { defaultAssumption, MACS_PER_CYCLE_PER_CORE } from '../features/bench/shared/compute-floor.ts';
import { decodeOnnx } from '../features/bench/shared/onnx-graph.ts';
import { countMacs } from '../features/bench/shared/onnx-macs.ts';
import { parseProfileLines, profileToMarkdown, summarizeProfile } from '../features/bench/shared/ort-profile.ts';
import type { VariantName } from '../shared/model-manifest.ts';
import { DEFAULT_MANIFEST, readManifest } from './model-session.ts';
import { readClockGhz } from './cpu-info.ts';

const USAGE = `Usage: npm run bench:profile -- [--manifest models/manifest.json] [--variant int8] [--threads 1] [--runs 10] [--warmup 2] [--batch 1] [--clock-ghz 2.6] [--json out.json]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      manifest: { type: 'string', default: DEFAULT_MANIFEST },
      variant: { type: 'string', default: 'int8' },
      threads: { type: 'string', default: '1' },
      runs: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      batch: { type: 'string', default: '1' },
      'clock-ghz': { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const threads = Number(values.threads);
  const runs = Number(values.runs);
  const warmup = Number(values.warmup);
  const batch = Number(values.batch);
  for (const [name, v, min] of [['threads', threads, 1], ['runs', runs, 1], ['warmup', warmup, 0], ['batch', batch, 1]] as const) {
    if (!Number.isInteger(v) || v < min) throw new Error(`--${name} must be a whole number ≥ ${min}.\n${USAGE}`);
  }
  const manifestPath = resolve(values.manifest);
  const manifest = await readManifest(manifestPath);
  const entry = manifest.variants.find((v) => v.name === (values.variant as VariantName));
  if (!entry) throw new Error(`${manifestPath} has no "${values.variant}" variant (it has ${manifest.variants.map((v) => v.name).join(', ')}).`);
  const file = resolve(dirname(manifestPath), entry.file);
  const bytes = new Uint8Array(readFileSync(file));
  const graph = decodeOnnx(bytes, file);
  const spec = manifest.preprocess;
  const macs = countMacs(graph, [1, 3, spec.size, spec.size]);
  const clockGhz = values['clock-ghz'] ? Number(values['clock-ghz']) : (readClockGhz() ?? 3);
  const perCycle = entry.name === 'int8' ? MACS_PER_CYCLE_PER_CORE.int8 : MACS_PER_CYCLE_PER_CORE.fp32;
  const cores = Math.min(threads, availableParallelism());
  const peak = cores * perCycle * clockGhz;

  // The WASM runtime writes profiler events straight to file descriptor 1, where nothing in-process
  // can intercept them: run the session in a child process and read its stdout.
  const child = spawnSync(process.execPath, [...process.execArgv, import.meta.filename, '--child', file, String(threads), String(warmup + runs), String(batch), spec.inputName, String(spec.size)], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`The profiling run failed (${child.signal ?? `exit ${child.status}`}): ${child.error?.message ?? ""} ${child.stderr.slice(-2000)}`);
  const timesLine = child.stdout.split('\n').find((l) => l.startsWith(WALL_MARK));
  if (!timesLine) throw new Error('The profiling run printed no timings.');
  const wall = (JSON.parse(timesLine.slice(WALL_MARK.length)) as number[]).slice(warmup);
  const captured = child.stdout;
  const summary = summarizeProfile(parseProfileLines(captured), graph, macs, warmup);
  const sorted = [...wall].sort((a, b) => a - b);
  const p50 = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const floor = ((macs.macsPerImage * batch) / (peak * 1e9)) * 1000;
  console.log(
    `${manifest.id} ${manifest.version} ${entry.name}, WASM ${threads} thread(s) in Node ${process.version}, batch ${batch}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n` +
      `${(macs.macsPerImage / 1e6).toFixed(1)} M MACs/image; floor ${floor.toFixed(2)} ms at ${cores} core(s) × ${perCycle} MACs/cycle × ${clockGhz} GHz; ` +
      `wall p50 ${p50.toFixed(1)} ms (${(p50 / floor).toFixed(1)}× floor, profiling on)\n`,
  );
  console.log(profileToMarkdown(summary, peak));
  if (values.json) {
    const tmp = `${values.json}.tmp-${process.pid}`;
    writeFileSync(tmp, `${JSON.stringify({ variant: entry.name, threads, batch, wallP50Ms: p50, floorMs: floor, assumption: defaultAssumption(clockGhz), summary }, null, 2)}\n`);
    renameSync(tmp, values.json);
  }
}

const WALL_MARK = 'DRISHTI_WALL_MS ';

/** Child mode: create the session with profiling on, run, print wall times and end profiling. */
async function child(args: string[]): Promise<void> {
  const [file, threads, total, batch, inputName, size] = args as [string, string, string, string, string, string];
  ort.env.wasm.numThreads = Number(threads);
  const n = Number(batch);
  const s = Number(size);
  const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(file)), {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
    enableProfiling: true,
  });
  const input = new ort.Tensor('float32', new Float32Array(n * 3 * s * s).fill(0.1), [n, 3, s, s]);
  const wall: number[] = [];
  for (let i = 0; i < Number(total); i++) {
    const t0 = performance.now();
    await session.run({ [inputName]: input });
    wall.push(performance.now() - t0);
  }
  console.log(`${WALL_MARK}${JSON.stringify(wall)}`);
  session.endProfiling();
  await session.release();
}

(process.argv[2] === '--child' ? child(process.argv.slice(3)) : main()).catch((err: unknown) => {
  console.error(`bench:profile failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
