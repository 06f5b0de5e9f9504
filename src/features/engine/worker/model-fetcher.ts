/**
 * How the engine gets a model variant's bytes: one small, replaceable function. The default
 * fetches the file and checks its size and sha256 against the manifest. The delivery feature
 * (resumable, IndexedDB-cached downloads) replaces it inside the worker with setModelFetcher().
 *
 * Contract for a fetcher:
 * - resolve with exactly the file's bytes, already verified against `entry.bytes`/`entry.sha256`
 *   (use verifyModelBytes), or reject with an EngineError ('download' | 'integrity' | 'aborted');
 * - report progress through `onProgress` when it can (loaded/total bytes);
 * - stop promptly and reject with an AbortError when `signal` aborts.
 */
import type { ModelVariant } from '../../../shared/model-manifest.ts';
import { EngineError, abortError } from '../shared/engine-errors.ts';

export interface FetchProgress {
  loadedBytes: number;
  totalBytes: number;
  /** Recent network rate and time left, when the fetcher measures them (the delivery fetcher does). */
  bytesPerSecond?: number;
  etaSeconds?: number;
}

export interface ModelFetchOptions {
  onProgress?: (progress: FetchProgress) => void;
  signal?: AbortSignal;
}

export type ModelFetcher = (url: string, entry: ModelVariant, options: ModelFetchOptions) => Promise<Uint8Array>;

function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Throws an 'integrity' EngineError unless the bytes are the file the manifest describes. */
export async function verifyModelBytes(bytes: Uint8Array, entry: ModelVariant, url: string): Promise<void> {
  if (bytes.byteLength !== entry.bytes) {
    throw new EngineError(
      'integrity',
      `The model file ${url} has ${bytes.byteLength} bytes; its manifest says ${entry.bytes}. The download was cut short or the file was replaced — reload to fetch it again.`,
    );
  }
  const digest = hex(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  if (digest !== entry.sha256) {
    throw new EngineError(
      'integrity',
      `The model file ${url} does not match its manifest (sha256 ${digest.slice(0, 12)}…, expected ${entry.sha256.slice(0, 12)}…). Reload to fetch it again; if it persists the published model is inconsistent.`,
    );
  }
}

/** Plain fetch with progress, then size + sha256 check. */
export const defaultModelFetcher: ModelFetcher = async (url, entry, { onProgress, signal } = {}) => {
  let res: Response;
  try {
    res = await fetch(url, signal ? { signal } : {});
  } catch (err) {
    if (signal?.aborted) throw abortError(signal.reason);
    throw new EngineError('download', `Could not download the model ${url} (${(err as Error).message}). Check the connection and try again.`);
  }
  if (!res.ok) {
    throw new EngineError('download', `Downloading the model ${url} failed with HTTP ${res.status}. Is the model published at that address?`);
  }
  const total = entry.bytes;
  const out = new Uint8Array(total);
  let loaded = 0;
  const reader = res.body?.getReader();
  if (!reader) {
    const whole = new Uint8Array(await res.arrayBuffer());
    await verifyModelBytes(whole, entry, url);
    onProgress?.({ loadedBytes: whole.byteLength, totalBytes: total });
    return whole;
  }
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (loaded + value.byteLength > total) {
        throw new EngineError('integrity', `The model file ${url} is larger than the ${total} bytes its manifest says. Reload to fetch it again.`);
      }
      out.set(value, loaded);
      loaded += value.byteLength;
      onProgress?.({ loadedBytes: loaded, totalBytes: total });
    }
  } catch (err) {
    if (signal?.aborted) throw abortError(signal.reason);
    if (err instanceof EngineError) throw err;
    throw new EngineError('download', `The model download ${url} broke off after ${loaded} of ${total} bytes (${(err as Error).message}). Try again.`);
  }
  const bytes = loaded === total ? out : out.subarray(0, loaded);
  await verifyModelBytes(bytes, entry, url);
  return bytes;
};

let current: ModelFetcher = defaultModelFetcher;

/** Plug in another fetcher (e.g. the resumable IndexedDB cache). Pass nothing to restore the default. */
export function setModelFetcher(fetcher?: ModelFetcher): void {
  current = fetcher ?? defaultModelFetcher;
}

export function getModelFetcher(): ModelFetcher {
  return current;
}
