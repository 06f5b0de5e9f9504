/**
 * Serves onnxruntime-web's runtime from the app's own origin under `/ort/`, in dev (middleware)
 * and in the production build (emitted assets, precached by the service worker). The machines
 * this runs on have no CDN access, and a PWA must work offline, so the runtime is part of the app.
 *
 * Which files: onnxruntime-web 1.31's default entry is the JSEP build, whose one binary carries
 * both the WASM (CPU) and the WebGPU execution providers. The plugin resolves `onnxruntime-web`
 * with the package's `onnxruntime-web-use-extern-wasm` condition (dist/ort.min.mjs), which loads
 * the Emscripten glue from `env.wasm.wasmPaths` instead of inlining it in our bundle. So the app
 * needs exactly ort-wasm-simd-threaded.jsep.{mjs,wasm} (~29 MB); the plain, asyncify and JSPI
 * builds are never loaded and are not emitted. The glue being a standalone file also matters for
 * WASM threads: each pthread worker imports it, and must not import our worker bundle.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defaultClientConditions, type Plugin } from 'vite';

export const ORT_PUBLIC_DIR = 'ort/';

/** The runtime files the app loads (see the note above). */
export const ORT_RUNTIME_FILES = ['ort-wasm-simd-threaded.jsep.mjs', 'ort-wasm-simd-threaded.jsep.wasm'] as const;

/** Export condition that selects onnxruntime-web's build with the WASM glue kept external. */
export const ORT_EXTERN_WASM_CONDITION = 'onnxruntime-web-use-extern-wasm';

export function ortDistDir(): string {
  const require = createRequire(import.meta.url);
  // The package's "exports" hide package.json, so resolve the main entry and walk to dist/.
  const entry = require.resolve('onnxruntime-web');
  let dir = dirname(entry);
  while (!dir.endsWith('dist') && dir !== dirname(dir)) dir = dirname(dir);
  return dir;
}

export function ortRuntimeFiles(): string[] {
  return [...ORT_RUNTIME_FILES];
}

export function ortRuntimePlugin(): Plugin {
  return {
    name: 'drishti:ort-runtime',
    config() {
      return { resolve: { conditions: [ORT_EXTERN_WASM_CONDITION, ...defaultClientConditions] } };
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = req.url?.split('?')[0] ?? '';
        if (!url.startsWith(`/${ORT_PUBLIC_DIR}`)) return next();
        const name = url.slice(ORT_PUBLIC_DIR.length + 1);
        if (!(ORT_RUNTIME_FILES as readonly string[]).includes(name)) return next();
        res.setHeader('Content-Type', name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript');
        // This middleware answers before Vite's own, so apply the configured headers (COOP/COEP)
        // here: the loader is also the script of each pthread worker, and in a cross-origin
        // isolated page a worker script without COEP is blocked (and ORT then waits forever).
        for (const [key, value] of Object.entries(server.config.server.headers ?? {})) {
          if (value !== undefined) res.setHeader(key, value);
        }
        res.end(readFileSync(join(ortDistDir(), name)));
      });
    },
    generateBundle() {
      for (const name of ORT_RUNTIME_FILES) {
        this.emitFile({ type: 'asset', fileName: `${ORT_PUBLIC_DIR}${name}`, source: readFileSync(join(ortDistDir(), name)) });
      }
    },
  };
}
