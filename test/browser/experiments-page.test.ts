import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './chromium.ts';

/** Adds raw events to the page's experiments database, as the app's tracking would over time. */
async function seedEvents(b: LaunchedBrowser, experimentId: string, arms: Record<string, { impressions: number; clicks: number }>) {
  await b.page.evaluate(
    async ({ experimentId, arms }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open('drishti-experiments', 1);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const tx = db.transaction('events', 'readwrite');
      for (const [arm, c] of Object.entries(arms)) {
        for (let i = 0; i < c.impressions; i++) tx.objectStore('events').add({ experimentId, arm, kind: 'impression', at: Date.now() });
        for (let i = 0; i < c.clicks; i++) tx.objectStore('events').add({ experimentId, arm, kind: 'click', at: Date.now() });
      }
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    { experimentId, arms },
  );
}

/** Katz log interval for the rate ratio, written out here independently of src/. */
function expectedLift(x1: number, n1: number, x0: number, n0: number): string {
  const rr = x1 / n1 / (x0 / n0);
  const se = Math.sqrt(1 / x1 - 1 / n1 + 1 / x0 - 1 / n0);
  const f = (x: number) => `${x >= 0 ? '+' : '−'}${(100 * Math.abs(x)).toFixed(1)}%`;
  return `${f(rr - 1)} (95% CI ${f(Math.exp(Math.log(rr) - 1.959964 * se) - 1)} to ${f(Math.exp(Math.log(rr) + 1.959964 * se) - 1)})`;
}

const text = (b: LaunchedBrowser, selector: string) => b.page.locator(selector).first().innerText();

describe('experiments report page', () => {
  let b: LaunchedBrowser;
  beforeAll(async () => {
    b = await launchChromium();
  });
  afterAll(async () => {
    await b?.close();
  });

  it('keeps the install id and arms across reloads', async () => {
    await b.page.goto(`${inject('baseUrl')}/experiments`);
    await b.page.waitForSelector('drishti-experiments-page [data-testid="install-id"]');
    const id = await text(b, '[data-testid="install-id"]');
    const arms = await b.page.locator('[data-testid="assignment"]').allInnerTexts();
    expect(arms).toHaveLength(2);
    expect(arms.every((a) => /This device is in arm (int8|fp16|balanced|visual)\./.test(a))).toBe(true);
    await b.page.reload();
    await b.page.waitForSelector('drishti-experiments-page [data-testid="install-id"]');
    expect(await text(b, '[data-testid="install-id"]')).toBe(id);
    expect(await b.page.locator('[data-testid="assignment"]').allInnerTexts()).toEqual(arms);
  });

  it('shows per-arm counts, rates and the lift with its 95% interval, and warns while samples are small', async () => {
    await seedEvents(b, 'ranking-weights-1', { balanced: { impressions: 1200, clicks: 36 }, visual: { impressions: 1200, clicks: 54 } });
    await seedEvents(b, 'model-precision-1', { int8: { impressions: 40, clicks: 3 } });
    await b.page.reload();
    const ranking = b.page.locator('article[data-experiment="ranking-weights-1"]');
    await ranking.locator('tr[data-arm="visual"]').waitFor();
    expect(await ranking.locator('tr[data-arm="visual"] [data-col="impressions"]').innerText()).toBe('1,200');
    expect(await ranking.locator('tr[data-arm="visual"] [data-col="click"]').innerText()).toBe('54 (4.50%)');
    expect(await ranking.locator('tr[data-arm="balanced"] [data-col="click"]').innerText()).toBe('36 (3.00%)');
    expect((await ranking.locator('tr[data-arm="visual"] [data-col="lift"]').innerText()).replace(/\s+/g, ' ').trim()).toBe(expectedLift(54, 1200, 36, 1200));
    expect(await ranking.locator('[data-testid="warning"]').count()).toBe(0);

    const precision = b.page.locator('article[data-experiment="model-precision-1"]');
    const warnings = await precision.locator('[data-testid="warning"]').allInnerTexts();
    expect(warnings[0]).toMatch(/Too early to conclude: int8 has 40, fp16 has 0 impressions/);
    expect(await precision.locator('tr[data-arm="fp16"] [data-col="lift"]').innerText()).toBe('—');
  });

  it('builds the report from collected counts files', async () => {
    const payload = (arm: string, impressions: number, clicks: number) => ({
      schema: 'drishti-experiment-counts/1',
      day: '2026-12-04',
      experiments: [{ experimentId: 'model-precision-1', counts: [{ arm, impressions, outcomes: { click: clicks, wishlist: 0, 'add-to-cart': 0 }, latency: { n: 0, sumMs: 0, sumSqMs: 0 } }] }],
    });
    const lines = [payload('int8', 3000, 90), payload('fp16', 2000, 70), payload('fp16', 1000, 30)].map((p) => JSON.stringify(p)).join('\n');
    await b.page.locator('[data-testid="collected-input"]').setInputFiles({ name: 'collector.jsonl', mimeType: 'application/json', buffer: Buffer.from(lines) });
    await b.page.locator('[data-testid="collected-note"]').waitFor();
    const precision = b.page.locator('article[data-experiment="model-precision-1"]');
    expect(await precision.locator('tr[data-arm="fp16"] [data-col="impressions"]').innerText()).toBe('3,000');
    expect((await precision.locator('tr[data-arm="fp16"] [data-col="lift"]').innerText()).replace(/\s+/g, ' ').trim()).toBe(expectedLift(100, 3000, 90, 3000));
    await b.page.locator('[data-testid="collected-input"]').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"schema":"x"}') });
    await b.page.locator('p.error[role="alert"]').waitFor();
    expect(await text(b, 'p.error[role="alert"]')).toMatch(/bad\.json is not a drishti-experiment-counts\/1 file/);
  });

  it('sends aggregated counts to the merchant URL only after the shopper opts in', async () => {
    await sendsOnlyAfterOptIn(b);
  });

  async function sendsOnlyAfterOptIn(b: LaunchedBrowser): Promise<void> {
    const beacons: string[] = [];
    await b.page.route((url) => url.pathname === '/test-experiments.json', (route) =>
      route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({
          schema: 'drishti-experiments/1',
          exportUrl: '/__collect',
          experiments: [{ id: 'ranking-weights-1', minImpressionsPerArm: 100, arms: [{ id: 'balanced', weight: 1 }, { id: 'visual', weight: 1 }] }],
        }),
      }),
    );
    await b.page.route((url) => url.pathname === '/__collect', async (route) => {
      beacons.push(route.request().postData() ?? '');
      await route.fulfill({ status: 204 });
    });
    await b.page.goto(`${inject('baseUrl')}/experiments?config=/test-experiments.json`);
    const consent = b.page.locator('[data-testid="consent"]');
    await consent.waitFor();
    expect(await consent.isChecked()).toBe(false);
    expect(await b.page.locator('[data-testid="send-now"]').isDisabled()).toBe(true);
    await consent.check();
    await b.page.locator('[data-testid="send-now"]').click();
    await b.page.locator('[data-testid="export-status"]', { hasText: 'Sent counts' }).waitFor();
    await expect.poll(() => beacons.length, { timeout: 10_000 }).toBe(1);
    const sent = JSON.parse(beacons[0]!) as { schema: string; experiments: { experimentId: string; counts: { arm: string; impressions: number }[] }[] };
    expect(sent.schema).toBe('drishti-experiment-counts/1');
    expect(sent.experiments[0]!.counts.map((c) => [c.arm, c.impressions]).sort()).toEqual([
      ['balanced', 1200],
      ['visual', 1200],
    ]);
    const installId = await text(b, '[data-testid="install-id"]');
    expect(beacons[0]).not.toContain(installId);
    await b.page.locator('[data-testid="send-now"]').click();
    await b.page.locator('[data-testid="export-status"]', { hasText: 'no new counts' }).waitFor();
    expect(beacons).toHaveLength(1);
  }

  it('exports stored tag corrections as drishti-correction/1 JSONL', async () => {
    await b.page.goto(`${inject('baseUrl')}/experiments`);
    await b.page.locator('[data-testid="corrections-count"]').waitFor();
    await b.page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open('drishti-feedback', 1);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const tx = db.transaction('corrections', 'readwrite');
      tx.objectStore('corrections').put({ schema: 'drishti-correction/1', itemId: '15970', head: 'articleType', predicted: 'Kurtas', corrected: 'Kurtis', modelId: 'm', modelVersion: '1', at: '2026-12-04T10:00:00Z' });
      await new Promise<void>((resolve) => (tx.oncomplete = () => resolve()));
      db.close();
    });
    await b.page.reload();
    await b.page.locator('[data-testid="corrections-count"]', { hasText: '1' }).waitFor();
    const [download] = await Promise.all([b.page.waitForEvent('download'), b.page.getByRole('button', { name: 'Export JSONL' }).click()]);
    const body = readFileSync((await download.path())!, 'utf8');
    expect(body).toBe('{"schema":"drishti-correction/1","itemId":"15970","head":"articleType","predicted":"Kurtas","corrected":"Kurtis","modelId":"m","modelVersion":"1","at":"2026-12-04T10:00:00Z"}\n');
  });

  it('measures recommendation rows over 10,000 items in the worker (reported, not asserted)', async () => {
    await b.page.goto(`${inject('baseUrl')}/experiments`);
    await b.page.getByRole('button', { name: 'Measure' }).click();
    const result = b.page.locator('[data-testid="bench-result"]');
    await result.waitFor({ timeout: 110_000 });
    const forYou = Number(await result.getAttribute('data-for-you-mean'));
    const similar = Number(await result.getAttribute('data-similar-mean'));
    expect(forYou).toBeGreaterThan(0);
    expect(similar).toBeGreaterThan(0);
    console.info(`[recs speed, Chromium worker] ${await result.innerText()}`);
  });
});
