/**
 * Ships the embedded model: serves the repo's `models/` product (manifest.json and the variant
 * files it names) under `/models/` in dev, and copies the same files into the build output, where
 * the preview server's static handler serves them with Range and ETag support (the resumable
 * downloader relies on both). Only those files — never the Python pipeline next to them. A missing or invalid
 * manifest is a warning, not a failed build: the engine panel then explains what is missing.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import type { Connect, Plugin } from 'vite';
import { parseModelManifest, type ModelManifest } from '../../src/shared/model-manifest.ts';

export const MODELS_PUBLIC_DIR = 'models/';

function readManifest(modelsDir: string): { manifest: ModelManifest } | { problem: string } {
  const path = join(modelsDir, 'manifest.json');
  if (!existsSync(path)) return { problem: `${path} does not exist (no embedded model yet)` };
  try {
    return { manifest: parseModelManifest(JSON.parse(readFileSync(path, 'utf8')), path) };
  } catch (err) {
    return { problem: (err as Error).message };
  }
}

/** The files the app may fetch from /models/: the manifest and the variants it lists. */
function servableFiles(modelsDir: string): Set<string> {
  const read = readManifest(modelsDir);
  const files = new Set<string>();
  if (!('manifest' in read)) return files;
  files.add('manifest.json');
  for (const v of read.manifest.variants) files.add(v.file);
  return files;
}

function middleware(modelsDir: string): Connect.NextHandleFunction {
  return (req, res: ServerResponse, next) => {
    const url = decodeURIComponent(req.url?.split('?')[0] ?? '');
    if (!url.startsWith(`/${MODELS_PUBLIC_DIR}`)) return next();
    const name = url.slice(MODELS_PUBLIC_DIR.length + 1);
    if (!servableFiles(modelsDir).has(name)) return next();
    const path = join(modelsDir, name);
    if (!existsSync(path)) return next();
    res.setHeader('Content-Type', name.endsWith('.json') ? 'application/json' : 'application/octet-stream');
    // The manifest decides which bytes are current; let it be revalidated.
    res.setHeader('Cache-Control', name === 'manifest.json' ? 'no-cache' : 'public, max-age=3600');
    res.end(readFileSync(path));
  };
}

export function modelsPlugin(modelsDir = resolve(import.meta.dirname, '../../models')): Plugin {
  return {
    name: 'drishti:models',
    configureServer(server) {
      server.middlewares.use(middleware(modelsDir));
    },
    generateBundle() {
      const read = readManifest(modelsDir);
      if (!('manifest' in read)) {
        this.warn(`No embedded model in the build: ${read.problem}.`);
        return;
      }
      const missing = read.manifest.variants.filter((v) => !existsSync(join(modelsDir, v.file)));
      if (missing.length > 0) {
        this.warn(`No embedded model in the build: models/manifest.json names missing files (${missing.map((v) => v.file).join(', ')}).`);
        return;
      }
      this.emitFile({ type: 'asset', fileName: `${MODELS_PUBLIC_DIR}manifest.json`, source: readFileSync(join(modelsDir, 'manifest.json')) });
      for (const v of read.manifest.variants) {
        this.emitFile({ type: 'asset', fileName: `${MODELS_PUBLIC_DIR}${v.file}`, source: readFileSync(join(modelsDir, v.file)) });
      }
    },
  };
}
