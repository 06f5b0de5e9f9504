/**
 * Starts the engine worker from the widget's own files, wherever they are served from.
 *
 * A page may only construct a Worker from a same-origin URL. When the widget is self-hosted
 * (same origin as the store) the worker file is used directly. When it comes from a CDN, the
 * widget starts a one-line module worker from a blob: URL (blob: URLs carry the page's origin)
 * that imports the real worker file from the CDN with CORS; inside it `import.meta.url` is the CDN
 * URL, so its chunks and onnxruntime's .wasm/.mjs files resolve next to the widget.
 * CSP: the page must allow the widget origin in `script-src` (it already must, to load the
 * widget) and, for a CDN origin only, `blob:` and the CDN origin in `worker-src` (a module worker's
 * imports are checked against worker-src). Trusted Types: see trusted-script-url.ts.
 */
import { admitBlobUrl, trustedScriptUrl } from './trusted-script-url.ts';


/** The worker entry's file name in the widget build (vite.widget.config.ts); a variable so Vite leaves the URL alone. */
const WORKER_FILE = 'drishti-widget.worker.js';

/** Folder the widget was loaded from (the chunk holding this module sits next to the entry). */
export const WIDGET_BASE = new URL(/* @vite-ignore */ './', import.meta.url).href;

export function widgetFileUrl(file: string): string {
  return new URL(file, WIDGET_BASE).href;
}

let failedToStart = false;

/**
 * Whether the latest worker failure was a failure to start: its script (or a module it imports)
 * could not be fetched or was refused (CSP, 404, CORS). Chromium reports that as an `error` event
 * without a message; an error thrown by running code is an ErrorEvent with one. Not reset when the
 * bridge starts the next worker, so the caller of the failed call still sees why.
 */
export function workerFailedToStart(): boolean {
  return failedToStart;
}

export function createWidgetWorker(): Worker {
  const url = widgetFileUrl(WORKER_FILE);
  const options: WorkerOptions = { type: 'module', name: 'drishti-widget' };
  const watch = (worker: Worker): Worker => {
    worker.addEventListener('error', (event) => {
      failedToStart = !(event instanceof ErrorEvent) || !event.message;
    });
    return worker;
  };
  if (new URL(url).origin === location.origin) {
    return watch(new Worker(trustedScriptUrl(url, WIDGET_BASE) as string | URL, options));
  }
  const bootstrap = URL.createObjectURL(new Blob([`import ${JSON.stringify(url)};\n`], { type: 'text/javascript' }));
  admitBlobUrl(bootstrap);
  const worker = new Worker(trustedScriptUrl(bootstrap, WIDGET_BASE) as string | URL, options);
  // The bootstrap is fetched when the worker starts; once it answers (or fails) the URL is no longer needed.
  const revoke = (): void => URL.revokeObjectURL(bootstrap);
  worker.addEventListener('message', revoke, { once: true });
  worker.addEventListener('error', revoke, { once: true });
  return watch(worker);
}
