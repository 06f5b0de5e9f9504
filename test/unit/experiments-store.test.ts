import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { assignArm } from '../../src/features/experiments/shared/assignment.ts';
import { parseExperimentsConfig } from '../../src/features/experiments/shared/experiment-config.ts';
import { ExperimentStore } from '../../src/features/experiments/shared/experiment-store.ts';
import { exportCounts, mergeCounts, parseCountsPayload, type CountsPayload } from '../../src/features/experiments/shared/export.ts';

let n = 0;
const dbName = () => `experiments-test-${n++}`;
const config = (exportUrl: string | null) =>
  parseExperimentsConfig(
    {
      schema: 'drishti-experiments/1',
      exportUrl,
      experiments: [
        { id: 'model-precision', arms: [{ id: 'int8', weight: 1 }, { id: 'fp16', weight: 1 }] },
        { id: 'ranking', arms: [{ id: 'balanced', weight: 1 }, { id: 'visual', weight: 1 }] },
      ],
    },
    'test',
  );

describe('experiment store (IndexedDB)', () => {
  it('keeps one install id across reopen ("reloads"), so the arm is stable', async () => {
    const name = dbName();
    const first = await ExperimentStore.open(name);
    const id = await first.installId();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await first.installId()).toBe(id);
    first.close();
    const reopened = await ExperimentStore.open(name);
    expect(await reopened.installId()).toBe(id);
    const e = config(null).experiments[0]!;
    expect((await assignArm(e, await reopened.installId()))!.arm.id).toBe((await assignArm(e, id))!.arm.id);
    reopened.close();
    const other = await ExperimentStore.open(dbName());
    expect(await other.installId()).not.toBe(id);
    other.close();
  });

  it('aggregates exposure, outcome and latency events per arm', async () => {
    const s = await ExperimentStore.open(dbName());
    const log = (arm: string, kind: 'impression' | 'click' | 'wishlist' | 'add-to-cart' | 'latency', valueMs?: number) =>
      s.log({ experimentId: 'ranking', arm, kind, at: 1, ...(valueMs === undefined ? {} : { valueMs }) });
    for (let i = 0; i < 5; i++) await log('visual', 'impression');
    await log('visual', 'click');
    await log('visual', 'add-to-cart');
    await log('visual', 'latency', 10);
    await log('visual', 'latency', 30);
    await log('balanced', 'impression');
    await log('balanced', 'wishlist');
    await s.log({ experimentId: 'model-precision', arm: 'int8', kind: 'impression', at: 1 });
    const { counts } = await s.counts('ranking');
    const visual = counts.find((c) => c.arm === 'visual')!;
    expect(visual).toEqual({ arm: 'visual', impressions: 5, outcomes: { click: 1, wishlist: 0, 'add-to-cart': 1 }, latency: { n: 2, sumMs: 40, sumSqMs: 1000 } });
    expect(counts.find((c) => c.arm === 'balanced')!.outcomes.wishlist).toBe(1);
    await expect(s.log({ experimentId: 'ranking', arm: 'visual', kind: 'latency', at: 1 })).rejects.toThrow(/valueMs/);
    await expect(s.log({ experimentId: 'ranking', arm: 'visual', kind: 'purchase' as 'click', at: 1 })).rejects.toThrow(/Unknown experiment event "purchase"/);
    s.close();
  });
});

