import { describe, expect, it } from 'vitest';
import { armForBucket, assignArm, hashBucket } from '../../src/features/experiments/shared/assignment.ts';
import { parseExperimentsConfig, type Experiment } from '../../src/features/experiments/shared/experiment-config.ts';

const config = parseExperimentsConfig(
  {
    schema: 'drishti-experiments/1',
    experiments: [
      { id: 'model-precision', arms: [{ id: 'int8', weight: 50 }, { id: 'fp16', weight: 50 }] },
      { id: 'ranking', arms: [{ id: 'a', weight: 2 }, { id: 'b', weight: 1 }, { id: 'c', weight: 1 }] },
      { id: 'half-traffic', traffic: 0.5, arms: [{ id: 'x', weight: 1 }, { id: 'y', weight: 1 }] },
    ],
  },
  'test config',
);
const [precision, ranking, half] = config.experiments as [Experiment, Experiment, Experiment];
const IDS = Array.from({ length: 10_000 }, (_, i) => `install-${i}-${(i * 2654435761) % 1000003}`);

/** Pearson chi-square statistic of observed counts against expected shares. */
function chiSquare(observed: number[], shares: number[]): number {
  const total = observed.reduce((a, b) => a + b, 0);
  return observed.reduce((s, o, i) => s + (o - total * shares[i]!) ** 2 / (total * shares[i]!), 0);
}
// Upper 0.1% points of the chi-square distribution (standard tables): df 1 → 10.828, 2 → 13.816, 9 → 27.877.
const CRITICAL_001 = { 1: 10.828, 2: 13.816, 9: 27.877 };

async function tally(e: Experiment): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const id of IDS) {
    const a = await assignArm(e, id);
    const key = a?.arm.id ?? 'none';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

describe('arm assignment', () => {
  it('is deterministic: the same install and experiment always get the same arm', async () => {
    const first = await Promise.all(IDS.slice(0, 200).map((id) => assignArm(precision, id)));
    const again = await Promise.all(IDS.slice(0, 200).map((id) => assignArm(precision, id)));
    expect(again.map((a) => a?.arm.id)).toEqual(first.map((a) => a?.arm.id));
    expect(await hashBucket('model-precision', 'abc')).toBe(await hashBucket('model-precision', 'abc'));
    expect(await hashBucket('model-precision', 'abc')).not.toBe(await hashBucket('ranking', 'abc'));
  });

  it('balances a 50/50 split over 10,000 installs (chi-square, p > 0.001)', async () => {
    const c = await tally(precision);
    const observed = [c.get('int8') ?? 0, c.get('fp16') ?? 0];
    expect(observed[0]! + observed[1]!).toBe(10_000);
    expect(chiSquare(observed, [0.5, 0.5])).toBeLessThan(CRITICAL_001[1]);
  });

  it('honours an uneven 2:1:1 split over 10,000 installs', async () => {
    const c = await tally(ranking);
    const observed = ['a', 'b', 'c'].map((k) => c.get(k) ?? 0);
    expect(chiSquare(observed, [0.5, 0.25, 0.25])).toBeLessThan(CRITICAL_001[2]);
    // …and a test that can fail: the same counts are far from an even three-way split.
    expect(chiSquare(observed, [1 / 3, 1 / 3, 1 / 3])).toBeGreaterThan(CRITICAL_001[2]);
  });

  it('spreads hash buckets uniformly (deciles, chi-square)', async () => {
    const deciles = new Array<number>(10).fill(0);
    for (const id of IDS) deciles[Math.floor((await hashBucket('model-precision', id)) * 10)]!++;
    expect(chiSquare(deciles, new Array<number>(10).fill(0.1))).toBeLessThan(CRITICAL_001[9]);
  });

  it('assigns experiments independently of each other', async () => {
    const table = [
      [0, 0],
      [0, 0],
    ];
    for (const id of IDS) {
      const a = (await assignArm(precision, id))!.arm.id === 'int8' ? 0 : 1;
      const b = (await hashBucket('other-experiment', id)) < 0.5 ? 0 : 1;
      table[a]![b]!++;
    }
    const n = 10_000;
    let chi = 0;
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        const expected = ((table[i]![0]! + table[i]![1]!) * (table[0]![j]! + table[1]![j]!)) / n;
        chi += (table[i]![j]! - expected) ** 2 / expected;
      }
    }
    expect(chi).toBeLessThan(CRITICAL_001[1]);
  });

  it('enrols only the configured share of traffic', async () => {
    const c = await tally(half);
    expect(chiSquare([c.get('none') ?? 0, c.get('x') ?? 0, c.get('y') ?? 0], [0.5, 0.25, 0.25])).toBeLessThan(CRITICAL_001[2]);
    expect(armForBucket(half, 0.49)?.id).toBe('y');
    expect(armForBucket(half, 0.5)).toBeNull();
    expect(armForBucket(half, 0)?.id).toBe('x');
    expect(armForBucket(precision, 0.999999999)?.id).toBe('fp16');
  });

  it('rejects an empty install id', async () => {
    await expect(assignArm(precision, '')).rejects.toThrow(/install id is empty/);
  });
});

describe('experiments config', () => {
  const base = { schema: 'drishti-experiments/1', experiments: [{ id: 'e', arms: [{ id: 'a', weight: 1 }, { id: 'b', weight: 1 }] }] };
  it('fills defaults', () => {
    const c = parseExperimentsConfig(base, 'x');
    expect(c.exportUrl).toBeNull();
    expect(c.experiments[0]).toMatchObject({ traffic: 1, primaryOutcome: 'click', minImpressionsPerArm: 1000 });
  });
  it.each([
    [{ ...base, schema: 'v2' }, /"schema" must be/],
    [{ ...base, experiments: [{ id: 'e', arms: [{ id: 'a', weight: 1 }] }] }, /needs at least two arms/],
    [{ ...base, experiments: [{ id: 'e', arms: [{ id: 'a', weight: 1 }, { id: 'a', weight: 1 }] }] }, /arm id "a" appears twice/],
    [{ ...base, experiments: [{ id: 'e', arms: [{ id: 'a', weight: 0 }, { id: 'b', weight: 1 }] }] }, /weight must be a positive number/],
    [{ ...base, experiments: [{ ...base.experiments[0], traffic: 1.5 }] }, /traffic must be a number in \(0, 1\]/],
    [{ ...base, experiments: [{ ...base.experiments[0], primaryOutcome: 'purchase' }] }, /primaryOutcome must be one of/],
    [{ ...base, exportUrl: 'http://collector.example/counts' }, /must use https/],
    [{ ...base, experiments: [base.experiments[0], base.experiments[0]] }, /appears twice/],
  ])('rejects a bad config with a message (%#)', (json, message) => {
    expect(() => parseExperimentsConfig(json, 'merchant.json')).toThrow(message);
    expect(() => parseExperimentsConfig(json, 'merchant.json')).toThrow(/merchant\.json/);
  });
});
