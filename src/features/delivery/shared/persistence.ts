/**
 * The browser's storage estimate and persistence request. Kept apart from the store itself so the
 * app shell can ask for persistence without loading IndexedDB code.
 */
export interface StorageEstimateInfo {
  usage?: number;
  quota?: number;
  persisted?: boolean;
}

/** `navigator.storage.estimate()` plus whether storage is persistent, where the browser has them. */
export async function storageEstimate(): Promise<StorageEstimateInfo> {
  const storage = typeof navigator !== 'undefined' ? navigator.storage : undefined;
  const info: StorageEstimateInfo = {};
  if (storage?.estimate) {
    const e = await storage.estimate();
    if (e.usage !== undefined) info.usage = e.usage;
    if (e.quota !== undefined) info.quota = e.quota;
  }
  if (storage?.persisted) info.persisted = await storage.persisted();
  return info;
}

/** Asks the browser not to evict our storage under pressure. Returns whether it is now persistent. */
export async function requestPersistentStorage(): Promise<boolean> {
  const storage = typeof navigator !== 'undefined' ? navigator.storage : undefined;
  if (!storage?.persist) return false;
  if (storage.persisted && (await storage.persisted())) return true;
  try {
    return await storage.persist();
  } catch {
    return false;
  }
}
