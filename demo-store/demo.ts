/**
 * `npm run demo:widget`: serves the demo store (one port) and the widget, the demo catalogue pack
 * and the model (another port, as a CDN would), then prints the pages to open.
 *
 *   widget:  widget/dist (build it with `npm run build:widget`; DRISHTI_WIDGET_DIST overrides)
 *   pack:    .demo-catalogue/pack (built by `npm start` from the dataset; DRISHTI_WIDGET_PACK overrides)
 *   model:   models/ (manifest.json + variants; DRISHTI_WIDGET_MODELS overrides)
 *   ports:   STORE_PORT (default 5180), CDN_PORT (default 5181)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { startWidgetDemo } from './serve-demo.ts';

const ROOT = resolve(import.meta.dirname, '..');
const widgetDir = resolve(ROOT, process.env.DRISHTI_WIDGET_DIST ?? 'widget/dist');
const packDir = resolve(ROOT, process.env.DRISHTI_WIDGET_PACK ?? '.demo-catalogue/pack');
const modelDir = resolve(ROOT, process.env.DRISHTI_WIDGET_MODELS ?? 'models');

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw ? Number(raw) : fallback;
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    console.error(`${name} must be a whole number between 1 and 65535 (got "${raw}").`);
    process.exit(2);
  }
  return n;
}

/** The first product of the pack, shown on the demo product page. */
function firstProductId(): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(packDir, 'pack.json'), 'utf8')) as { files: { items: { path: string } } };
    const items = JSON.parse(gunzipSync(readFileSync(join(packDir, manifest.files.items.path))).toString('utf8')) as { ids: string[] };
    return items.ids[0];
  } catch {
    return undefined;
  }
}

if (!existsSync(join(widgetDir, 'drishti-widget.js'))) {
  console.error(`No widget build in ${widgetDir}: run \`npm run build:widget\` first.`);
  process.exit(1);
}
const productId = firstProductId();
if (!productId) console.warn(`No catalogue pack in ${packDir} (run \`npm start\` once to build the demo pack): the widgets will report it.`);
if (!existsSync(join(modelDir, 'manifest.json'))) console.warn(`No model manifest in ${modelDir}: photo search will report it.`);

try {
  const demo = await startWidgetDemo({
    widgetDir,
    packDir,
    modelDir,
    ...(productId ? { productId } : {}),
    storePort: port('STORE_PORT', 5180),
    cdnPort: port('CDN_PORT', 5181),
  });
  console.log(`Demo store (widget from the CDN origin):   ${demo.storeUrl}/
Strict CSP + Trusted Types, widget from the CDN: ${demo.storeUrl}/strict.html
Strict CSP + Trusted Types, self-hosted widget:  ${demo.storeUrl}/self-hosted.html
The same page without the widget:                ${demo.storeUrl}/?widget=off
Widget, pack and model (the CDN origin):         ${demo.cdnUrl}/
Press Ctrl+C to stop.`);
} catch (err) {
  console.error(`Could not start the demo servers: ${(err as Error).message}`);
  process.exit(1);
}
