/**
 * The model-variant experiment (model-precision-1, int8 vs fp16) applied to the shop's model load.
 *
 * The arm's params (`variant`, and `backend` when the arm names one) become load overrides, but
 * only on a device where the arm can run: fp16 needs WebGPU with shader-f16. Elsewhere the load
 * keeps the automatic choice and the decision says the arm was not applied.
 *
 * Exposures (a photo result shown) and latency are recorded only on devices that can run *every*
 * arm. Counting the int8 arm on phones that could never have been given fp16 would fill one arm
 * with low-end devices and bias the comparison; restricting both arms to the same devices keeps
 * them comparable. The decision (arm, applied, counted, why, what was loaded) is kept on the
 * device in localStorage (`drishti.modelExperiment`) so the engine page and tests can read it.
 */
import { getEngine } from '../../features/engine/client/worker-bridge.ts';
import { parseOverrides } from '../../features/engine/shared/backend-selection.ts';
import type { EngineOverrides, LoadResult, ProbeResult } from '../../features/engine/shared/engine-api.ts';
import type { OutcomeKind } from '../../features/experiments/shared/experiment-config.ts';
import type { BackendName, VariantName } from '../../shared/model-manifest.ts';
import { appExperiments, MODEL_EXPERIMENT } from './experiments.ts';

export const MODEL_ARM_STORAGE_KEY = 'drishti.modelExperiment';

const VARIANTS: readonly VariantName[] = ['fp32', 'fp16', 'int8'];
const BACKENDS: readonly BackendName[] = ['webgpu', 'wasm'];

export interface ModelArmDecision {
  experimentId: string;
  arm: string;
  /** The overrides passed to the engine's load (empty when the arm was not applied). */
  overrides: EngineOverrides;
  /** The arm's overrides reached the engine. */
  applied: boolean;
  /** Exposures and latency are recorded for the report (this device can run every arm). */
  counted: boolean;
  /** Why the arm was not applied or is not counted. */
  note?: string;
  /** What the engine actually loaded. */
  loaded?: { backend: BackendName; variant: VariantName };
}

type Params = Record<string, string | number | boolean>;

/** The load overrides an arm's params ask for; unknown values are ignored. */
export function armOverrides(params: Params): EngineOverrides {
  const out: EngineOverrides = {};
  if (typeof params.variant === 'string' && (VARIANTS as readonly string[]).includes(params.variant)) out.variant = params.variant as VariantName;
  if (typeof params.backend === 'string' && (BACKENDS as readonly string[]).includes(params.backend)) out.backend = params.backend as BackendName;
  return out;
}

/** Why these overrides cannot run on this device, or null when they can. */
export function whyNotRunnable(overrides: EngineOverrides, probe: ProbeResult): string | null {
  const gpu = probe.webgpu;
  if (overrides.backend === 'webgpu' && !gpu.available) return `WebGPU is unavailable here (${gpu.error ?? 'no adapter'})`;
  if (overrides.variant === 'fp16') {
    if (overrides.backend === 'wasm') return 'fp16 runs only on WebGPU';
    if (!gpu.available) return `fp16 needs WebGPU, which is unavailable here (${gpu.error ?? 'no adapter'})`;
    if (!gpu.shaderF16) return 'fp16 needs WebGPU with shader-f16, which this adapter lacks';
  }
  return null;
}

/**
 * Decides what the load does for this install's arm. `addressOverrides` is true when the page
 * address already asks for a backend/variant (a developer's explicit choice wins over the arm).
 */
export function decideModelArm(
  experiment: { id: string; arms: { id: string; params: Params }[] },
  armId: string,
  probe: ProbeResult,
  addressOverrides = false,
): ModelArmDecision {
  const arm = experiment.arms.find((a) => a.id === armId);
  const base = { experimentId: experiment.id, arm: armId };
  if (!arm) return { ...base, overrides: {}, applied: false, counted: false, note: `arm "${armId}" is not in the experiment` };
  if (addressOverrides) return { ...base, overrides: {}, applied: false, counted: false, note: 'the page address chooses the backend/variant' };
  const own = whyNotRunnable(armOverrides(arm.params), probe);
  if (own) return { ...base, overrides: {}, applied: false, counted: false, note: `not applicable: ${own} → automatic choice` };
  const blocked = experiment.arms.map((a) => [a.id, whyNotRunnable(armOverrides(a.params), probe)] as const).find(([, why]) => why);
  return {
    ...base,
    overrides: armOverrides(arm.params),
    applied: true,
    counted: !blocked,
    ...(blocked ? { note: `not counted: arm "${blocked[0]}" cannot run on this device (${blocked[1]}), so neither arm is compared here` } : {}),
  };
}

function remember(decision: ModelArmDecision): void {
  try {
    localStorage.setItem(MODEL_ARM_STORAGE_KEY, JSON.stringify(decision));
  } catch {
    // Storage disabled: the decision still applies for this page's life.
  }
}

let current: ModelArmDecision | null = null;
let deciding: Promise<ModelArmDecision | null> | undefined;

/** This install's decision for the model load; null when not enrolled or experiments are unavailable. Never throws. */
export function modelArm(): Promise<ModelArmDecision | null> {
  deciding ??= (async () => {
    try {
      const experiments = await appExperiments();
      const experiment = experiments?.config.experiments.find((e) => e.id === MODEL_EXPERIMENT);
      if (!experiments || !experiment) return null;
      const assignment = await experiments.arm(MODEL_EXPERIMENT);
      if (!assignment) return null;
      const { overrides } = parseOverrides(location.search);
      const decision = decideModelArm(experiment, assignment.arm.id, await getEngine().probe(), !!(overrides.backend || overrides.variant));
      current = decision;
      remember(decision);
      return decision;
    } catch (err) {
      console.warn(`Model experiment not applied: ${(err as Error).message}`);
      return null;
    }
  })();
  return deciding;
}

/** After the load: note what ran; an arm whose load failed is recorded as not applied. */
export function noteModelLoad(result: LoadResult | null, failure?: string): void {
  if (!current) return;
  if (failure) current = { ...current, overrides: {}, applied: false, counted: false, note: `not applicable: the arm's load failed (${failure}) → automatic choice` };
  if (result) current = { ...current, loaded: { backend: result.backend, variant: result.variant } };
  remember(current);
}

/** A photo result was shown: an impression and its latency for the arm (counted devices only). */
export async function trackModelExposure(latencyMs: number): Promise<void> {
  if (!current?.counted) return;
  try {
    const experiments = await appExperiments();
    await experiments?.track(MODEL_EXPERIMENT, 'impression');
    await experiments?.track(MODEL_EXPERIMENT, 'latency', latencyMs);
  } catch (err) {
    console.warn(`Model experiment exposure not recorded: ${(err as Error).message}`);
  }
}

/** The shopper's response to a photo result (e.g. opening a similar item). */
export async function trackModelOutcome(kind: OutcomeKind): Promise<void> {
  if (!current?.counted) return;
  try {
    await (await appExperiments())?.track(MODEL_EXPERIMENT, kind);
  } catch (err) {
    console.warn(`Model experiment outcome not recorded: ${(err as Error).message}`);
  }
}
