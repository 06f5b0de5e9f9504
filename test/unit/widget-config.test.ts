/**
 * The widget's pure pieces: attribute parsing, error mapping, the Trusted Types URL rule and the
 * size measurement's walk over the build's chunk graph.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { measureWidget } from '../../scripts/widget/measure-size.ts';
import { CatalogueError } from '../../src/features/catalogue/shared/catalogue-api.ts';
import { EngineError, toEngineError } from '../../src/features/engine/shared/engine-errors.ts';
import { RecsError } from '../../src/features/recs/shared/rec-item.ts';
import { widgetErrorFrom } from '../../src/widget/runtime/widget-runtime.ts';
import { admitBlobUrl, trustedScriptUrl } from '../../src/widget/runtime/trusted-script-url.ts';
import { DEFAULT_LIMIT, MAX_LIMIT, parseLang, parseLimit, parseTheme, resolveUrl } from '../../src/widget/widget-config.ts';
import { WidgetError } from '../../src/widget/widget-error.ts';

describe('widget attributes', () => {
  it('parses limit, lang and theme leniently, as a guest on a page it does not control must', () => {
    expect(parseLimit('6')).toBe(6);
    expect(parseLimit(' 12 ')).toBe(12);
    expect(parseLimit('0')).toBe(DEFAULT_LIMIT);
    expect(parseLimit('lots')).toBe(DEFAULT_LIMIT);
    expect(parseLimit(null)).toBe(DEFAULT_LIMIT);
    expect(parseLimit('1000')).toBe(MAX_LIMIT);
    expect(parseLimit(7.9)).toBe(7);
    expect(parseLang('hi')).toBe('hi');
    expect(parseLang('hi-IN')).toBe('hi');
    expect(parseLang('HI')).toBe('hi');
    expect(parseLang('ta')).toBe('en');
    expect(parseLang(undefined)).toBe('en');
    expect(parseTheme('dark')).toBe('dark');
    expect(parseTheme('neon')).toBe('light');
  });

  it('resolves pack and model URLs against the page and refuses non-HTTP schemes', () => {
    const page = 'https://shop.example/p/kurta?id=1';
    expect(resolveUrl('/catalogue/pack.json', page)).toBe('https://shop.example/catalogue/pack.json');
    expect(resolveUrl('https://cdn.example/m/manifest.json', page)).toBe('https://cdn.example/m/manifest.json');
    expect(resolveUrl('javascript:alert(1)', page)).toBeUndefined();
    expect(resolveUrl('data:application/json,{}', page)).toBeUndefined();
    expect(resolveUrl('   ', page)).toBeUndefined();
    expect(resolveUrl('http://[bad', page)).toBeUndefined();
  });
});

describe('widget error mapping', () => {
  it('gives the host page a code it can act on, keeping the feature’s own message', () => {
    const crossing = (err: Error) => toEngineError(err, 'inference', 'searching the catalogue');
    const pack = widgetErrorFrom(crossing(new CatalogueError('bad-pack', 'The pack is damaged.')), 'engine');
    expect(pack).toBeInstanceOf(WidgetError);
    expect((pack as WidgetError).code).toBe('pack');
    expect(pack.message).toBe('The pack is damaged.');
    expect((widgetErrorFrom(crossing(new RecsError('Item x is not in the loaded catalogue.')), 'pack') as WidgetError).code).toBe('not-found');
    expect((widgetErrorFrom(crossing(new CatalogueError('no-model', 'Load the model.')), 'pack') as WidgetError).code).toBe('model');
    expect((widgetErrorFrom(new EngineError('bad-image', 'Not an image.'), 'engine') as WidgetError).code).toBe('photo');
    expect((widgetErrorFrom(new EngineError('integrity', 'sha256 mismatch'), 'engine') as WidgetError).code).toBe('model');
    expect((widgetErrorFrom(new EngineError('timeout', 'No answer.'), 'engine') as WidgetError).code).toBe('engine');
    const abort = new DOMException('stop', 'AbortError');
    expect(widgetErrorFrom(abort, 'engine')).toBe(abort);
  });
});

describe('Trusted Types rule for the worker URL', () => {
  const base = 'https://cdn.example/drishti/1.2.0/';
  it('admits files next to the widget, its own blob: bootstrap once, and nothing else', () => {
    expect(trustedScriptUrl(`${base}drishti-widget.worker.js`, base)).toBe(`${base}drishti-widget.worker.js`);
    expect(() => trustedScriptUrl('https://cdn.example/other/evil.js', base)).toThrow(/only files next to the widget/);
    expect(() => trustedScriptUrl('https://evil.example/drishti/1.2.0/x.js', base)).toThrow(TypeError);
    const blob = 'blob:https://shop.example/6f1c0d7e-0000-4000-8000-000000000000';
    expect(() => trustedScriptUrl(blob, base)).toThrow(TypeError);
    admitBlobUrl(blob);
    expect(trustedScriptUrl(blob, base)).toBe(blob);
    expect(() => trustedScriptUrl(blob, base)).toThrow(TypeError);
  });
});

describe('widget size measurement', () => {
  it('counts the entry and its static imports as the loader, and everything but onnxruntime as widget JS', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drishti-size-'));
    try {
      mkdirSync(join(dir, '.vite'));
      const files: Record<string, string> = {
        'drishti-widget.js': 'a'.repeat(1000),
        'drishti-shared-1.js': 'b'.repeat(500),
        'drishti-widget-runtime-2.js': 'c'.repeat(300),
        'drishti-widget.worker.js': 'd'.repeat(200),
        'drishti-ort-3.js': 'e'.repeat(100_000),
      };
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      const manifest = {
        'src/widget/drishti-widget.ts': { file: 'drishti-widget.js', isEntry: true, imports: ['_shared'], dynamicImports: ['src/widget/runtime/widget-runtime.ts'] },
        _shared: { file: 'drishti-shared-1.js' },
        'src/widget/runtime/widget-runtime.ts': { file: 'drishti-widget-runtime-2.js', imports: ['_shared'] },
        'src/widget/worker/widget.worker.ts': { file: 'drishti-widget.worker.js', isEntry: true, imports: ['_ort', '_shared'] },
        _ort: { file: 'drishti-ort-3.js' },
      };
      writeFileSync(join(dir, '.vite/manifest.json'), JSON.stringify(manifest));
      const r = measureWidget(dir);
      expect(r.loader.files.sort()).toEqual(['drishti-shared-1.js', 'drishti-widget.js']);
      expect(r.loader.rawBytes).toBe(1500);
      expect(r.widget.files.sort()).toEqual(['drishti-shared-1.js', 'drishti-widget-runtime-2.js', 'drishti-widget.js', 'drishti-widget.worker.js']);
      expect(r.widget.rawBytes).toBe(2000);
      expect(r.excluded.files).toEqual(['drishti-ort-3.js']);
      expect(r.loader.gzipBytes).toBeLessThan(r.loader.rawBytes);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
