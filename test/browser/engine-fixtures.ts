/**
 * Fixtures for the engine's browser tests: a tiny ONNX model generated on the fly
 * (test/fixtures/make-tiny-model.py) served from a second origin with CORS/CORP headers, test
 * images generated with sharp, and helpers that drive `__drishti.engine` in the page.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import type { CallOptions, LoadOptions, LoadResult } from '../../src/features/engine/shared/engine-api.ts';
import { cosine } from '../../src/shared/model-output.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export interface TinyModelServer {
  /** Absolute URL of manifest.json. */
  manifestUrl: string;
  /** A copy whose manifest gives wrong sha256s (as a tampered or truncated download would look). */
  corruptManifestUrl: string;
  dir: string;
  /** Requests seen, by path (to assert what was fetched). */
  requests: string[];
  close(): Promise<void>;
}

/** Generates the tiny model into a temp dir and serves it cross-origin (as a CDN-less second origin would). */
export async function serveTinyModel(): Promise<TinyModelServer> {
  const dir = mkdtempSync(join(tmpdir(), 'drishti-tiny-model-'));
  const gen = spawnSync('python3', [join(ROOT, 'test/fixtures/make-tiny-model.py'), dir], { encoding: 'utf8' });
  if (gen.status !== 0) throw new Error(`make-tiny-model.py failed (needs the onnx Python package): ${gen.stderr}`);
  const corrupt = join(dir, 'corrupt');
  mkdirSync(corrupt);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { variants: { file: string; sha256: string }[] };
  for (const v of manifest.variants) {
    copyFileSync(join(dir, v.file), join(corrupt, v.file));
    v.sha256 = v.sha256.replace(/^.{8}/, '00000000');
  }
  writeFileSync(join(corrupt, 'manifest.json'), JSON.stringify(manifest));
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!)).replace(/^\/+/, '');
    requests.push(path);
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    try {
      const body = readFileSync(join(dir, path));
      res.setHeader('Content-Type', extname(path) === '.json' ? 'application/json' : 'application/octet-stream');
      res.end(body);
    } catch {
      res.statusCode = 404;
      res.end('not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    manifestUrl: `http://127.0.0.1:${port}/manifest.json`,
    corruptManifestUrl: `http://127.0.0.1:${port}/corrupt/manifest.json`,
    dir,
    requests,
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Deterministic test photos: a colour gradient, a seeded noise field, and a tall two-tone "garment". */
export async function makeTestImages(): Promise<Buffer[]> {
  const w = 300;
  const h = 200;
  const gradient = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 3;
      gradient[o] = Math.round((x / w) * 255);
      gradient[o + 1] = Math.round((y / h) * 255);
      gradient[o + 2] = 128;
    }
  }
  let seed = 12345;
  const noise = Buffer.alloc(160 * 160 * 3);
  for (let i = 0; i < noise.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    noise[i] = seed >> 23;
  }
  const tall = Buffer.alloc(120 * 260 * 3);
  for (let y = 0; y < 260; y++) {
    for (let x = 0; x < 120; x++) {
      const o = (y * 120 + x) * 3;
      const inGarment = x > 20 && x < 100 && y > 30 && y < 230;
      tall[o] = inGarment ? 150 : 250;
      tall[o + 1] = inGarment ? 20 : 250;
      tall[o + 2] = inGarment ? 60 : 250;
    }
  }
  return Promise.all([
    sharp(gradient, { raw: { width: w, height: h, channels: 3 } }).png().toBuffer(),
    sharp(noise, { raw: { width: 160, height: 160, channels: 3 } }).png().toBuffer(),
    sharp(tall, { raw: { width: 120, height: 260, channels: 3 } }).jpeg({ quality: 92 }).toBuffer(),
  ]);
}

/** Opens the engine panel (which creates the engine and loads the model) and waits for the choice. */
export async function openEnginePage(page: Page, baseUrl: string, query: Record<string, string>): Promise<LoadResult> {
  await page.goto(`${baseUrl}/engine?${new URLSearchParams(query).toString()}`);
  // Generous: the first load compiles the ~29 MB runtime, slow on a busy 2-core machine.
  await page.waitForSelector('#choice, #error', { timeout: 300_000 });
  const error = await page.$('#error');
  if (error) throw new Error(`The engine page reported: ${await error.textContent()}`);
  return page.evaluate(() => globalThis.__drishti!.engine.lastLoad!);
}

export interface PlainResult {
  heads: { head: string; top: { id: string; score: number }[] }[];
  embedding: number[];
  backend: string;
  variant: string;
  timings: { preprocessMs: number; inferenceMs: number; totalMs: number };
}

export interface PlainError {
  error: { name: string; code?: string; message: string; isDomException: boolean };
}

/** Classifies encoded image bytes in the page; failures come back as data (name/code/message). */
export async function classifyInPage(page: Page, bytes: Buffer, options: CallOptions & { abortAfterMs?: number } = {}): Promise<PlainResult | PlainError> {
  return page.evaluate(
    async ({ b64, timeoutMs, abortAfterMs }) => {
      const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const controller = new AbortController();
      if (abortAfterMs !== undefined) setTimeout(() => controller.abort(), abortAfterMs);
      try {
        const r = await globalThis.__drishti!.engine.classify(new Blob([bin]), {
          signal: controller.signal,
          ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        });
        return {
          heads: r.heads.map((h) => ({ head: h.head, top: h.top.map((t) => ({ id: t.id, score: t.score })) })),
          embedding: Array.from(r.embedding),
          backend: r.backend,
          variant: r.variant,
          timings: r.timings,
        };
      } catch (err) {
        const e = err as Error & { code?: string };
        return { error: { name: e.name, code: e.code, message: e.message, isDomException: err instanceof DOMException } };
      }
    },
    { b64: bytes.toString('base64'), timeoutMs: options.timeoutMs, abortAfterMs: options.abortAfterMs },
  );
}

export function isError(r: object): r is PlainError {
  return 'error' in r;
}

export function expectLoad(r: LoadResult | PlainError): LoadResult {
  if (isError(r)) throw new Error(`Expected load() to succeed, got ${r.error.name} [${r.error.code}]: ${r.error.message}`);
  return r;
}

export function expectResult(r: PlainResult | PlainError): PlainResult {
  if (isError(r)) throw new Error(`Expected a result, got ${r.error.name} [${r.error.code}]: ${r.error.message}`);
  return r;
}

/** Loads through the page's engine; failures come back as data. */
export async function loadInPage(page: Page, options: LoadOptions): Promise<LoadResult | PlainError> {
  return page.evaluate(async (opts) => {
    try {
      return await globalThis.__drishti!.engine.load(opts);
    } catch (err) {
      const e = err as Error & { code?: string };
      return { error: { name: e.name, code: e.code, message: e.message, isDomException: err instanceof DOMException } };
    }
  }, options);
}

/** Largest absolute difference between the head probabilities of two results (matched by label id). */
export function maxProbDiff(a: PlainResult, b: PlainResult): number {
  let max = 0;
  for (const ha of a.heads) {
    const hb = b.heads.find((h) => h.head === ha.head)!;
    for (const t of ha.top) {
      const other = hb.top.find((x) => x.id === t.id);
      // A label in a's top-k but not in b's means the ranking differs: count its whole score.
      max = Math.max(max, other ? Math.abs(other.score - t.score) : t.score);
    }
  }
  return max;
}

export function cosineOf(a: number[], b: number[]): number {
  return cosine(a, b);
}
