/**
 * `npm run bench` end to end on a tiny generated model folder: the CLI serves the build, drives
 * Chromium through /bench, prints the Markdown table and writes the JSON rows. Numbers are not
 * asserted, only that they are there and well-formed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyModelFolder } from '../unit/bench-onnx-fixture.ts';

const ROOT = resolve(import.meta.dirname, '../..');

function runCli(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/node/bench.ts'), ...args], { cwd: ROOT, env: process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

describe('npm run bench', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'drishti-bench-cli-'));
    for (const [name, bytes] of tinyModelFolder()) writeFileSync(join(dir, name), bytes);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints a Markdown table and writes JSON rows with the fields CI reads', async () => {
    const rowsFile = join(dir, 'rows.json');
    const { code, stdout, stderr } = await runCli(
      ['--manifest', join(dir, 'manifest.json'), '--backends', 'wasm-1,wasm-2', '--variants', 'fp32,int8', '--batches', '1', '--runs', '3', '--warmup', '1', '--images', '0', '--json', rowsFile],
      150_000,
    );
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^\| backend \| variant \| batch \| p50 ms/m);
    expect(stdout).toMatch(/\| WASM 2 threads \| int8 \| 1 \|/);
    expect(stdout).toMatch(/Compute floor: 0\.0 M multiply-accumulates per image/);
    const rows = JSON.parse(readFileSync(rowsFile, 'utf8')) as Record<string, unknown>[];
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      for (const key of ['backend', 'threads', 'variant', 'batch', 'p50Ms', 'p95Ms', 'sessionMs', 'bytes', 'agreement']) expect(row).toHaveProperty(key);
      expect(row.p50Ms).toBeGreaterThan(0);
      expect(row.agreement).toBeNull();
    }
  }, 180_000);

  it('refuses a bad option before launching anything', async () => {
    const { code, stderr } = await runCli(['--backends', 'webgl'], 60_000);
    expect(code).toBe(2);
    expect(stderr).toMatch(/Unknown backend "webgl"/);
    expect(stderr).toMatch(/Usage: npm run bench/);
  }, 90_000);
});
