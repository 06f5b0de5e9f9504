/**
 * The widget demo: two HTTP servers on two ports, so the store page and the widget are
 * cross-origin exactly as on a real merchant site with a CDN.
 *
 *   store  (http://127.0.0.1:<storePort>)  the merchant's pages (below), store.js/.css, and
 *                                           /drishti/ — a self-hosted copy of the widget
 *   cdn    (http://127.0.0.1:<cdnPort>)    /widget/ (widget/dist), /pack/ (a catalogue pack), /models/ (model files)
 *
 * Pages, all rendered from demo-store/index.html:
 *   /                  the product page, widget from the CDN, no CSP
 *   /strict.html       the same under a strict CSP (CDN origin allowed) with Trusted Types enforced
 *   /self-hosted.html  the widget from the store's own origin under exactly
 *                      `script-src 'self' 'wasm-unsafe-eval'` with Trusted Types enforced
 *   /strict-incomplete.html  strict.html with the CDN missing from worker-src (the widget says what to allow)
 *   add `?widget=off`  to any: the same page without the widget (the baseline for its host cost)
 *
 * The CDN answers with CORS (any origin), Cross-Origin-Resource-Policy: cross-origin and byte
 * ranges (the resumable downloader asks for them).
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { createGzip } from 'node:zlib';

export const DEMO_STORE_DIR = resolve(import.meta.dirname);

export interface WidgetDemoOptions {
  /** The widget build (widget/dist/). */
  widgetDir: string;
  /** A catalogue pack folder (holding pack.json), served under /pack/. */
  packDir?: string;
  /** A model folder (holding manifest.json), served under /models/. */
  modelDir?: string;
  /** Product shown on the demo product page when the URL has no ?id=. */
  productId?: string;
  host?: string;
  storePort?: number;
  cdnPort?: number;
}

export interface WidgetDemo {
  storeUrl: string;
  cdnUrl: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.i8': 'application/octet-stream',
  '.gz': 'application/octet-stream',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.ts': 'text/plain; charset=utf-8',
  '.sha256': 'text/plain; charset=utf-8',
};

/** The store's strict policy with the widget on a CDN: its own scripts plus the widget origin; no inline script, no eval; Trusted Types enforced. */
export function strictCsp(cdnOrigin: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${cdnOrigin} 'wasm-unsafe-eval'`,
    // The worker starts from a blob: bootstrap (src/widget/runtime/widget-worker.ts); the modules it imports
    // from the CDN are checked against worker-src too (a module worker's imports have the "worker" destination).
    `worker-src 'self' blob: ${cdnOrigin}`,
    `connect-src 'self' ${cdnOrigin}`,
    `img-src 'self' ${cdnOrigin} data:`,
    `style-src 'self'`,
    "object-src 'none'",
    "base-uri 'none'",
    "require-trusted-types-for 'script'",
    'trusted-types drishti-widget lit-html',
  ].join('; ');
}

/** Exactly the policy of issue 7: only the store's own scripts (the widget is self-hosted), WASM compilation, Trusted Types. */
export const SELF_HOSTED_CSP = "script-src 'self' 'wasm-unsafe-eval'; require-trusted-types-for 'script'";

/** Maps a URL path under `prefix` to a file inside `root`, refusing anything that escapes it. */
function fileFor(root: string, urlPath: string): string | undefined {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const file = normalize(join(root, rel));
  if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
}

const COMPRESSIBLE = /\.(html|js|mjs|css|json|svg|map)$/i;

/** Sends a file, honouring a single byte range (with If-Range) as the resumable downloader expects. */
function sendFile(req: IncomingMessage, res: ServerResponse, file: string, headers: Record<string, string>): void {
  const stat = statSync(file);
  const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
  const base = {
    ...headers,
    'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Cache-Control': 'no-cache',
  };
  if (req.headers['if-none-match'] === etag && !req.headers.range) {
    res.writeHead(304, base).end();
    return;
  }
  const range = req.headers.range;
  const ifRange = req.headers['if-range'];
  const m = range && (!ifRange || ifRange === etag) ? /^bytes=(\d*)-(\d*)$/.exec(range) : null;
  if (m && (m[1] || m[2])) {
    let start = m[1] ? Number(m[1]) : stat.size - Number(m[2]);
    let end = m[1] && m[2] ? Number(m[2]) : stat.size - 1;
    start = Math.max(0, start);
    end = Math.min(end, stat.size - 1);
    if (start > end || start >= stat.size) {
      res.writeHead(416, { ...base, 'Content-Range': `bytes */${stat.size}` }).end();
      return;
    }
    res.writeHead(206, { ...base, 'Content-Length': String(end - start + 1), 'Content-Range': `bytes ${start}-${end}/${stat.size}` });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file, { start, end }).pipe(res);
    return;
  }
  // Text is sent gzip'd as any CDN would (byte ranges and binary files are sent as stored).
  if (COMPRESSIBLE.test(file) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    res.writeHead(200, { ...base, 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(createGzip()).pipe(res);
    return;
  }
  res.writeHead(200, { ...base, 'Content-Length': String(stat.size) });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}

function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      const { port: actual } = server.address() as AddressInfo;
      ok(`http://${host}:${actual}`);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((ok) => {
    server.closeAllConnections();
    server.close(() => ok());
  });
}

