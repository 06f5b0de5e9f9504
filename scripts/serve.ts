/**
 * Serves the production build (dist/) with the cross-origin isolation headers. Shared by
 * `npm start` and the browser tests so both exercise exactly what ships.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { preview, type PreviewServer } from 'vite';

export const ROOT = resolve(import.meta.dirname, '..');

/** DRISHTI_DIST lets parallel work build and test into separate folders (e.g. `vite build --outDir`). */
export const DIST_DIR = resolve(ROOT, process.env.DRISHTI_DIST ?? 'dist');

export async function serveDist(port: number, host = '127.0.0.1'): Promise<{ url: string; server: PreviewServer }> {
  if (!existsSync(resolve(DIST_DIR, 'index.html'))) {
    throw new Error(`${DIST_DIR} has no build: run \`npm run build\` first.`);
  }
  const server = await preview({
    root: ROOT,
    configFile: resolve(ROOT, 'vite.config.ts'),
    build: { outDir: DIST_DIR },
    preview: { port, host, strictPort: port !== 0 },
    logLevel: 'warn',
  });
  const address = server.httpServer.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return { url: `http://${host}:${actualPort}`, server };
}
