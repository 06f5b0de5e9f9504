/**
 * `npm run size:widget`: measures the widget build's gzip bytes against issue 7's targets.
 *
 * - loader: what a page with the widget downloads before anyone sees or uses it — the entry
 *   (drishti-widget.js) and every chunk it imports statically. Target ≤ 15 KB gzip.
 * - widget JS: everything the widget can ever load — the entry, its dynamic imports, the worker
 *   entry and all their chunks — except onnxruntime-web (its own chunk, `drishti-ort-*.js`, and
 *   the ort/ runtime files) and the model. Target ≤ 60 KB gzip.
 *
 * Each file is gzipped on its own at level 9 (as a CDN serves them). Reads DRISHTI_WIDGET_DIST or
 * widget/dist/; prints a table, or JSON with --json.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

export const LOADER_TARGET = 15 * 1024;
export const WIDGET_TARGET = 60 * 1024;
const ENTRY = 'src/widget/drishti-widget.ts';
const WORKER_ENTRY = 'src/widget/worker/widget.worker.ts';
const ORT_CHUNK = /(^|\/)drishti-ort-[\w-]+\.js$/;

export interface SizeReport {
  loader: { files: string[]; gzipBytes: number; rawBytes: number; target: number };
  widget: { files: string[]; gzipBytes: number; rawBytes: number; target: number };
  excluded: { files: string[]; gzipBytes: number };
}

export function measureWidget(dir: string): SizeReport {
  const manifest = JSON.parse(readFileSync(resolve(dir, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const sizes = new Map<string, { raw: number; gz: number }>();
  const size = (file: string): { raw: number; gz: number } => {
    let s = sizes.get(file);
    if (!s) {
      const bytes = readFileSync(resolve(dir, file));
      s = { raw: bytes.byteLength, gz: gzipSync(bytes, { level: 9 }).byteLength };
      sizes.set(file, s);
    }
    return s;
  };
  const walk = (roots: string[], followDynamic: boolean): string[] => {
    const seen = new Set<string>();
    const visit = (key: string): void => {
      if (seen.has(key)) return;
      const chunk = manifest[key];
      if (!chunk) throw new Error(`${dir}/.vite/manifest.json has no chunk ${key}: rebuild with \`npm run build:widget\`.`);
      seen.add(key);
      for (const k of chunk.imports ?? []) visit(k);
      if (followDynamic) for (const k of chunk.dynamicImports ?? []) visit(k);
    };
    roots.forEach(visit);
    return [...seen].map((k) => manifest[k]!.file);
  };
  const sum = (files: string[]) => files.reduce((t, f) => ({ raw: t.raw + size(f).raw, gz: t.gz + size(f).gz }), { raw: 0, gz: 0 });

  const loaderFiles = walk([ENTRY], false);
  const allFiles = walk([ENTRY, WORKER_ENTRY], true);
  const excludedFiles = allFiles.filter((f) => ORT_CHUNK.test(f));
  const widgetFiles = allFiles.filter((f) => !ORT_CHUNK.test(f));
  const loader = sum(loaderFiles);
  const widget = sum(widgetFiles);
  return {
    loader: { files: loaderFiles, gzipBytes: loader.gz, rawBytes: loader.raw, target: LOADER_TARGET },
    widget: { files: widgetFiles, gzipBytes: widget.gz, rawBytes: widget.raw, target: WIDGET_TARGET },
    excluded: { files: excludedFiles, gzipBytes: sum(excludedFiles).gz },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = resolve(import.meta.dirname, '../..', process.env.DRISHTI_WIDGET_DIST ?? 'widget/dist');
  let report: SizeReport;
  try {
    report = measureWidget(dir);
  } catch (err) {
    console.error(`Cannot measure the widget in ${dir}: ${(err as Error).message}`);
    process.exit(1);
  }
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;
    const line = (name: string, r: SizeReport['loader']) =>
      `${name.padEnd(34)} ${kb(r.gzipBytes).padStart(10)} gzip (${r.gzipBytes} B; raw ${kb(r.rawBytes)})  target ≤ ${kb(r.target)}  ${r.gzipBytes <= r.target ? 'OK' : 'OVER'}\n    ${r.files.join(', ')}`;
    console.log(line('Loader (before interaction)', report.loader));
    console.log(line('Widget JS (without onnxruntime-web)', report.widget));
    console.log(`Excluded (onnxruntime-web JS): ${kb(report.excluded.gzipBytes)} gzip — ${report.excluded.files.join(', ')}; plus ort/*.wasm and the model`);
  }
}
