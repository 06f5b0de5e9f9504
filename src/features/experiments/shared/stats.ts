/**
 * Experiment report statistics. Rates are outcomes per impression. The lift of an arm over the
 * control is the ratio of rates minus one, with a 95% interval from the normal approximation to the
 * log of the rate ratio (Katz et al., 1978): se = √(1/x₁ − 1/n₁ + 1/x₀ − 1/n₀). When an arm has no
 * outcomes the log is undefined, so 0.5 is added to every cell (Haldane–Anscombe) and the report
 * says so. Latency compares means with a Welch (unequal variance) normal interval.
 */
import { OUTCOME_KINDS, type Experiment, type OutcomeKind } from './experiment-config.ts';

export interface LatencySums {
  n: number;
  sumMs: number;
  sumSqMs: number;
}

/** Aggregated counts for one arm: all the report needs, and all an export ever contains. */
export interface ArmCounts {
  arm: string;
  impressions: number;
  outcomes: Record<OutcomeKind, number>;
  latency: LatencySums;
}

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

export interface LiftEstimate extends Interval {
  /** True when zero counts forced the 0.5 correction. */
  corrected: boolean;
  /** True when the interval excludes "no change". */
  conclusive: boolean;
}

export interface ArmReport {
  arm: string;
  impressions: number;
  outcomes: Record<OutcomeKind, { count: number; rate: number | null }>;
  latencyMeanMs: number | null;
  /** Against the control arm; null for the control itself or when there is nothing to compare. */
  lift: Record<OutcomeKind, LiftEstimate | null>;
  latencyDiffMs: Interval | null;
}

export interface ExperimentReport {
  experimentId: string;
  control: string;
  primaryOutcome: OutcomeKind;
  arms: ArmReport[];
  /** Why the numbers cannot be trusted yet; empty when the sample is large enough. */
  warnings: string[];
}

export const CONFIDENCE = 0.95;
/** The 97.5% quantile of the standard normal (two-sided 95%); library probits are only accurate to ~3 digits. */
const Z = 1.959963984540054;

export function emptyCounts(arm: string): ArmCounts {
  return { arm, impressions: 0, outcomes: { click: 0, wishlist: 0, 'add-to-cart': 0 }, latency: { n: 0, sumMs: 0, sumSqMs: 0 } };
}

/** Relative lift of rate x1/n1 over x0/n0 with its 95% interval; null when either arm has no impressions. */
export function relativeLift(x1: number, n1: number, x0: number, n0: number): LiftEstimate | null {
  if (n1 <= 0 || n0 <= 0) return null;
  const corrected = x1 === 0 || x0 === 0 || x1 === n1 || x0 === n0;
  const [a1, m1, a0, m0] = corrected ? [x1 + 0.5, n1 + 1, x0 + 0.5, n0 + 1] : [x1, n1, x0, n0];
  const logRatio = Math.log(a1 / m1 / (a0 / m0));
  const se = Math.sqrt(1 / a1 - 1 / m1 + 1 / a0 - 1 / m0);
  const low = Math.exp(logRatio - Z * se) - 1;
  const high = Math.exp(logRatio + Z * se) - 1;
  // With the correction the point estimate uses the corrected cells too, so it lies inside its interval.
  const estimate = Math.exp(logRatio) - 1;
  return { estimate, low, high, corrected, conclusive: low > 0 || high < 0 };
}

/** Difference of mean latencies (arm − control) with a Welch normal 95% interval. */
export function latencyDifference(arm: LatencySums, control: LatencySums): Interval | null {
  if (arm.n < 2 || control.n < 2) return null;
  const stats = (s: LatencySums) => {
    const mean = s.sumMs / s.n;
    const variance = Math.max(0, (s.sumSqMs - s.n * mean * mean) / (s.n - 1));
    return { mean, variance };
  };
  const a = stats(arm);
  const c = stats(control);
  const diff = a.mean - c.mean;
  const se = Math.sqrt(a.variance / arm.n + c.variance / control.n);
  return { estimate: diff, low: diff - Z * se, high: diff + Z * se };
}

/** The report for one experiment; the first arm in the config is the control. */
export function buildReport(experiment: Experiment, counts: readonly ArmCounts[]): ExperimentReport {
  const byArm = new Map(counts.map((c) => [c.arm, c]));
  const all = experiment.arms.map((a) => byArm.get(a.id) ?? emptyCounts(a.id));
  const control = all[0]!;
  const warnings: string[] = [];
  const short = all.filter((c) => c.impressions < experiment.minImpressionsPerArm);
  if (short.length > 0) {
    warnings.push(
      `Too early to conclude: ${short.map((c) => `${c.arm} has ${c.impressions}`).join(', ')} impressions; ` +
        `this experiment needs at least ${experiment.minImpressionsPerArm} per arm before its lift means anything.`,
    );
  }
  const fewOutcomes = all.filter((c) => c.outcomes[experiment.primaryOutcome] < 10);
  if (fewOutcomes.length > 0) {
    warnings.push(
      `Fewer than 10 ${experiment.primaryOutcome} events in ${fewOutcomes.map((c) => c.arm).join(', ')}: ` +
        'the 95% interval rests on a normal approximation that needs more events to hold.',
    );
  }
  const arms = all.map((c): ArmReport => {
    const outcomes = {} as ArmReport['outcomes'];
    const lift = {} as ArmReport['lift'];
    for (const k of OUTCOME_KINDS) {
      outcomes[k] = { count: c.outcomes[k], rate: c.impressions > 0 ? c.outcomes[k] / c.impressions : null };
      lift[k] = c === control ? null : relativeLift(c.outcomes[k], c.impressions, control.outcomes[k], control.impressions);
    }
    return {
      arm: c.arm,
      impressions: c.impressions,
      outcomes,
      latencyMeanMs: c.latency.n > 0 ? c.latency.sumMs / c.latency.n : null,
      lift,
      latencyDiffMs: c === control ? null : latencyDifference(c.latency, control.latency),
    };
  });
  return { experimentId: experiment.id, control: control.arm, primaryOutcome: experiment.primaryOutcome, arms, warnings };
}
