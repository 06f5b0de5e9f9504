import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseExperimentsConfig } from '../../src/features/experiments/shared/experiment-config.ts';
import { buildReport, emptyCounts, latencyDifference, relativeLift, type ArmCounts } from '../../src/features/experiments/shared/stats.ts';
import { seededRandom } from '../../src/shared/seeded-random.ts';

/** (x1, n1, x0, n0) cases: large, small, unequal arms, a negative lift. */
const CASES: [number, number, number, number][] = [
  [45, 1000, 30, 1000],
  [12, 150, 9, 140],
  [480, 20000, 250, 9000],
  [70, 5000, 95, 5000],
];

/**
 * The same statistics computed independently in Python (stdlib only), straight from the textbook
 * formulas: rate ratio, Katz log interval with the exact 97.5% normal quantile, Welch interval.
 */
function pythonReference(): { lifts: number[][]; latency: number[] } {
  const script = `
import json, math, sys
from statistics import NormalDist
z = NormalDist().inv_cdf(0.975)
out = {"lifts": [], "latency": []}
for x1, n1, x0, n0 in json.loads(sys.argv[1]):
    rr = (x1 / n1) / (x0 / n0)
    se = math.sqrt(1 / x1 - 1 / n1 + 1 / x0 - 1 / n0)
    out["lifts"].append([rr - 1, math.exp(math.log(rr) - z * se) - 1, math.exp(math.log(rr) + z * se) - 1])
a = [120.0, 135.5, 98.25, 150.0, 110.0, 142.0]
b = [101.0, 99.5, 120.0, 95.0, 105.25]
def mv(v):
    m = sum(v) / len(v)
    return m, sum((x - m) ** 2 for x in v) / (len(v) - 1)
(ma, va), (mb, vb) = mv(a), mv(b)
se = math.sqrt(va / len(a) + vb / len(b))
out["latency"] = [ma - mb, ma - mb - z * se, ma - mb + z * se]
print(json.dumps(out))
`;
  const run = spawnSync('python3', ['-c', script, JSON.stringify(CASES)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python3 reference failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as { lifts: number[][]; latency: number[] };
}

const sums = (v: number[]) => ({ n: v.length, sumMs: v.reduce((a, b) => a + b, 0), sumSqMs: v.reduce((a, b) => a + b * b, 0) });

describe('experiment statistics', () => {
  const reference = pythonReference();

  it.each(CASES.map((c, i) => [i, c] as const))('relative lift and 95%% interval match an independent computation (case %#)', (i, [x1, n1, x0, n0]) => {
    const lift = relativeLift(x1, n1, x0, n0)!;
    const [estimate, low, high] = reference.lifts[i]!;
    expect(lift.estimate).toBeCloseTo(estimate!, 10);
    expect(lift.low).toBeCloseTo(low!, 10);
    expect(lift.high).toBeCloseTo(high!, 10);
    expect(lift.corrected).toBe(false);
    expect(lift.conclusive).toBe(low! > 0 || high! < 0);
  });

  it('matches a hand-worked example: 4.5% vs 3.0% is +50% with 95% interval about −4.7% to +136%', () => {
    const lift = relativeLift(45, 1000, 30, 1000)!;
    expect(lift.estimate).toBeCloseTo(0.5, 12);
    expect(lift.low).toBeCloseTo(-0.047, 3);
    expect(lift.high).toBeCloseTo(1.361, 3);
    expect(lift.conclusive).toBe(false);
  });

  it('compares mean latency with a Welch interval matching the independent computation', () => {
    const d = latencyDifference(sums([120.0, 135.5, 98.25, 150.0, 110.0, 142.0]), sums([101.0, 99.5, 120.0, 95.0, 105.25]))!;
    const [estimate, low, high] = reference.latency;
    expect(d.estimate).toBeCloseTo(estimate!, 8);
    expect(d.low).toBeCloseTo(low!, 8);
    expect(d.high).toBeCloseTo(high!, 8);
    expect(latencyDifference(sums([1]), sums([1, 2]))).toBeNull();
  });

  it('covers the true lift about 95% of the time (simulated experiments)', () => {
    const rng = seededRandom(2026);
    const binomial = (n: number, p: number) => {
      let x = 0;
      for (let i = 0; i < n; i++) if (rng.next() < p) x++;
      return x;
    };
    const [p0, p1, n] = [0.05, 0.06, 3000];
    const trueLift = p1 / p0 - 1;
    let covered = 0;
    const reps = 1500;
    for (let r = 0; r < reps; r++) {
      const l = relativeLift(binomial(n, p1), n, binomial(n, p0), n)!;
      if (l.low <= trueLift && trueLift <= l.high) covered++;
    }
    expect(covered / reps).toBeGreaterThan(0.93);
    expect(covered / reps).toBeLessThan(0.97);
  });

  it('handles zero counts with the 0.5 correction, and no impressions with no estimate', () => {
    const l = relativeLift(0, 200, 4, 200)!;
    expect(l.corrected).toBe(true);
    expect(l.low).toBeLessThan(l.estimate);
    expect(l.high).toBeGreaterThan(l.estimate);
    expect(Number.isFinite(l.low) && Number.isFinite(l.high)).toBe(true);
    expect(relativeLift(3, 0, 4, 100)).toBeNull();
  });
});

describe('experiment report', () => {
  const experiment = parseExperimentsConfig(
    {
      schema: 'drishti-experiments/1',
      experiments: [{ id: 'ranking', minImpressionsPerArm: 1000, arms: [{ id: 'balanced', weight: 1 }, { id: 'visual', weight: 1 }] }],
    },
    'test',
  ).experiments[0]!;
  const arm = (name: string, impressions: number, clicks: number, carts: number): ArmCounts => ({
    ...emptyCounts(name),
    impressions,
    outcomes: { click: clicks, wishlist: 0, 'add-to-cart': carts },
  });

  it('gives per-arm rates and the lift over the first (control) arm', () => {
    const r = buildReport(experiment, [arm('visual', 2000, 90, 10), arm('balanced', 2000, 60, 12)]);
    expect(r.control).toBe('balanced');
    expect(r.arms.map((a) => a.arm)).toEqual(['balanced', 'visual']);
    expect(r.arms[1]!.outcomes.click).toEqual({ count: 90, rate: 0.045 });
    expect(r.arms[0]!.lift.click).toBeNull();
    expect(r.arms[1]!.lift.click!.estimate).toBeCloseTo(0.5, 12);
    expect(r.arms[1]!.lift.click!.conclusive).toBe(true);
    expect(r.warnings).toEqual([]);
  });

  it('warns while the sample is too small to conclude', () => {
    const r = buildReport(experiment, [arm('balanced', 300, 5, 0)]);
    expect(r.warnings).toHaveLength(2);
    expect(r.warnings[0]).toMatch(/Too early to conclude: balanced has 300, visual has 0 impressions; .*at least 1000 per arm/);
    expect(r.warnings[1]).toMatch(/Fewer than 10 click events in balanced, visual/);
    expect(r.arms[1]!.outcomes.click.rate).toBeNull();
    expect(r.arms[1]!.lift.click).toBeNull();
  });
});
