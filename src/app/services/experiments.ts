/**
 * The app's one ExperimentsClient (bundled experiments.json), shared by the features under test:
 * recommendation rows (ranking-weights-1) and the model load (model-precision-1). Experiments are
 * an extra: when they cannot run (no IndexedDB, or a page that is not secure, so no Web Crypto for
 * the assignment) this resolves null and every feature behaves as it would without an arm.
 */
import { ExperimentsClient } from '../../features/experiments/client/experiments-client.ts';

/** Ranks "you may also like" with the arm's preset (balanced vs visual). */
export const RANKING_EXPERIMENT = 'ranking-weights-1';
/** Loads the model variant the arm names (int8 vs fp16). */
export const MODEL_EXPERIMENT = 'model-precision-1';

let opening: Promise<ExperimentsClient | null> | undefined;

export function appExperiments(): Promise<ExperimentsClient | null> {
  opening ??= (async () => {
    if (typeof window !== 'undefined' && !window.isSecureContext) return null;
    try {
      const client = await ExperimentsClient.open();
      // Counts leave only with the shopper's consent and a configured collector (checked inside).
      client.exportOnPageHide();
      return client;
    } catch (err) {
      console.warn(`Experiments unavailable: ${(err as Error).message}`);
      return null;
    }
  })();
  return opening;
}

/** Closes the app's client (before "delete everything"); the next use opens a fresh one. */
export async function closeAppExperiments(): Promise<void> {
  const client = await opening?.catch(() => null);
  opening = undefined;
  client?.close();
}
