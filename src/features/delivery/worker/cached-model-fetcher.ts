/**
 * The engine's ModelFetcher backed by the delivery layer: a model variant is downloaded once
 * (resumably, verified chunk by chunk), kept in IndexedDB, and loaded from there on every later
 * visit — offline included. Installed in the worker with installCachedModelFetcher().
 *
 * The fetcher is told only the variant's URL and manifest entry, so each variant is stored as a
 * "slot" — kind "model", id = the variant URL without its file name plus the variant name,
 * version = its sha256 — and a new file for a slot becomes active only once it is complete and
 * verified. The slot in use is pinned so storage pressure never evicts the model that is loaded.
 */
import type { ModelVariant } from '../../../shared/model-manifest.ts';
import { EngineError, abortError } from '../../engine/shared/engine-errors.ts';
import type { FetchProgress, ModelFetcher } from '../../engine/worker/model-fetcher.ts';
import { openDeliveryStorage, type DeliveryStorage } from '../shared/delivery-storage.ts';
import { downloadResumable, type DownloadOptions, type DownloadProgress } from '../shared/download-resumable.ts';
import { isDeliveryError } from '../shared/errors.ts';
import type { FileEntry } from '../shared/file-entry.ts';

/** What the engine's progress callback receives; rate and ETA ride along for UIs that show them. */
export interface ModelDownloadProgress extends FetchProgress {
  bytesPerSecond: number;
  etaSeconds: number | undefined;
  phase: DownloadProgress['phase'];
  resumedFromBytes: number;
}

export interface CachedFetcherOptions {
  storage?: () => Promise<DeliveryStorage>;
  /** Extra downloader options (retry policy, fetch) — tests use these. */
  download?: Pick<DownloadOptions, 'retry' | 'fetch' | 'saveData' | 'progressIntervalMs'>;
}

export function modelSlot(url: string, variant: ModelVariant): { id: string; version: string } {
  return { id: `${new URL('.', url).href}#${variant.name}`, version: variant.sha256 };
}

export function createCachedModelFetcher(options: CachedFetcherOptions = {}): ModelFetcher & { allowLargeDownloads(allow: boolean): void } {
  let storagePromise: Promise<DeliveryStorage> | undefined;
  const getStorage = options.storage ?? (() => (storagePromise ??= openDeliveryStorage()));
  const pins = new Map<string, () => void>();
  let largeAllowed = false;

  const fetcher = async (url: string, variant: ModelVariant, { onProgress, signal }: { onProgress?: (p: FetchProgress) => void; signal?: AbortSignal } = {}): Promise<Uint8Array> => {
    const storage = await getStorage();
    const slot = modelSlot(url, variant);
    const entry: FileEntry = { url, bytes: variant.bytes, sha256: variant.sha256 };
    if (variant.chunks) entry.chunks = variant.chunks;
    await storage.putAsset('model', slot.id, slot.version, [{ name: variant.name, sha256: variant.sha256, bytes: variant.bytes }]);
    const downloadOptions: DownloadOptions = {
      ...options.download,
      storage,
      // Under Data Saver, go ahead only if the person agreed (in this worker, or remembered in storage).
      saveData: { ...options.download?.saveData, confirm: options.download?.saveData?.confirm ?? (async () => largeAllowed || (await storage.largeDownloadsAllowed())) },
      onProgress: (p) => {
        const progress: ModelDownloadProgress = {
          loadedBytes: p.loaded,
          totalBytes: p.total,
          bytesPerSecond: p.bytesPerSecond,
          etaSeconds: p.etaSeconds,
          phase: p.phase,
          resumedFromBytes: p.resumedFrom,
        };
        onProgress?.(progress);
      },
    };
    if (signal) downloadOptions.signal = signal;
    let data: Uint8Array;
    try {
      data = (await downloadResumable(entry, downloadOptions)).data;
      // Only now, complete and verified, does this file replace the slot's previous one.
      await storage.activate('model', slot.id, slot.version);
    } catch (err) {
      throw toEngineError(err, url, signal);
    }
    pins.get(slot.id)?.();
    pins.set(slot.id, await storage.use('model', slot.id, slot.version));
    return data;
  };
  return Object.assign(fetcher, {
    /** The person agreed to large downloads even with Data Saver on (a button in the UI). */
    allowLargeDownloads(allow: boolean) {
      largeAllowed = allow;
    },
  });
}

function toEngineError(err: unknown, url: string, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted || isDeliveryError(err, 'aborted')) return abortError(signal?.reason);
  if (isDeliveryError(err)) {
    const code = err.code === 'integrity' || err.code === 'size-mismatch' || err.code === 'changed' ? 'integrity' : 'download';
    return new EngineError(code, err.message, { cause: err });
  }
  return new EngineError('download', `Could not download the model ${url}: ${(err as Error).message ?? String(err)}`, { cause: err });
}
