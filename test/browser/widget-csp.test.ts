/**
 * The widget as a guest on a locked-down store: a strict Content-Security-Policy (no inline
 * script, no eval) with Trusted Types enforced. Both elements must work with no violation reported
 * — the page's own `securitypolicyviolation` listener (demo-store/store.js) and the console stay
 * silent — first with the widget on a CDN origin, then self-hosted under exactly
 * `script-src 'self' 'wasm-unsafe-eval'`. A policy missing what the widget needs gets a message
 * that says what to allow. (Violations inside the worker are reported to the worker, not the
 * page; that the searches succeed is the evidence none blocked it.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './chromium.ts';
import { startWidgetFixture, type WidgetFixture } from './widget-fixtures.ts';

describe('widget under a strict CSP with Trusted Types', () => {
  let f: WidgetFixture;
  let b: LaunchedBrowser;

  beforeAll(async () => {
    f = await startWidgetFixture();
    b = await launchChromium();
  });
  afterAll(async () => {
    await b?.close();
    await f?.close();
  });

  const violations = () => b.page.locator('#events li[data-kind=csp-violation]').allTextContents();

  async function useBothElements(): Promise<void> {
    const similar = b.page.locator('drishti-similar');
    await similar.scrollIntoViewIfNeeded();
    await expect.poll(() => similar.locator('li.card').count(), { timeout: 60_000 }).toBe(6);
    await similar.locator('li.card button.select').first().click();

    const lens = b.page.locator('drishti-lens');
    await b.page.evaluate(() => window.scrollTo(0, 0));
    await lens.getByRole('button', { name: 'Search by photo' }).click();
    const target = f.items[6]!;
    await lens.locator('input[type=file]').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: target.png });
    await expect.poll(() => lens.locator('li.card').count(), { timeout: 90_000 }).toBe(8);
    expect(await lens.locator('li.card').first().getAttribute('data-product-id')).toBe(target.id);
    await lens.locator('li.card').first().getByRole('button', { name: 'Add to cart' }).click();
    await expect.poll(() => b.page.locator('#events li[data-kind=add-to-cart]').count()).toBe(1);
  }

  for (const [page, where] of [
    ['strict.html', 'from a CDN origin'],
    ['self-hosted.html', "self-hosted, under script-src 'self' 'wasm-unsafe-eval'"],
  ] as const) {
    it(`works with no violations, widget ${where}`, async () => {
      const response = await b.page.goto(`${f.demo.storeUrl}/${page}`);
      const csp = response?.headers()['content-security-policy'] ?? '';
      expect(csp).toContain("require-trusted-types-for 'script'");
      expect(csp).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
      await useBothElements();
      expect(await violations()).toEqual([]);
      expect(b.errors).toEqual([]);

      // The policy is really enforced, and the page's listener really hears violations.
      const blocked = await b.page.evaluate(() => {
        try {
          document.body.insertAdjacentHTML('beforeend', '<i>raw html</i>');
          return false;
        } catch (err) {
          return err instanceof TypeError;
        }
      });
      expect(blocked).toBe(true);
      await expect.poll(violations).toHaveLength(1);
      b.errors.length = 0;
    });
  }

  it('tells the merchant what to allow when the policy refuses the worker', async () => {
    // The same store with the CDN left out of worker-src: the worker's imports are refused.
    await b.page.goto(`${f.demo.storeUrl}/strict-incomplete.html`);
    await b.page.locator('drishti-similar').scrollIntoViewIfNeeded();
    const errors = b.page.locator('#events li[data-kind=error]');
    await expect.poll(() => errors.count(), { timeout: 90_000 }).toBeGreaterThan(0);
    expect(await errors.first().textContent()).toContain(`worker-src allows blob: and ${f.demo.cdnUrl}`);
    expect(await b.page.locator('drishti-similar [part=status]').textContent()).toContain('worker-src');
  });
});
