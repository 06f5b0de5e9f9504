/**
 * Errors a download or the store can raise. `code` lets callers (the engine, the UI) decide what to
 * do; `message` is written for the person reading it.
 */
export type DeliveryErrorCode =
  /** The caller aborted (pause or cancel); stored chunks are kept unless the caller discards them. */
  | 'aborted'
  /** Data Saver is on and the person did not agree to a large download. */
  | 'declined'
  /** The server answered with a status that retrying will not fix (404, 403, …). */
  | 'http'
  /** The connection kept failing (offline, 5xx, dropped) past the retry budget. */
  | 'network'
  /** The bytes do not match the sha256 the manifest promises. */
  | 'integrity'
  /** The server's file is not the size the manifest promises (manifest and file out of step). */
  | 'size-mismatch'
  /** The file kept changing on the server while it was downloaded. */
  | 'changed'
  /** Browser storage is full and nothing could be evicted. */
  | 'quota';

export class DeliveryError extends Error {
  override name = 'DeliveryError';
  readonly code: DeliveryErrorCode;
  constructor(code: DeliveryErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isDeliveryError(err: unknown, code?: DeliveryErrorCode): err is DeliveryError {
  return err instanceof DeliveryError && (code === undefined || err.code === code);
}

/** Storage quota errors surface as a thrown DOMException or as a transaction's abort error. */
export function isQuotaError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const name = (err as { name?: unknown }).name;
  if (name === 'QuotaExceededError') return true;
  const inner = (err as { cause?: unknown; error?: unknown }).cause ?? (err as { error?: unknown }).error;
  return inner !== undefined && inner !== err && isQuotaError(inner);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB`;
}
