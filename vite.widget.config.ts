/**
 * The merchant widget build (`npm run build:widget` → widget/dist/, the package in widget/): Vite library mode, ES modules.
 *
 *   drishti-widget.js          the loader: defines <drishti-similar> and <drishti-lens> (Lit included)
 *   drishti-runtime-*.js       loaded on first visibility/use: engine bridge, catalogue, search
 *   drishti-widget.worker.js   the engine worker (onnxruntime-web in drishti-ort-*.js)
 *   ort/                       onnxruntime-web's .wasm/.mjs, fetched relative to the worker's URL
 *   types/                     .d.ts for the published package (tsc -p src/widget/tsconfig.types.json)
 *
 * Every file sits in one folder so `new URL('./…', import.meta.url)` finds its siblings on any origin.
 * (assets/ holds a copy of the app's worker that Vite emits because the shared worker-bridge module
 * mentions it in the app's `getEngine()`; the widget never loads it and the package does not ship it.)
 */
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { ortRuntimePlugin } from './scripts/vite/ort-runtime-plugin.ts';

export const WIDGET_OUT_DIR = process.env.DRISHTI_WIDGET_DIST ?? 'widget/dist';

/**
 * "No globals beyond the element names": Lit records its versions on `globalThis`
 * (litHtmlVersions, litElementVersions, reactiveElementVersions) and keeps decorator metadata in
 * `globalThis.litPropertyMetadata`. In the widget build the version stamps are dropped and the
 * metadata map lives in a module shared by Lit's modules instead of on the host page's window.
 */
const LIT_METADATA_MODULE = '\0drishti-lit-metadata';
function litWithoutGlobals(): Plugin {
  return {
    name: 'drishti:widget-lit-without-globals',
    resolveId: (id) => (id === LIT_METADATA_MODULE ? id : undefined),
    load: (id) => (id === LIT_METADATA_MODULE ? 'export const litPropertyMetadata = new WeakMap();' : undefined),
    transform(code, id) {
      if (!/\/node_modules\/(lit-html|lit-element|@lit\/reactive-element)\//.test(id)) return undefined;
      let out = code.replace(/\(\w+\.(litHtmlVersions|litElementVersions|reactiveElementVersions)\?\?=\[\]\)\.push\("[^"]*"\)/g, '0');
      if (out.includes('litPropertyMetadata')) {
        out = out
          .replace(/\w+\.litPropertyMetadata\?\?=new WeakMap/g, '0')
          .replace(/globalThis\.litPropertyMetadata/g, '__drishtiLitMetadata')
          .replace(/(?<![\w.$])litPropertyMetadata(?![\w$])/g, '__drishtiLitMetadata');
        out = `import { litPropertyMetadata as __drishtiLitMetadata } from ${JSON.stringify(LIT_METADATA_MODULE)};\n${out}`;
      }
      return out === code ? undefined : { code: out, map: null };
    },
  };
}

export default defineConfig({
  // No public/ copy: the widget ships only its own files.
  publicDir: false,
  base: './',
  // The engine finds onnxruntime's files at `${BASE_URL}ort/`. For the widget that base is the folder
  // the widget's own script was served from — known only at run time, on whatever origin hosts it.
  define: { 'import.meta.env.BASE_URL': 'new URL("./", import.meta.url).href' },
  // The build that does not bundle onnxruntime's wasm: the worker imports it from ./ort/ at run time.
  resolve: { conditions: ['onnxruntime-web-use-extern-wasm', 'module', 'browser', 'production'] },
  worker: { format: 'es' },
  plugins: [ortRuntimePlugin(), litWithoutGlobals()],
  build: {
    outDir: WIDGET_OUT_DIR,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Library mode would inline assets as data: URLs; the widget has none besides ort/ (emitted by the plugin).
    assetsInlineLimit: 0,
    minify: 'oxc',
    copyPublicDir: false,
    // .vite/manifest.json: the chunk graph scripts/widget/measure-size.ts walks.
    manifest: true,
    lib: {
      entry: {
        'drishti-widget': resolve(import.meta.dirname, 'src/widget/drishti-widget.ts'),
        'drishti-widget.worker': resolve(import.meta.dirname, 'src/widget/worker/widget.worker.ts'),
      },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rollupOptions: {
      output: {
        chunkFileNames: 'drishti-[name]-[hash].js',
        // Library mode keeps ES output readable (whitespace) for re-bundling; this is shipped to phones as is.
        minify: true,
        // onnxruntime-web in a chunk of its own, so the size report can leave it out by name.
        manualChunks: (id) => (id.includes('/node_modules/onnxruntime-web/') ? 'ort' : undefined),
      },
    },
  },
});
