/** The delivery layer's public surface: one downloader and the storage it fills. */
export { computeChunkHashes, DEFAULT_CHUNK_SIZE } from './chunk-hashes.ts';
export {
  DeliveryStorage,
  openDeliveryStorage,
  requestPersistentStorage,
  storageEstimate,
  type StorageSummary,
  type StorageEstimateInfo,
} from './delivery-storage.ts';
export { downloadResumable, type DownloadOptions, type DownloadProgress, type DownloadResult, type DownloadStats } from './download-resumable.ts';
export { DeliveryError, isDeliveryError, type DeliveryErrorCode } from './errors.ts';
export { fileEntryForVariant, type FileEntry } from './file-entry.ts';
export { sha256Hex } from './sha256.ts';
