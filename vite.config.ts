import { defineConfig } from 'vite';
import { readFileSync } from 'node:fs';
import { VitePWA } from 'vite-plugin-pwa';
import { demoCataloguePlugin } from './scripts/vite/demo-catalogue-plugin.ts';
import { modelsPlugin } from './scripts/vite/models-plugin.ts';
import { ortRuntimePlugin } from './scripts/vite/ort-runtime-plugin.ts';

/** Cross-origin isolation lets onnxruntime-web use SharedArrayBuffer, i.e. WASM threads. */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

/** onnxruntime-web's version (its package "exports" hide package.json, so read it from disk). */
function onnxRuntimeVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('./node_modules/onnxruntime-web/package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export default defineConfig({
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 1024 },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  plugins: [
    ortRuntimePlugin(),
    modelsPlugin(),
    demoCataloguePlugin(),
    // Offline delivery (docs/downloads.md): the service worker precaches the app shell and the
    // onnxruntime-web runtime the engine loads; models and catalogue packs are NOT precached —
    // they are downloaded resumably into IndexedDB by src/features/delivery.
    VitePWA({
      registerType: 'prompt', // a new version waits until the person chooses "Reload" (update-prompt.ts)
      injectRegister: false, // registered by src/features/delivery/client/sw-registration.ts (workbox-window)
      manifest: false, // public/manifest.webmanifest
      workbox: {
        // The ORT runtime files have fixed names, so they are precached without a revision (fetched
        // with the HTTP cache: the copy the engine already downloaded on a first visit is revalidated
        // with a 304, not downloaded twice) and the precache is named after the onnxruntime-web
        // version instead: an upgrade gets a fresh cache, and cleanupOutdatedCaches drops the old one.
        cacheId: `drishti-ort${onnxRuntimeVersion()}`,
        dontCacheBustURLsMatching: /^(assets|ort)\//,
        globPatterns: ['**/*.{js,mjs,css,html,svg,png,webmanifest,woff2}', 'ort/*.{mjs,wasm}'],
        globIgnores: ['models/**', 'catalogues/**', 'packs/**', 'widget/**', '**/*.map'],
        // Only the JSEP runtime (~29 MB) is emitted; nothing else comes close to this limit.
        maximumFileSizeToCacheInBytes: 40 * 1024 * 1024,
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/(models|catalogues|packs|ort|widget)\//],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        runtimeCaching: [
          {
            // Manifests say which model/pack bytes are current: fresh when online, the last copy offline.
            urlPattern: ({ url, sameOrigin }) => sameOrigin && /^\/(models|catalogues|packs)\/.*\.json$/.test(url.pathname),
            handler: 'NetworkFirst',
            options: { cacheName: 'drishti-manifests', networkTimeoutSeconds: 6, expiration: { maxEntries: 50 } },
          },
          {
            // Product thumbnails: kept once seen, so browsing a stored catalogue works offline.
            urlPattern: ({ url, sameOrigin }) => sameOrigin && /^\/(catalogues|packs)\/.*\.(jpe?g|png|webp|avif)$/.test(url.pathname),
            handler: 'CacheFirst',
            options: { cacheName: 'drishti-thumbnails', expiration: { maxEntries: 3000, purgeOnQuotaError: true } },
          },
        ],
      },
    }),
  ],
});
