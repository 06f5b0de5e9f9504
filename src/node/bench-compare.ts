/**
 * `npm run bench:compare -- a.onnx b.onnx … [--threads 1] [--rounds 30]`: A/B timing of model files
 * in onnxruntime-web's WASM runtime under Node, interleaved run by run (a, b, c, a, b, c, …) so
 * that load from other processes falls on every file alike. It also records the CPU time each run
 * consumed (all threads of this process): on a busy machine wall time mostly measures waiting for
 * a core, while CPU time still measures the work. Prints p50 / min wall time, p50 CPU time and the
 * speed-ups against the first file.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-web';
import { decodeOnnx } from '../features/bench/shared/onnx-graph.ts';
import { quantile } from '../features/bench/shared/stats.ts';

const USAGE = 'Usage: npm run bench:compare -- <model.onnx> <model.onnx> … [--threads 1] [--rounds 30] [--warmup 3] [--size 224]';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: {
      threads: { type: 'string', default: '1' },
      rounds: { type: 'string', default: '30' },
      warmup: { type: 'string', default: '3' },
      size: { type: 'string', default: '224' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length < 1) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const [threads, rounds, warmup, size] = [values.threads, values.rounds, values.warmup, values.size].map(Number) as [number, number, number, number];
  if (![threads, rounds, size].every((n) => Number.isInteger(n) && n >= 1) || !(Number.isInteger(warmup) && warmup >= 0)) {
    throw new Error(`--threads, --rounds and --size must be whole numbers ≥ 1, --warmup ≥ 0.\n${USAGE}`);
  }
  ort.env.wasm.numThreads = threads;
  const models = [];
  for (const path of positionals.map((p) => resolve(p))) {
    const bytes = new Uint8Array(readFileSync(path));
    const input = decodeOnnx(bytes, path).inputs[0];
    if (!input) throw new Error(`${path} has no graph input.`);
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    models.push({ name: basename(path), session, inputName: input.name, times: [] as number[], cpu: [] as number[] });
  }
  const x = new ort.Tensor('float32', new Float32Array(3 * size * size).fill(0.1), [1, 3, size, size]);
  const load0 = loadavg()[0]!;
  for (let round = 0; round < warmup + rounds; round++) {
    for (const m of models) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await m.session.run({ [m.inputName]: x });
      const wall = performance.now() - t0;
      const c = process.cpuUsage(c0);
      if (round >= warmup) {
        m.times.push(wall);
        m.cpu.push((c.user + c.system) / 1000);
      }
    }
  }
  const base = models[0]!;
  const baseP50 = quantile(base.times, 0.5);
  const baseMin = Math.min(...base.times);
  const baseCpu = quantile(base.cpu, 0.5);
  console.log(`WASM ${threads} thread(s), batch 1, ${rounds} interleaved rounds; load average ${load0.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}\n`);
  console.log('| model | p50 ms | min ms | CPU ms p50 | speed-up vs first: p50 | min | CPU |\n|---|--:|--:|--:|--:|--:|--:|');
  for (const m of models) {
    const p50 = quantile(m.times, 0.5);
    const min = Math.min(...m.times);
    const cpu = quantile(m.cpu, 0.5);
    console.log(
      `| ${m.name} | ${p50.toFixed(1)} | ${min.toFixed(1)} | ${cpu.toFixed(1)} | ${(baseP50 / p50).toFixed(2)}× | ${(baseMin / min).toFixed(2)}× | ${(baseCpu / cpu).toFixed(2)}× |`,
    );
    await m.session.release();
  }
}

main().catch((err: unknown) => {
  console.error(`bench:compare failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
