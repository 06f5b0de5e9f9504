/**
 * Serves onnxruntime-web's WASM runtime (.wasm + .mjs loader) from the app's own origin under
 * `/ort/`, in dev (middleware) and in the production build (emitted assets). The machines this
 * runs on have no CDN access, and a PWA must work offline, so the runtime is part of the app.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

export const ORT_PUBLIC_DIR = 'ort/';

/** The runtime files the app may load: the plain SIMD/threads build (WASM EP) and the JSEP build (WebGPU EP). */
const RUNTIME_FILE = /^ort-wasm-simd-threaded(\.jsep|\.asyncify)?\.(wasm|mjs)$/;

export function ortDistDir(): string {
  const require = createRequire(import.meta.url);
  // The package's "exports" hide package.json, so resolve the main entry and walk to dist/.
  const entry = require.resolve('onnxruntime-web');
  let dir = dirname(entry);
  while (!dir.endsWith('dist') && dir !== dirname(dir)) dir = dirname(dir);
  return dir;
}

export function ortRuntimeFiles(): string[] {
  return readdirSync(ortDistDir()).filter((f) => RUNTIME_FILE.test(f));
}

export function ortRuntimePlugin(): Plugin {
  return {
    name: 'drishti:ort-runtime',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = req.url?.split('?')[0] ?? '';
        if (!url.startsWith(`/${ORT_PUBLIC_DIR}`)) return next();
        const name = url.slice(ORT_PUBLIC_DIR.length + 1);
        if (!RUNTIME_FILE.test(name)) return next();
        res.setHeader('Content-Type', name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript');
        res.end(readFileSync(join(ortDistDir(), name)));
      });
    },
    generateBundle() {
      for (const name of ortRuntimeFiles()) {
        this.emitFile({ type: 'asset', fileName: `${ORT_PUBLIC_DIR}${name}`, source: readFileSync(join(ortDistDir(), name)) });
      }
    },
  };
}
