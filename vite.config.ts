import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { demoCataloguePlugin } from './scripts/vite/demo-catalogue-plugin.ts';
import { ortRuntimePlugin } from './scripts/vite/ort-runtime-plugin.ts';

/** Cross-origin isolation lets onnxruntime-web use SharedArrayBuffer, i.e. WASM threads. */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

export default defineConfig({
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 1024 },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  plugins: [
    ortRuntimePlugin(),
    demoCataloguePlugin(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      manifest: false,
      workbox: {
        navigateFallback: '/index.html',
        globPatterns: ['**/*.{js,mjs,css,html,svg,png,webmanifest,wasm}'],
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        cleanupOutdatedCaches: true,
      },
    }),
  ],
});
