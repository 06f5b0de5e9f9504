/**
 * Photo → what it is → similar items: loads the model once (downloaded and cached by the engine),
 * classifies the decoded photo in the worker, then searches the catalogue by its embedding. The
 * photo itself is never stored or sent; history keeps only the embedding of a photo search.
 */
import { getEngine } from '../../features/engine/client/worker-bridge.ts';
import type { ClassifyResult, LoadProgress, LoadResult } from '../../features/engine/shared/engine-api.ts';
import type { RgbaImage } from '../../shared/preprocess.ts';
import { modelArm, noteModelLoad, trackModelExposure } from './model-experiment.ts';

/** Classifying a warm model takes tens of ms; a minute means something is stuck. */
const CLASSIFY_TIMEOUT_MS = 60_000;

let loading: Promise<LoadResult> | undefined;
const progressListeners = new Set<(p: LoadProgress) => void>();

/** Model download/compile progress, for whoever is showing it. */
export function onModelProgress(listener: (p: LoadProgress) => void): () => void {
  progressListeners.add(listener);
  return () => progressListeners.delete(listener);
}

/**
 * Loads the embedded model once per page life (the engine restores it after a worker restart),
 * with the model experiment's arm (variant/backend) where this device can run it.
 */
export function ensureModel(onProgress?: (p: LoadProgress) => void, signal?: AbortSignal): Promise<LoadResult> {
  const engine = getEngine();
  if (engine.lastLoad) return Promise.resolve(engine.lastLoad);
  const stop = onProgress ? onModelProgress(onProgress) : undefined;
  const fanOut = (p: LoadProgress): void => progressListeners.forEach((l) => l(p));
  const call = { onProgress: fanOut, ...(signal ? { signal } : {}) };
  loading ??= (async () => {
    const arm = await modelArm();
    if (arm?.applied) {
      try {
        const result = await engine.load(arm.overrides, call);
        noteModelLoad(result);
        return result;
      } catch (err) {
        if (signal?.aborted) throw err;
        // The arm's variant could not load here (e.g. missing from the manifest): shop with the automatic choice.
        noteModelLoad(null, (err as Error).message);
      }
    }
    const result = await engine.load({}, call);
    noteModelLoad(result);
    return result;
  })().catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return stop ? loading.finally(stop) : loading;
}

export function modelReady(): boolean {
  return getEngine().lastLoad !== null;
}

export async function classifyPhoto(pixels: RgbaImage, signal?: AbortSignal): Promise<ClassifyResult> {
  await ensureModel(undefined, signal);
  const result = await getEngine().classify(pixels, { timeoutMs: CLASSIFY_TIMEOUT_MS, ...(signal ? { signal } : {}) });
  void trackModelExposure(result.timings.totalMs);
  return result;
}
