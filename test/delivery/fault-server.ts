/**
 * A fault-injecting HTTP file server for the delivery tests (node:http). Each request is answered
 * according to a plan: drop the connection after N body bytes, corrupt a byte, answer 500/503,
 * drip slowly, ignore Range (200 with the whole file), or replace the file (new ETag) first.
 * It counts the body bytes it actually sent, which is what the byte-budget assertions check.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedFile {
  data: Uint8Array;
  etag: string;
  contentType?: string;
}

export type Fault =
  | { kind: 'drop'; afterBytes: number }
  | { kind: 'status'; status: number; retryAfterSeconds?: number }
  /** Flips the byte at this file offset if this response carries it. */
  | { kind: 'corrupt'; fileOffset: number }
  | { kind: 'ignore-range' }
  | { kind: 'replace'; data: Uint8Array; etag: string }
  | { kind: 'drip'; bytesPerSecond: number };

export interface RequestInfo {
  /** 1-based count of requests for this path. */
  n: number;
  path: string;
  range?: { start: number; end?: number };
  ifRange?: string;
}

export interface RequestLog extends RequestInfo {
  status: number;
  bytesSent: number;
  faults: Fault['kind'][];
}

export interface FaultServer {
  url: string;
  files: Map<string, ServedFile>;
  log: RequestLog[];
  /** Body bytes sent for a path (all requests). */
  bytesSent(path: string): number;
  setPlan(plan: (req: RequestInfo) => Fault[]): void;
  close(): Promise<void>;
}

export async function startFaultServer(
  files: Record<string, ServedFile>,
  plan: (req: RequestInfo) => Fault[] = () => [],
): Promise<FaultServer> {
  const map = new Map(Object.entries(files));
  const counts = new Map<string, number>();
  const log: RequestLog[] = [];
  let currentPlan = plan;

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', 'Range, If-Range');
    res.setHeader('Access-Control-Expose-Headers', 'ETag, Content-Range, Content-Length, Accept-Ranges, Retry-After');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('Cache-Control', 'no-store');
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    const n = (counts.get(path) ?? 0) + 1;
    counts.set(path, n);
    const info: RequestInfo = { n, path };
    const range = parseRange(req.headers.range);
    if (range) info.range = range;
    if (typeof req.headers['if-range'] === 'string') info.ifRange = req.headers['if-range'];
    const faults = map.has(path) ? currentPlan(info) : [];
    const entry: RequestLog = { ...info, status: 0, bytesSent: 0, faults: faults.map((f) => f.kind) };
    log.push(entry);

    for (const f of faults) if (f.kind === 'replace') map.set(path, { ...map.get(path)!, data: f.data, etag: f.etag });
    const file = map.get(path);
    if (!file) {
      entry.status = 404;
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const status = faults.find((f): f is Extract<Fault, { kind: 'status' }> => f.kind === 'status');
    if (status) {
      entry.status = status.status;
      const headers: Record<string, string> = { 'Content-Type': 'text/plain' };
      if (status.retryAfterSeconds !== undefined) headers['Retry-After'] = String(status.retryAfterSeconds);
      res.writeHead(status.status, headers).end('injected failure');
      return;
    }

    const size = file.data.byteLength;
    const ignoreRange = faults.some((f) => f.kind === 'ignore-range') || (info.ifRange !== undefined && info.ifRange !== file.etag);
    let start = 0;
    let end = size; // exclusive
    const headers: Record<string, string> = {
      'Content-Type': file.contentType ?? 'application/octet-stream',
      ETag: file.etag,
      'Accept-Ranges': ignoreRange ? 'none' : 'bytes',
    };
    if (range && !ignoreRange) {
      if (range.start >= size) {
        entry.status = 416;
        res.writeHead(416, { 'Content-Range': `bytes */${size}`, ETag: file.etag }).end();
        return;
      }
      start = range.start;
      end = Math.min(size, (range.end ?? size - 1) + 1);
      headers['Content-Range'] = `bytes ${start}-${end - 1}/${size}`;
      entry.status = 206;
    } else {
      entry.status = 200;
    }
    headers['Content-Length'] = String(end - start);
    res.writeHead(entry.status, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }

    let body = file.data.subarray(start, end);
    for (const f of faults) {
      if (f.kind === 'corrupt' && f.fileOffset >= start && f.fileOffset < end) {
        body = body.slice();
        body[f.fileOffset - start]! ^= 0xff;
      }
    }
    const drop = faults.find((f): f is Extract<Fault, { kind: 'drop' }> => f.kind === 'drop');
    const drip = faults.find((f): f is Extract<Fault, { kind: 'drip' }> => f.kind === 'drip');
    const limit = drop ? Math.min(drop.afterBytes, body.byteLength) : body.byteLength;
    const piece = drip ? Math.max(1, Math.round(drip.bytesPerSecond / 20)) : 64 * 1024;
    for (let off = 0; off < limit; off += piece) {
      if (res.destroyed) return;
      const part = body.subarray(off, Math.min(limit, off + piece));
      await new Promise<void>((resolve) => res.write(part, () => resolve()));
      entry.bytesSent += part.byteLength;
      if (drip) await new Promise((r) => setTimeout(r, 50));
    }
    if (drop && drop.afterBytes < body.byteLength) {
      res.socket?.destroy();
      return;
    }
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    files: map,
    log,
    bytesSent: (path) => log.filter((l) => l.path === path).reduce((s, l) => s + l.bytesSent, 0),
    setPlan(p) {
      currentPlan = p;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function parseRange(header: string | undefined): { start: number; end?: number } | undefined {
  const m = header && /^bytes=(\d+)-(\d*)$/.exec(header.trim());
  if (!m) return undefined;
  const out: { start: number; end?: number } = { start: Number(m[1]) };
  if (m[2]) out.end = Number(m[2]);
  return out;
}

/** Deterministic pseudo-random bytes (xorshift) so tests need no fixtures on disk. */
export function pseudoRandomBytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** A seeded generator for drop offsets. */
export function seededRandom(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}
