/**
 * Catalogue pack files through the delivery layer: every file a pack.json lists is downloaded
 * resumably, verified and kept in IndexedDB, and the pack version (kind "pack", id = the pack.json
 * URL, version = sha256 of that pack.json) becomes active only once all its files are complete.
 * Offline, or when the server cannot be reached, the active stored version is read instead.
 * Installed in the worker with setPackSourceFactory (src/features/catalogue/worker/catalogue-store.ts).
 */
import { MANIFEST_FILE, parsePackManifest, type PackFileEntry, type PackManifest } from '../../catalogue/shared/pack-format.ts';
import { httpPackSource, type PackFileSource } from '../../catalogue/shared/pack-reader.ts';
import type { DeliveryStorage } from '../shared/delivery-storage.ts';
import { downloadResumable, type DownloadOptions } from '../shared/download-resumable.ts';
import { isDeliveryError } from '../shared/errors.ts';
import { sha256Hex } from '../shared/sha256.ts';
import { IncompleteAssetError, type AssetFile } from '../shared/storage-types.ts';

export interface PackSourceOptions {
  download?: Pick<DownloadOptions, 'retry' | 'fetch' | 'progressIntervalMs'>;
  /** Defaults to `navigator.onLine`; tests pass their own. */
  isOnline?: () => boolean;
  fetch?: typeof fetch;
}

export function createDeliveryPackSourceFactory(getStorage: () => Promise<DeliveryStorage>, options: PackSourceOptions = {}): (packJsonUrl: string) => PackFileSource {
  const pins = new Map<string, () => void>();
  const isOnline = options.isOnline ?? (() => typeof navigator === 'undefined' || navigator.onLine !== false);
  const fetchImpl = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  return (packJsonUrl) => {
    let manifest: PackManifest | undefined;
    let version: string | undefined;

    const readManifest = async (storage: DeliveryStorage, maxBytes: number): Promise<Uint8Array> => {
      const stored = await storedManifest(storage, packJsonUrl);
      if (stored && !isOnline()) return useStored(stored);
      let bytes: Uint8Array;
      try {
        const res = await fetchImpl(packJsonUrl, { cache: 'no-cache' });
        if (!res.ok) throw new Error(`${packJsonUrl} answered HTTP ${res.status}`);
        bytes = new Uint8Array(await res.arrayBuffer());
      } catch (err) {
        if (stored) return useStored(stored);
        throw err;
      }
      if (bytes.byteLength > maxBytes) return bytes; // the reader rejects it with its own message
      const sha256 = await sha256Hex(bytes);
      await storeWhole(storage, packJsonUrl, sha256, bytes);
      manifest = tryParse(bytes, packJsonUrl);
      version = sha256;
      const files: AssetFile[] = [{ name: MANIFEST_FILE, sha256, bytes: bytes.byteLength }];
      for (const f of packFiles(manifest)) files.push({ name: f.path, sha256: f.sha256, bytes: f.bytes });
      await storage.putAsset('pack', packJsonUrl, sha256, files);
      return bytes;
    };

    const useStored = (stored: { bytes: Uint8Array; version: string }): Uint8Array => {
      manifest = tryParse(stored.bytes, packJsonUrl);
      version = stored.version;
      return stored.bytes;
    };

    return async (path, maxBytes) => {
      const storage = await getStorage();
      if (path === MANIFEST_FILE) return readManifest(storage, maxBytes);
      const entry = packFiles(manifest).find((f) => f.path === path);
      if (!entry || !version) throw new Error(`${path} is not listed in ${packJsonUrl}.`);
      const downloadOptions: DownloadOptions = { ...options.download, storage, saveData: { confirm: () => storage.largeDownloadsAllowed() } };
      let data: Uint8Array;
      try {
        ({ data } = await downloadResumable({ url: new URL(path, packJsonUrl).href, bytes: entry.bytes, sha256: entry.sha256 }, downloadOptions));
      } catch (err) {
        // A file that is not what pack.json says: hand the raw bytes to the pack reader, whose
        // checks name the fault precisely (truncated, tampered); nothing of it is stored.
        if (isDeliveryError(err, 'integrity') || isDeliveryError(err, 'size-mismatch')) return httpPackSource(packJsonUrl)(path, maxBytes);
        throw err;
      }
      try {
        await storage.activate('pack', packJsonUrl, version);
        pins.get(packJsonUrl)?.();
        pins.set(packJsonUrl, await storage.use('pack', packJsonUrl, version));
      } catch (err) {
        if (!(err instanceof IncompleteAssetError)) throw err; // other files still to come
      }
      return data;
    };
  };
}

function packFiles(manifest: PackManifest | undefined): PackFileEntry[] {
  if (!manifest) return [];
  return Object.values(manifest.files).filter((f): f is PackFileEntry => f !== undefined);
}

function tryParse(bytes: Uint8Array, source: string): PackManifest | undefined {
  try {
    return parsePackManifest(JSON.parse(new TextDecoder().decode(bytes)), source);
  } catch {
    return undefined; // readPack parses it again and reports the problem properly
  }
}

async function storedManifest(storage: DeliveryStorage, packJsonUrl: string): Promise<{ bytes: Uint8Array; version: string } | undefined> {
  const active = await storage.getActive('pack', packJsonUrl);
  if (!active) return undefined;
  const asset = await storage.getAsset('pack', packJsonUrl, active.version);
  const file = asset?.files.find((f) => f.name === MANIFEST_FILE);
  if (!file) return undefined;
  try {
    return { bytes: await storage.readFile(file.sha256), version: active.version };
  } catch {
    return undefined;
  }
}

async function storeWhole(storage: DeliveryStorage, url: string, sha256: string, bytes: Uint8Array): Promise<void> {
  const existing = await storage.getFile(sha256);
  if (existing?.complete) return;
  await storage.beginFile({ sha256, url, bytes: bytes.byteLength, chunkSize: Math.max(1, bytes.byteLength) });
  await storage.putChunk(sha256, 0, bytes);
  await storage.completeFile(sha256);
}