export async function startWidgetDemo(options: WidgetDemoOptions): Promise<WidgetDemo> {
  const host = options.host ?? '127.0.0.1';
  const roots: [string, string | undefined][] = [
    ['/widget/', resolve(options.widgetDir)],
    ['/pack/', options.packDir && resolve(options.packDir)],
    ['/models/', options.modelDir && resolve(options.modelDir)],
  ];
  const cors = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Expose-Headers': 'Content-Length, Content-Range, Accept-Ranges, ETag',
    'Cross-Origin-Resource-Policy': 'cross-origin',
    'Timing-Allow-Origin': '*',
  };
  const cdn = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'Access-Control-Allow-Methods': 'GET, HEAD', 'Access-Control-Allow-Headers': 'Range, If-Range', 'Access-Control-Max-Age': '600' }).end();
      return;
    }
    for (const [prefix, root] of roots) {
      if (!root || !path.startsWith(prefix)) continue;
      const file = fileFor(root, path.slice(prefix.length));
      if (file) return sendFile(req, res, file, cors);
    }
    res.writeHead(404, { ...cors, 'Content-Type': 'text/plain' }).end(`Not found: ${path}`);
  });
  const cdnUrl = await listen(cdn, options.cdnPort ?? 0, host);

  const pages: Record<string, { title: string; widgetBase: string; csp?: string }> = {
    '/index.html': { title: 'Saanvi Threads — demo store', widgetBase: `${cdnUrl}/widget` },
    '/strict.html': {
      title: 'Saanvi Threads — demo store (strict CSP + Trusted Types, widget from a CDN)',
      widgetBase: `${cdnUrl}/widget`,
      csp: strictCsp(cdnUrl),
    },
    // A policy that forgets the widget origin in worker-src: shows the widget's message to the merchant.
    '/strict-incomplete.html': {
      title: 'Saanvi Threads — demo store (CSP without the widget origin in worker-src)',
      widgetBase: `${cdnUrl}/widget`,
      csp: strictCsp(cdnUrl).replace(/worker-src [^;]*/, "worker-src 'self' blob:"),
    },
    '/self-hosted.html': {
      title: 'Saanvi Threads — demo store (strict CSP + Trusted Types, self-hosted widget)',
      widgetBase: '/drishti',
      csp: SELF_HOSTED_CSP,
    },
  };
  const template = readFileSync(join(DEMO_STORE_DIR, 'index.html'), 'utf8');
  const render = (page: { title: string; widgetBase: string }, query: URLSearchParams): string => {
    let out = template
      .replaceAll('%TITLE%', page.title)
      .replaceAll('%WIDGET_BASE%', page.widgetBase)
      .replaceAll('%PACK_URL%', `${cdnUrl}/pack/pack.json`)
      .replaceAll('%MANIFEST_URL%', `${cdnUrl}/models/manifest.json`)
      .replaceAll('%PRODUCT_ID%', options.productId ?? '');
    // The baseline: the same page without the widget, to measure what the widget costs the host.
    if (query.get('widget') === 'off') out = out.replace(/<!-- drishti -->[\s\S]*?<!-- \/drishti -->/g, '');
    return out;
  };
  const widgetRoot = resolve(options.widgetDir);
  const store = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname === '/' ? '/index.html' : url.pathname;
    const page = pages[path];
    if (page) {
      const headers: Record<string, string> = { 'Content-Type': TYPES['.html']!, 'Cache-Control': 'no-cache' };
      if (page.csp) headers['Content-Security-Policy'] = page.csp;
      res.writeHead(200, headers).end(render(page, url.searchParams));
      return;
    }
    const file = path.startsWith('/drishti/')
      ? fileFor(widgetRoot, path.slice('/drishti/'.length))
      : /\.(js|css|svg)$/.test(path)
        ? fileFor(DEMO_STORE_DIR, path)
        : undefined;
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`Not found: ${path}`);
      return;
    }
    sendFile(req, res, file, {});
  });
  const storeUrl = await listen(store, options.storePort ?? 0, host);
  return {
    storeUrl,
    cdnUrl,
    async close() {
      await Promise.all([closeServer(store), closeServer(cdn)]);
    },
  };
}
