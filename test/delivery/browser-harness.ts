/**
 * Serves the real delivery code to Chromium for the download tests: the fault server gets a page
 * and a bundle of src/features/delivery/shared (built in memory with Vite), so the browser runs
 * the very downloader the app ships, against faults only a test server can inject.
 */
import { resolve } from 'node:path';
import { build, type Rolldown } from 'vite';
import { startFaultServer, type Fault, type FaultServer, type RequestInfo, type ServedFile } from './fault-server.ts';

const ENTRY = resolve(import.meta.dirname, '../../src/features/delivery/shared/index.ts');

export async function bundleDelivery(): Promise<string> {
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    build: { write: false, minify: false, target: 'es2022', lib: { entry: ENTRY, formats: ['es'], fileName: 'delivery' } },
  });
  const outputs = (Array.isArray(out) ? out : [out]) as Rolldown.RolldownOutput[];
  const chunk = outputs.flatMap((o) => o.output).find((o): o is Rolldown.OutputChunk => o.type === 'chunk' && o.isEntry);
  if (!chunk) throw new Error('Bundling the delivery code produced no entry chunk.');
  return chunk.code;
}

const HARNESS_HTML = `<!doctype html><meta charset="utf-8"><title>delivery harness</title>
<script type="module">import * as delivery from '/delivery.js'; window.delivery = delivery; document.title = 'ready';</script>`;

export async function startBrowserHarness(files: Record<string, ServedFile>, plan?: (req: RequestInfo) => Fault[]): Promise<FaultServer> {
  const code = await bundleDelivery();
  return startFaultServer(
    {
      ...files,
      '/harness.html': { data: new TextEncoder().encode(HARNESS_HTML), etag: '"h"', contentType: 'text/html' },
      '/delivery.js': { data: new TextEncoder().encode(code), etag: '"d"', contentType: 'text/javascript' },
    },
    (req) => (plan && req.path !== '/harness.html' && req.path !== '/delivery.js' ? plan(req) : []),
  );
}
