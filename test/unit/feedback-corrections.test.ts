import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { CorrectionError, correctionLine, makeCorrection, parseJsonl, toJsonl } from '../../src/features/feedback/shared/correction.ts';
import { CorrectionsStore } from '../../src/features/feedback/shared/corrections-store.ts';

const base = { itemId: '15970', head: 'articleType' as const, predicted: 'Kurtas', corrected: 'Kurtis', modelId: 'drishti-fashion', modelVersion: '1.0.0' };

describe('tag corrections', () => {
  it('writes the exact drishti-correction/1 line', () => {
    const c = makeCorrection({ ...base, at: new Date('2026-12-04T10:00:00.123Z') });
    expect(correctionLine(c)).toBe(
      '{"schema":"drishti-correction/1","itemId":"15970","head":"articleType","predicted":"Kurtas","corrected":"Kurtis","modelId":"drishti-fashion","modelVersion":"1.0.0","at":"2026-12-04T10:00:00Z"}',
    );
  });

  it('round-trips JSONL, oldest first, and reports bad lines without failing the rest', () => {
    const a = makeCorrection({ ...base, at: new Date('2026-12-04T11:00:00Z') });
    const b = makeCorrection({ ...base, itemId: '39386', head: 'colour', predicted: 'Blue', corrected: 'Black', at: new Date('2026-12-04T09:00:00Z') });
    const text = toJsonl([a, b]);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(3);
    const back = parseJsonl(`${text}not json\n{"schema":"other"}\n`);
    expect(back.corrections).toEqual([b, a]);
    expect(back.problems).toEqual(['line 3: not valid JSON', 'line 4: schema is "other", expected "drishti-correction/1"']);
  });

  it.each([
    [{ corrected: 'Kurtas' }, /same as the prediction/],
    [{ corrected: '   ' }, /needs the corrected label/],
    [{ corrected: 'x'.repeat(81) }, /too long/],
    [{ head: 'brand' }, /"brand" is not a tag/],
    [{ itemId: '' }, /needs the item id/],
    [{ corrected: 'Kurtis\nInjected' }, /control characters/],
  ])('refuses a bad correction with a message (%#)', (patch, message) => {
    expect(() => makeCorrection({ ...base, ...(patch as object) })).toThrow(CorrectionError);
    expect(() => makeCorrection({ ...base, ...(patch as object) })).toThrow(message);
  });

  it('keeps one correction per item and tag on the device, latest wins', async () => {
    const s = await CorrectionsStore.open('feedback-test-1');
    await s.add({ ...base, at: new Date('2026-12-04T10:00:00Z') });
    await s.add({ ...base, corrected: 'Tunics', at: new Date('2026-12-04T10:05:00Z') });
    await s.add({ ...base, head: 'usage', predicted: 'Casual', corrected: 'Ethnic', at: new Date('2026-12-04T10:01:00Z') });
    expect(await s.count()).toBe(2);
    const lines = (await s.exportJsonl()).trim().split('\n').map((l) => JSON.parse(l) as { head: string; corrected: string });
    expect(lines.map((l) => [l.head, l.corrected])).toEqual([
      ['usage', 'Ethnic'],
      ['articleType', 'Tunics'],
    ]);
    await expect(s.add({ ...base, corrected: '' })).rejects.toThrow(CorrectionError);
    expect(await s.count()).toBe(2);
    await s.clear();
    expect(await s.exportJsonl()).toBe('');
    s.close();
  });
});
