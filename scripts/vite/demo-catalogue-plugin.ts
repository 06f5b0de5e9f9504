/**
 * Serves the demo catalogue pack (built by `npm start` into the git-ignored .demo-catalogue/pack/)
 * under /catalogues/demo/ in dev and preview. It is data, not part of the bundle: a rebuilt pack is
 * picked up without rebuilding the app, and without the folder the URL answers 404 (no catalogue).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Connect, Plugin } from 'vite';

export const DEMO_CATALOGUE_URL = '/catalogues/demo/';
export const DEMO_CATALOGUE_DIR = resolve(import.meta.dirname, '../../.demo-catalogue/pack');

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.gz': 'application/gzip',
  '.i8': 'application/octet-stream',
  '.sha256': 'text/plain; charset=utf-8',
  '.webp': 'image/webp',
  '.jpg': 'image/jpeg',
};

function middleware(dir: string): Connect.NextHandleFunction {
  return (req, res, next) => {
    const url = (req.url ?? '').split('?')[0]!;
    if (!url.startsWith(DEMO_CATALOGUE_URL)) return next();
    let rel: string;
    try {
      rel = decodeURIComponent(url.slice(DEMO_CATALOGUE_URL.length));
    } catch {
      res.statusCode = 400;
      return res.end();
    }
    const file = normalize(join(dir, rel));
    if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      return res.end(existsSync(dir) ? 'Not in the demo catalogue.' : 'No demo catalogue has been built (npm start builds one when ../shared/datasets is present).');
    }
    const type = TYPES[extname(file)];
    if (!type) {
      res.statusCode = 404;
      return res.end();
    }
    res.setHeader('Content-Type', type);
    // Readable by the app (cross-origin isolated) and by the merchant widget on other origins.
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('Content-Length', String(statSync(file).size));
    // pack.json may change when the pack is rebuilt; the files it names are verified by sha256.
    res.setHeader('Cache-Control', rel === 'pack.json' ? 'no-cache' : 'public, max-age=3600');
    createReadStream(file).pipe(res);
  };
}

export function demoCataloguePlugin(dir = process.env.DRISHTI_DEMO_CATALOGUE_DIR ?? DEMO_CATALOGUE_DIR): Plugin {
  return {
    name: 'drishti:demo-catalogue',
    configureServer(server) {
      server.middlewares.use(middleware(resolve(dir)));
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware(resolve(dir)));
    },
  };
}