describe('aggregated export', () => {
  it('is off by default: no URL or no consent means nothing is sent', async () => {
    const s = await ExperimentStore.open(dbName());
    await s.log({ experimentId: 'ranking', arm: 'visual', kind: 'impression', at: 1 });
    const sent: string[] = [];
    const send = (url: string) => (sent.push(url), true);
    expect(await s.exportConsent()).toBe(false);
    expect(await exportCounts(s, config('https://shop.example/drishti-counts'), send)).toEqual({ sent: false, reason: 'no-consent' });
    await s.setExportConsent(true);
    expect(await exportCounts(s, config(null), send)).toEqual({ sent: false, reason: 'no-url' });
    expect(sent).toEqual([]);
    s.close();
  });

  it('sends only aggregated counts, once per event, to the merchant URL', async () => {
    const s = await ExperimentStore.open(dbName());
    const installId = await s.installId();
    await s.setExportConsent(true);
    for (let i = 0; i < 3; i++) await s.log({ experimentId: 'ranking', arm: 'visual', kind: 'impression', at: 1_700_000_000_000 });
    await s.log({ experimentId: 'ranking', arm: 'visual', kind: 'click', at: 1_700_000_000_000 });
    const bodies: { url: string; text: string; type: string }[] = [];
    const send = (url: string, body: Blob) => {
      void body.text().then((text) => bodies.push({ url, text, type: body.type }));
      return true;
    };
    const out = await exportCounts(s, config('https://shop.example/drishti-counts'), send, new Date('2026-12-04T10:00:00Z'));
    expect(out.sent).toBe(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(bodies).toHaveLength(1);
    expect(bodies[0]!.url).toBe('https://shop.example/drishti-counts');
    expect(bodies[0]!.type).toBe('text/plain;charset=utf-8');
    const payload = JSON.parse(bodies[0]!.text) as CountsPayload;
    expect(payload).toEqual({
      schema: 'drishti-experiment-counts/1',
      day: '2026-12-04',
      experiments: [{ experimentId: 'ranking', counts: [{ arm: 'visual', impressions: 3, outcomes: { click: 1, wishlist: 0, 'add-to-cart': 0 }, latency: { n: 0, sumMs: 0, sumSqMs: 0 } }] }],
    });
    expect(bodies[0]!.text).not.toContain(installId);
    expect(bodies[0]!.text).not.toContain('1700000000000');
    // Nothing new → nothing sent; new events → only the new ones.
    expect(await exportCounts(s, config('https://shop.example/drishti-counts'), send)).toEqual({ sent: false, reason: 'nothing-new' });
    await s.log({ experimentId: 'ranking', arm: 'visual', kind: 'impression', at: 2 });
    const second = await exportCounts(s, config('https://shop.example/drishti-counts'), send);
    expect(second.sent && second.payload.experiments[0]!.counts[0]!.impressions).toBe(1);
    s.close();
  });

  it('keeps counts for a later export when the beacon is refused', async () => {
    const s = await ExperimentStore.open(dbName());
    await s.setExportConsent(true);
    await s.log({ experimentId: 'ranking', arm: 'balanced', kind: 'impression', at: 1 });
    expect(await exportCounts(s, config('https://shop.example/c'), () => false)).toEqual({ sent: false, reason: 'beacon-refused' });
    const retry = await exportCounts(s, config('https://shop.example/c'), () => true);
    expect(retry.sent && retry.payload.experiments[0]!.counts[0]!.impressions).toBe(1);
    s.close();
  });

  it('merges collected payloads into report counts and rejects malformed ones', () => {
    const arm = (name: string, imp: number, clicks: number) => ({
      arm: name,
      impressions: imp,
      outcomes: { click: clicks, wishlist: 0, 'add-to-cart': 0 },
      latency: { n: 1, sumMs: 5, sumSqMs: 25 },
    });
    const p1 = parseCountsPayload({ schema: 'drishti-experiment-counts/1', day: '2026-12-03', experiments: [{ experimentId: 'ranking', counts: [arm('visual', 10, 2)] }] }, 'a.json');
    const p2 = parseCountsPayload({ schema: 'drishti-experiment-counts/1', day: '2026-12-04', experiments: [{ experimentId: 'ranking', counts: [arm('visual', 5, 1), arm('balanced', 7, 0)] }] }, 'b.json');
    const merged = mergeCounts([p1, p2]).get('ranking')!;
    expect(merged.find((c) => c.arm === 'visual')).toEqual({ arm: 'visual', impressions: 15, outcomes: { click: 3, wishlist: 0, 'add-to-cart': 0 }, latency: { n: 2, sumMs: 10, sumSqMs: 50 } });
    expect(p1.experiments[0]!.counts[0]!.impressions).toBe(10); // inputs untouched
    expect(() => parseCountsPayload({ schema: 'nope' }, 'c.json')).toThrow(/c\.json is not a drishti-experiment-counts\/1 file/);
    expect(() =>
      parseCountsPayload({ schema: 'drishti-experiment-counts/1', experiments: [{ experimentId: 'x', counts: [{ arm: 'a', impressions: -1 }] }] }, 'd.json'),
    ).toThrow(/incomplete/);
  });
});

describe('automatic export when the page is hidden', () => {
  it('sends new counts on hide only with consent, at most once per interval', async () => {
    const { ExperimentsClient } = await import('../../src/features/experiments/client/experiments-client.ts');
    const client = await ExperimentsClient.open(config('https://shop.example/c'), dbName());
    const target = new EventTarget();
    let hidden = false;
    const sent: string[] = [];
    const stop = client.exportOnPageHide({ target, isHidden: () => hidden, minIntervalMs: 60_000, send: (url) => (sent.push(url), true) });
    const settle = () => new Promise((r) => setTimeout(r, 20));
    await client.track('ranking', 'impression');
    hidden = true;
    target.dispatchEvent(new Event('visibilitychange'));
    await settle();
    expect(sent).toEqual([]); // no consent yet
    await client.setExportConsent(true);
    target.dispatchEvent(new Event('visibilitychange'));
    await settle();
    expect(sent).toEqual(['https://shop.example/c']);
    await client.track('ranking', 'impression');
    target.dispatchEvent(new Event('visibilitychange'));
    await settle();
    expect(sent).toHaveLength(1); // inside the interval: the new count waits
    stop();
    const again = client.exportOnPageHide({ target, isHidden: () => hidden, minIntervalMs: 0, send: (url) => (sent.push(url), true) });
    hidden = false;
    target.dispatchEvent(new Event('visibilitychange'));
    await settle();
    expect(sent).toHaveLength(1); // visible: nothing
    hidden = true;
    target.dispatchEvent(new Event('visibilitychange'));
    await settle();
    expect(sent).toHaveLength(2);
    again();
    client.close();
  });
});
