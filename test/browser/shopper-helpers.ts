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
