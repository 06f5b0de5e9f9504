/**
 * Deterministic arm assignment: SHA-256 of "<experiment id>\n<install id>" → a number in [0, 1).
 * The same install always lands in the same arm (stable across reloads and app updates) without
 * storing the assignment, and experiments are independent of each other because the experiment id
 * is part of the hash. SHA-256 (Web Crypto) rather than a quick hash: its output is uniform, which
 * the balance test checks.
 */
import type { Experiment, ExperimentArm } from './experiment-config.ts';

export interface Assignment {
  experimentId: string;
  arm: ExperimentArm;
  /** The hash position in [0, 1), for debugging. */
  bucket: number;
}

export async function hashBucket(experimentId: string, installId: string): Promise<number> {
  if (!globalThis.crypto?.subtle) {
    throw new Error('Experiments need Web Crypto, which the browser offers only on secure pages: serve the shop over https (or localhost).');
  }
  const bytes = new TextEncoder().encode(`${experimentId}\n${installId}`);
  const digest = new DataView(await crypto.subtle.digest('SHA-256', bytes));
  // 52 bits of the digest: as many as a double holds exactly.
  const hi = digest.getUint32(0) >>> 0;
  const lo = digest.getUint32(4) >>> 12;
  return (hi * 2 ** 20 + lo) / 2 ** 52;
}

/** Picks the arm for a bucket: buckets above `traffic` are not enrolled (null). */
export function armForBucket(experiment: Experiment, bucket: number): ExperimentArm | null {
  if (bucket >= experiment.traffic) return null;
  const position = bucket / experiment.traffic;
  const total = experiment.arms.reduce((s, a) => s + a.weight, 0);
  let cumulative = 0;
  for (const arm of experiment.arms) {
    cumulative += arm.weight / total;
    if (position < cumulative) return arm;
  }
  return experiment.arms.at(-1)!; // floating-point rounding at the very top
}

export async function assignArm(experiment: Experiment, installId: string): Promise<Assignment | null> {
  if (!installId) throw new Error('assignArm: the install id is empty; experiments need a stable install id.');
  const bucket = await hashBucket(experiment.id, installId);
  const arm = armForBucket(experiment, bucket);
  return arm ? { experimentId: experiment.id, arm, bucket } : null;
}
