/**
 * Small screens and accessibility on every shopper page, in English and Hindi: nothing scrolls
 * sideways at 360 × 640, every control is at least 44 × 44 px, the language switch is remembered,
 * and the keyboard reaches the content first through the skip link.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './chromium.ts';
import { PHONE, gotoApp, horizontalOverflow, lowContrastText, screenshot, smallTouchTargets, textOf } from './shopper-helpers.ts';
import { en } from '../../src/i18n/messages/en.ts';
import { hi } from '../../src/i18n/messages/hi.ts';

const PAGES = ['/', '/browse', '/wishlist', '/cart', '/settings', '/product?id=nope', '/no-such-page'];

describe('shopper: layout and accessibility at 360 × 640', () => {
  let b: LaunchedBrowser;
  beforeAll(async () => {
    b = await launchChromium({ viewport: PHONE });
  });
  afterAll(async () => {
    await b?.close();
  });

  for (const locale of ['en', 'hi'] as const) {
    it(`has no sideways scroll, only ≥ 44 px touch targets and AA text contrast (${locale})`, async () => {
      const { page } = b;
      await gotoApp(page, inject('baseUrl'));
      await page.locator(`drishti-site-header button[data-locale="${locale}"]`).click();
      for (const path of PAGES) {
        await gotoApp(page, inject('baseUrl'), path);
        await page.waitForFunction(() => !document.querySelector('drishti-app')?.shadowRoot?.querySelector('main [role=status]'), undefined, { timeout: 5000 }).catch(() => undefined);
        expect(await horizontalOverflow(page), `${path} overflow`).toBe(0);
        expect(await smallTouchTargets(page), `${path} small targets`).toEqual([]);
        expect(await lowContrastText(page), `${path} contrast`).toEqual([]);
        const name = path === '/' ? 'snap' : path.slice(1).replace(/[^a-z]+/g, '-').replace(/-+$/, '');
        if (['/', '/browse', '/cart', '/settings'].includes(path)) await screenshot(page, `${name}-${locale}`);
      }
      expect(b.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
    });
  }

  it('has checks that do catch sideways scroll, small targets and faint text', async () => {
    const { page } = b;
    await gotoApp(page, inject('baseUrl'), '/no-such-page');
    await page.evaluate(() => {
      const probe = document.createElement('div');
      probe.innerHTML = '<span style="color:#b0b0b0">faint text</span><button style="width:30px;height:30px;padding:0">x</button><div style="width:900px;height:4px"></div>';
      document.body.append(probe);
    });
    expect((await lowContrastText(page)).join()).toContain('faint text');
    expect((await smallTouchTargets(page)).join()).toContain('30×30');
    expect(await horizontalOverflow(page)).toBeGreaterThan(0);
  });

  it('remembers Hindi across a reload and translates the shell', async () => {
    const { page } = b;
    await gotoApp(page, inject('baseUrl'));
    await page.locator('drishti-site-header button[data-locale="hi"]').click();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('hi');
    await page.reload();
    await page.waitForSelector('drishti-app main[aria-busy="false"]');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('hi');
    expect(await textOf(page, 'drishti-home-page h1')).toBe(hi['snap.title']);
    expect(await textOf(page, 'drishti-photo-intake #privacy')).toBe(hi['snap.privacy']);
    expect(await page.locator('drishti-site-header button[data-locale="hi"]').getAttribute('aria-pressed')).toBe('true');
    await page.locator('drishti-site-header button[data-locale="en"]').click();
    expect(await textOf(page, 'drishti-home-page h1')).toBe(en['snap.title']);
  });

  it('shows the merchant import page in Hindi after the switch, and again after a reload', async () => {
    const { page } = b;
    await gotoApp(page, inject('baseUrl'), '/import');
    expect(await textOf(page, 'drishti-import-page h1')).toBe(en['import.title']);
    await page.locator('drishti-site-header button[data-locale="hi"]').click();
    expect(await textOf(page, 'drishti-import-page h1')).toBe(hi['import.title']);
    await page.reload();
    await page.waitForSelector('drishti-app main[aria-busy="false"]');
    expect(await textOf(page, 'drishti-import-page h1')).toBe(hi['import.title']);
    expect(await textOf(page, 'drishti-import-page label.button')).toBe(hi['import.chooseFolder']);
    await page.locator('drishti-site-header button[data-locale="en"]').click();
    expect(await textOf(page, 'drishti-import-page h1')).toBe(en['import.title']);
  });

  it('lets keyboard users skip to the content and moves focus to the new page heading', async () => {
    const { page } = b;
    await gotoApp(page, inject('baseUrl'));
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el?.textContent?.trim();
    });
    expect(first).toBe(en['app.skipToContent']);
    // Navigate with the keyboard: focus the Browse link and press Enter.
    await page.locator('drishti-site-header a[href="/browse"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.pathname === '/browse');
    await page.waitForFunction(() => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el?.tagName === 'H1';
    });
  });

  it('offers to import a catalogue when the store has none', async () => {
    const other = await launchChromium({ viewport: PHONE });
    try {
      await other.context.route('**/catalogues/demo/pack.json', (route) => route.fulfill({ status: 404, body: 'none' }));
      await gotoApp(other.page, inject('baseUrl'), '/browse');
      const notice = other.page.locator('drishti-browse-page #no-catalogue');
      await notice.waitFor({ timeout: 20_000 });
      expect(await notice.textContent()).toContain(en['similar.noCatalogue']);
      expect(await notice.locator('a').getAttribute('href')).toBe('/import');
    } finally {
      await other.close();
    }
  });

  it('says where the photo goes, next to where it is taken', async () => {
    const { page } = b;
    await gotoApp(page, inject('baseUrl'));
    const privacy = page.locator('drishti-photo-intake #privacy');
    expect(await privacy.isVisible()).toBe(true);
    expect(await privacy.textContent()).toContain(en['snap.privacy']);
    // The camera fallback input opens the phone's rear camera.
    expect(await page.locator('drishti-photo-intake #camera-input').getAttribute('capture')).toBe('environment');
  });
});
