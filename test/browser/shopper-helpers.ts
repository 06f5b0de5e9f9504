/** Helpers shared by the shopper browser tests: deep queries through shadow roots, layout checks, screenshots. */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';

export const SCREENSHOT_DIR = resolve(import.meta.dirname, '../../test-results/screenshots');
export const PHONE = { width: 360, height: 640 };

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Devanagari faces load on first use; wait so the picture shows glyphs, not their placeholders.
  await page.evaluate(async () => {
    await document.fonts.ready;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Horizontal overflow of the document (0 when nothing scrolls sideways). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/**
 * Visible interactive controls smaller than 44 × 44 CSS px, found through every shadow root. Links
 * inside running text are exempt (WCAG 2.5.8's inline exception).
 */
export function smallTouchTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const visit = (root: Document | ShadowRoot): void => {
      for (const el of Array.from(root.querySelectorAll<HTMLElement>('*'))) {
        if (el.shadowRoot) visit(el.shadowRoot);
        const interactive = el.matches('button, select, input:not([type=hidden]):not([type=file]), a[href], [role=button]');
        if (!interactive) continue;
        if (el.matches('a') && el.closest('p, li > span, dd')) continue;
        const r = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        if (r.width === 0 || r.height === 0 || style.visibility === 'hidden' || style.display === 'none') continue;
        if (el.matches('.skip')) continue; // the skip link is off-screen until focused
        const target = el.matches('input[type=checkbox]') ? (el.closest('label') ?? el) : el;
        const tr = target.getBoundingClientRect();
        if (tr.width < 44 - 0.5 || tr.height < 44 - 0.5) out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(el.textContent ?? '').trim().slice(0, 30)}" ${Math.round(tr.width)}×${Math.round(tr.height)}`);
      }
    };
    visit(document);
    return out;
  });
}

/** Text of the first element matching `selector` anywhere (Playwright CSS pierces shadow roots). */
export async function textOf(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).first().textContent())?.trim() ?? '';
}

export async function gotoApp(page: Page, baseUrl: string, path = '/'): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.waitForSelector('drishti-app main[aria-busy="false"]');
}

/**
 * Text below WCAG AA contrast (4.5:1, or 3:1 for large text) on its effective background, found
 * through shadow roots. Backgrounds are resolved by walking up to the first opaque background colour.
 */
export function lowContrastText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const parse = (c: string): [number, number, number, number] => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return [0, 0, 0, 0];
      const p = m[1]!.split(/[ ,/]+/).filter(Boolean).map(Number);
      return [p[0]!, p[1]!, p[2]!, p[3] ?? 1];
    };
    const lum = ([r, g, b]: number[]): number => {
      const f = (v: number): number => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
    };
    const parentOf = (el: Element): Element | null => el.parentElement ?? ((el.getRootNode() as ShadowRoot).host ?? null);
    const background = (el: Element): number[] => {
      for (let e: Element | null = el; e; e = parentOf(e)) {
        const bg = parse(getComputedStyle(e).backgroundColor);
        if (bg[3] >= 0.99) return bg;
      }
      return [255, 255, 255, 1];
    };
    const out: string[] = [];
    const visit = (root: Document | ShadowRoot): void => {
      for (const el of Array.from(root.querySelectorAll<HTMLElement>('*'))) {
        if (el.shadowRoot) visit(el.shadowRoot);
        const hasText = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
        if (!hasText) continue;
        const r = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        if (r.width <= 1 || r.height <= 1 || style.visibility === 'hidden' || el.closest('option, [aria-hidden=true]')) continue;
        const fg = parse(style.color);
        const bg = background(el);
        const hi = Math.max(lum(fg), lum(bg));
        const lo = Math.min(lum(fg), lum(bg));
        const ratio = (hi + 0.05) / (lo + 0.05);
        const size = parseFloat(style.fontSize);
        const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
        if (ratio < (large ? 3 : 4.5)) out.push(`"${el.textContent!.trim().slice(0, 30)}" ${ratio.toFixed(2)}:1`);
      }
    };
    visit(document);
    return out;
  });
}
