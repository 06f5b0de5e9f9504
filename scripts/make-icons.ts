/**
 * Renders the app's PNG icons from public/icons/icon.svg (run once after changing the SVG:
 * `npx tsx scripts/make-icons.ts`; the PNGs are committed). Chromium's install criteria want a
 * 192 px and a 512 px icon; the maskable one keeps the artwork inside the central 80 % safe zone
 * on a full-bleed background so launchers can crop it to any shape.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import sharp from 'sharp';

const ICONS = resolve(import.meta.dirname, '../public/icons');
const svg = readFileSync(resolve(ICONS, 'icon.svg'));
const BACKGROUND = '#7a1f3d';

for (const size of [192, 512]) {
  await sharp(svg, { density: 300 }).resize(size, size).png({ compressionLevel: 9 }).toFile(resolve(ICONS, `icon-${size}.png`));
}

const inner = Math.round(512 * 0.72);
const art = await sharp(svg, { density: 300 }).resize(inner, inner).png().toBuffer();
await sharp({ create: { width: 512, height: 512, channels: 4, background: BACKGROUND } })
  .composite([{ input: art, gravity: 'center' }])
  .png({ compressionLevel: 9 })
  .toFile(resolve(ICONS, 'maskable-512.png'));

console.log(`Wrote icon-192.png, icon-512.png and maskable-512.png to ${ICONS}`);
