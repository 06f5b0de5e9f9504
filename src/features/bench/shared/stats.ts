/** Latency statistics for a set of timed runs. */

export interface LatencyStats {
  runs: number;
  p50Ms: number;
  p95Ms: number;
  minMs: number;
  meanMs: number;
  /** Images per second at the median latency (batch / p50). */
  imagesPerSecond: number;
}

/**
 * The q-quantile (0..1) of the samples by linear interpolation between closest ranks
 * (the "R-7" definition numpy and spreadsheets use by default).
 */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) throw new RangeError('quantile of no samples');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile q must be within 0..1 (got ${q})`);
  const sorted = [...samples].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function summarize(samplesMs: readonly number[], batch: number): LatencyStats {
  if (samplesMs.length === 0) throw new RangeError('summarize: no timed runs');
  if (!(batch >= 1)) throw new RangeError(`summarize: batch must be at least 1 (got ${batch})`);
  if (samplesMs.some((s) => !Number.isFinite(s) || s < 0)) throw new RangeError('summarize: timings must be finite and non-negative');
  const p50 = quantile(samplesMs, 0.5);
  return {
    runs: samplesMs.length,
    p50Ms: p50,
    p95Ms: quantile(samplesMs, 0.95),
    minMs: Math.min(...samplesMs),
    meanMs: samplesMs.reduce((a, b) => a + b, 0) / samplesMs.length,
    imagesPerSecond: p50 > 0 ? (batch * 1000) / p50 : Number.POSITIVE_INFINITY,
  };
}
