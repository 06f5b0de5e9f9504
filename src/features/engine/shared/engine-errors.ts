/**
 * The engine's typed errors and how any failure becomes one. Shared by the worker (which throws
 * them), the bridge (which raises timeout/crash/abort) and tests. Every message says what went
 * wrong and what the person can do about it.
 */
import { transferHandlers, type TransferHandler } from 'comlink';
import type { EngineErrorCode } from './engine-api.ts';

export class EngineError extends Error {
  override name = 'EngineError';
  readonly code: EngineErrorCode;

  constructor(code: EngineErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isEngineError(err: unknown): err is EngineError {
  return err instanceof EngineError || (err instanceof Error && err.name === 'EngineError' && typeof (err as { code?: unknown }).code === 'string');
}

/** The DOMException an aborted call rejects with (what `fetch` and friends do). */
export function abortError(reason?: unknown): DOMException {
  if (reason instanceof DOMException && reason.name === 'AbortError') return reason;
  const why = reason instanceof Error ? `: ${reason.message}` : typeof reason === 'string' ? `: ${reason}` : '';
  return new DOMException(`The engine call was aborted${why}.`, 'AbortError');
}

export function isAbortError(err: unknown): boolean {
  return (err instanceof DOMException || err instanceof Error) && err.name === 'AbortError';
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  if (typeof err === 'number') {
    // onnxruntime-web sometimes rejects with a raw WASM pointer/abort code.
    return `the ONNX runtime aborted (code ${err})`;
  }
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}

/**
 * Maps anything thrown into an EngineError. `fallback` is the code to use when the error does not
 * say more (e.g. 'inference' while running, 'session-create' while loading), `doing` names the
 * step for the message ("creating the WebGPU session").
 */
export function toEngineError(err: unknown, fallback: EngineErrorCode, doing: string): EngineError {
  if (isEngineError(err)) return err;
  if (isAbortError(err)) return new EngineError('aborted', `Stopped while ${doing}: the call was aborted.`, { cause: err });
  const msg = messageOf(err);
  const name = err instanceof Error ? err.name : '';
  if (name === 'ManifestError') return new EngineError('manifest', msg, { cause: err });
  if (name === 'PreprocessError' || name === 'InvalidStateError' || name === 'EncodingError') {
    return new EngineError('bad-image', `The image could not be used: ${msg} Try another photo (JPEG, PNG or WebP).`, { cause: err });
  }
  if (name === 'ModelOutputError') return new EngineError('manifest', msg, { cause: err });
  if (/out of memory|memory access out of bounds|Aborted\(OOM\)|Cannot enlarge memory/i.test(msg)) {
    return new EngineError(
      fallback,
      `Ran out of memory while ${doing} (${msg}). Close other tabs or choose a smaller variant (?variant=int8).`,
      { cause: err },
    );
  }
  if (/device (was )?lost|GPUDevice.*lost|device is lost/i.test(msg)) {
    return new EngineError('device-lost', `The GPU device was lost while ${doing} (${msg}). The engine will use WASM.`, { cause: err });
  }
  if (name === 'TypeError' && /fetch/i.test(msg)) {
    return new EngineError('download', `Could not download while ${doing} (${msg}). Check the connection and try again.`, { cause: err });
  }
  return new EngineError(fallback, `Failed while ${doing}: ${msg}`, { cause: err });
}

interface SerializedError {
  isError: true;
  name: string;
  message: string;
  code?: string;
  stack?: string;
}
type SerializedThrow = SerializedError | { isError: false; value: unknown };

/** Carries `code` (and the error class) across the boundary; comlink's default keeps name/message/stack only. */
function serializeThrown(value: unknown): SerializedThrow {
  if (value instanceof Error || value instanceof DOMException) {
    const code = (value as { code?: unknown }).code;
    return {
      isError: true,
      name: value.name,
      message: value.message,
      ...(typeof code === 'string' ? { code } : {}),
      ...(value.stack ? { stack: value.stack } : {}),
    };
  }
  return { isError: false, value };
}

/** Rebuilds EngineError and AbortError (as a DOMException) so a typed error thrown in the worker arrives typed. */
function deserializeThrown(serialized: SerializedThrow): never {
  if (!serialized.isError) throw serialized.value;
  if (serialized.name === 'AbortError') throw new DOMException(serialized.message, 'AbortError');
  if (serialized.name === 'EngineError' && serialized.code) {
    throw new EngineError(serialized.code as EngineErrorCode, serialized.message);
  }
  const err = new Error(serialized.message);
  err.name = serialized.name;
  if (serialized.code) Object.assign(err, { code: serialized.code });
  throw err;
}

/**
 * Replaces comlink's "throw" transfer handler (comlink wraps thrown values as
 * `{ value, [throwMarker]: 0 }` and looks that handler up by name). Must be installed on both
 * sides: the worker entry and the bridge call this.
 */
export function installErrorTransfer(): void {
  const original = transferHandlers.get('throw');
  if (!original || (original as { __drishti?: boolean }).__drishti) return;
  const handler: TransferHandler<unknown, unknown> & { __drishti: true } = {
    __drishti: true,
    canHandle: original.canHandle,
    serialize: (thrown) => [serializeThrown((thrown as { value: unknown }).value), []],
    deserialize: (serialized) => deserializeThrown(serialized as SerializedThrow),
  };
  transferHandlers.set('throw', handler);
}
