/**
 * One downloader for every model and catalogue file: HTTP Range requests over the chunks still
 * missing, each chunk verified (when the manifest lists chunk hashes) and stored as it completes,
 * the whole file verified at the end. Survives dropped connections (resumes inside the chunk it
 * was in), reloads and closed tabs (chunks are in IndexedDB), servers that ignore Range, and a file
 * replaced on the server mid-way (its chunks are thrown away, never spliced with the new ones).
 */
import { DEFAULT_RETRY, backoffDelayMs, retryAfterMs, sleep, type RetryPolicy } from './backoff.ts';
import { DEFAULT_CHUNK_SIZE } from './chunk-hashes.ts';
import { DeliveryStorage } from './delivery-storage.ts';
import { DeliveryError, formatBytes, isDeliveryError } from './errors.ts';
import { chunkCount, chunkRange, type FileEntry } from './file-entry.ts';
import { MemoryBackend } from './memory-backend.ts';
import { RateMeter } from './rate-meter.ts';
import { sha256Hex } from './sha256.ts';

export type DownloadPhase = 'checking' | 'downloading' | 'retrying' | 'verifying' | 'done';

export interface DownloadProgress {
  url: string;
  phase: DownloadPhase;
  /** Bytes of the file on the device so far (stored chunks plus the chunk in flight). */
  loaded: number;
  total: number;
  /** Bytes that were already stored when this call began (a resumed download). */
  resumedFrom: number;
  /** Bytes received over the network by this call, including any that had to be thrown away. */
  transferred: number;
  /** Recent network rate; 0 until there is something to measure. */
  bytesPerSecond: number;
  /** Seconds left at the recent rate; undefined while the rate is unknown. */
  etaSeconds: number | undefined;
  /** While retrying: how long until the next attempt, and which attempt it will be. */
  retryInMs?: number;
  failures?: number;
}

export interface DownloadStats {
  /** Served from storage without any network request. */
  fromCache: boolean;
  resumedFrom: number;
  /** Response-body bytes received by this call. */
  transferred: number;
  requests: number;
  retries: number;
  /** Chunks that failed their hash and were fetched again. */
  badChunks: number;
  /** Times everything stored was discarded and the download began again (file changed on the server). */
  restarts: number;
  ms: number;
}

export interface DownloadResult {
  data: Uint8Array;
  stats: DownloadStats;
}

export interface SaveDataOptions {
  /** Whether Data Saver is on; defaults to `navigator.connection.saveData`. */
  enabled?: boolean;
  /** Downloads needing at least this many bytes ask first (default 1 MB). */
  thresholdBytes?: number;
  /** Asks the person; resolve true to go ahead. Without it, large downloads under Data Saver are declined. */
  confirm?: (request: { url: string; bytes: number; total: number }) => boolean | Promise<boolean>;
}

export interface DownloadOptions {
  /** Where chunks are kept; default: memory for this call only (nothing survives a reload). */
  storage?: DeliveryStorage;
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  /** Chunk size when the entry lists no chunk hashes (default 1 MiB). */
  chunkSize?: number;
  retry?: Partial<RetryPolicy>;
  saveData?: SaveDataOptions;
  /** How many times a file that changed on the server may make the download start over (default 2). */
  maxRestarts?: number;
  /** Minimum time between progress events while bytes flow (default 100 ms). */
  progressIntervalMs?: number;
  fetch?: typeof fetch;
  random?: () => number;
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
const MAX_BAD_CHUNK_REPEATS = 3;

/** A failure worth retrying (network error, truncated body, 5xx); `retryAfterMs` from the server if it said. */
class RetryableFailure extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export async function downloadResumable(entry: FileEntry, options: DownloadOptions = {}): Promise<DownloadResult> {
  validateEntry(entry);
  const storage = options.storage ?? new DeliveryStorage(new MemoryBackend());
  const release = storage.holdFile(entry.sha256);
  try {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    if (!locks) return await new Download(entry, storage, options).run();
    // Two tabs downloading the same file would fight over its chunks; the second waits for the first.
    const lockOptions: LockOptions = options.signal ? { signal: options.signal } : {};
    return await locks.request(`drishti-download:${entry.sha256}`, lockOptions, () => new Download(entry, storage, options).run());
  } catch (err) {
    throw toDeliveryError(err, options.signal, entry);
  } finally {
    release();
  }
}

interface Tail {
  index: number;
  buf: Uint8Array;
  filled: number;
}

class Download {
  private readonly chunkSize: number;
  private readonly n: number;
  private readonly retry: RetryPolicy;
  private readonly fetchImpl: typeof fetch;
  private readonly meter = new RateMeter();
  private readonly started = Date.now();
  private have = new Set<number>();
  private storedBytes = 0;
  private tail: Tail | undefined;
  private validator: string | undefined;
  private lastEmit = 0;
  private readonly badCounts = new Map<number, number>();
  private readonly stats: DownloadStats = {
    fromCache: false,
    resumedFrom: 0,
    transferred: 0,
    requests: 0,
    retries: 0,
    badChunks: 0,
    restarts: 0,
    ms: 0,
  };

  constructor(
    private readonly entry: FileEntry,
    private readonly storage: DeliveryStorage,
    private readonly options: DownloadOptions,
  ) {
    this.chunkSize = entry.chunks?.size ?? options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    this.n = chunkCount(entry.bytes, this.chunkSize);
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.fetchImpl = options.fetch ?? fetch.bind(globalThis);
  }

  async run(): Promise<DownloadResult> {
    const { entry, storage } = this;
    this.emit('checking', true);
    const file = await storage.beginFile({ sha256: entry.sha256, url: entry.url, bytes: entry.bytes, chunkSize: this.chunkSize });
    if (file.complete) {
      const data = await storage.readFile(entry.sha256);
      if ((await sha256Hex(data)) === entry.sha256) {
        await storage.updateFile(entry.sha256, { lastUsedAt: Date.now() });
        this.stats.fromCache = true;
        return this.finish(data);
      }
      // Storage handed back different bytes (disk trouble, a bug): drop them and fetch again.
      await storage.deleteFile(entry.sha256);
      await storage.beginFile({ sha256: entry.sha256, url: entry.url, bytes: entry.bytes, chunkSize: this.chunkSize });
    } else {
      this.validator = file.validator;
      for (const i of await storage.chunkIndexes(entry.sha256)) if (i < this.n) this.markStored(i);
      this.stats.resumedFrom = this.storedBytes;
    }
    await this.askAboutDataSaver();

    for (;;) {
      await this.fetchMissingChunks();
      this.emit('verifying', true);
      const data = await storage.readFile(entry.sha256);
      if ((await sha256Hex(data)) === entry.sha256) {
        await storage.completeFile(entry.sha256);
        return this.finish(data);
      }
      if (entry.chunks) {
        // Every chunk matched its hash yet the whole does not: the manifest contradicts itself.
        await storage.deleteFile(entry.sha256);
        throw new DeliveryError('integrity', `${entry.url}: the chunk hashes and the file hash in the manifest disagree; the manifest needs rebuilding.`);
      }
      // Without chunk hashes a bad byte can be anywhere: start over once from a clean slate.
      await this.restart(this.validator, 'integrity');
    }
  }

  private finish(data: Uint8Array): DownloadResult {
    this.stats.ms = Date.now() - this.started;
    this.emit('done', true);
    return { data, stats: { ...this.stats } };
  }

  private markStored(i: number): void {
    if (this.have.has(i)) return;
    this.have.add(i);
    const { start, end } = chunkRange(i, this.chunkSize, this.entry.bytes);
    this.storedBytes += end - start;
  }

  private async askAboutDataSaver(): Promise<void> {
    const opts = this.options.saveData ?? {};
    const connection = typeof navigator !== 'undefined' ? (navigator as Navigator & { connection?: { saveData?: boolean } }).connection : undefined;
    const enabled = opts.enabled ?? connection?.saveData ?? false;
    const remaining = this.entry.bytes - this.storedBytes;
    if (!enabled || remaining < (opts.thresholdBytes ?? 1_000_000)) return;
    const ok = opts.confirm ? await opts.confirm({ url: this.entry.url, bytes: remaining, total: this.entry.bytes }) : false;
    if (!ok) {
      throw new DeliveryError('declined', `Data Saver is on, so the ${formatBytes(remaining)} download was not started. Choose "Download anyway" to get it.`);
    }
  }

  /** Discards everything stored for this file (it changed on the server, or failed verification). */
  private async restart(newValidator: string | undefined, why: 'changed' | 'integrity'): Promise<void> {
    this.stats.restarts++;
    // A file that changed on the server may settle; bytes that fail the hash twice will not.
    const limit = why === 'changed' ? (this.options.maxRestarts ?? 2) : 1;
    if (this.stats.restarts > limit) {
      await this.storage.deleteChunks(this.entry.sha256);
      throw why === 'changed'
        ? new DeliveryError('changed', `${this.entry.url} kept changing on the server while it was downloaded; try again later.`)
        : new DeliveryError('integrity', `${this.entry.url} does not match its manifest (sha256 differs after ${limit + 1} downloads): the file on the server is not the one the manifest describes. Reload later; if it persists the published model or catalogue is inconsistent.`);
    }
    await this.storage.deleteChunks(this.entry.sha256);
    this.have.clear();
    this.storedBytes = 0;
    this.tail = undefined;
    this.validator = newValidator;
    await this.storage.updateFile(this.entry.sha256, { validator: newValidator, complete: false });
  }

  private async fetchMissingChunks(): Promise<void> {
    let failures = 0;
    while (this.have.size < this.n) {
      this.options.signal?.throwIfAborted();
      const before = this.stats.transferred + this.storedBytes;
      try {
        await this.fetchOneRun();
        failures = 0;
      } catch (err) {
        if (this.options.signal?.aborted || (isDeliveryError(err) && err.code !== 'network')) throw err;
        if (!(err instanceof RetryableFailure) && !(err instanceof TypeError)) throw err;
        const progressed = this.stats.transferred + this.storedBytes > before;
        failures = progressed ? 1 : failures + 1;
        if (failures > this.retry.maxConsecutiveFailures) {
          throw new DeliveryError(
            'network',
            `Could not download ${this.entry.url}: ${err.message} (${failures} attempts in a row without progress). ` +
              `${formatBytes(this.storedBytes)} of ${formatBytes(this.entry.bytes)} are saved; it will continue from there.`,
            { cause: err },
          );
        }
        this.stats.retries++;
        const delay = Math.min(
          this.retry.maxDelayMs,
          (err instanceof RetryableFailure ? err.retryAfterMs : undefined) ?? backoffDelayMs(failures, this.retry, this.options.random),
        );
        this.emit('retrying', true, { retryInMs: Math.round(delay), failures });
        await waitUntilOnline(this.options.signal);
        await sleep(delay, this.options.signal);
      }
    }
  }

  /** One request covering the first run of missing chunks (resuming inside a part-received chunk). */
  private async fetchOneRun(): Promise<void> {
    const { entry, chunkSize } = this;
    let first = 0;
    while (this.have.has(first)) first++;
    let last = first;
    while (last + 1 < this.n && !this.have.has(last + 1)) last++;
    const runStart = chunkRange(first, chunkSize, entry.bytes).start;
    const start = runStart + (this.tail?.index === first ? this.tail.filled : 0);
    const end = chunkRange(last, chunkSize, entry.bytes).end;

    const headers = new Headers({ Range: `bytes=${start}-${end - 1}` });
    // If-Range needs a strong validator; with a weak one the server would always send 200.
    if (this.validator && !this.validator.startsWith('W/')) headers.set('If-Range', this.validator);
    this.emit('downloading', true);
    this.stats.requests++;
    const init: RequestInit = { headers, cache: 'no-store' };
    if (this.options.signal) init.signal = this.options.signal;
    const res = await this.fetchImpl(entry.url, init);
    const validator = validatorOf(res);

    if (res.status === 206) {
      const range = parseContentRange(res.headers.get('Content-Range'));
      if (this.validator && validator && validator !== this.validator) {
        await res.body?.cancel();
        await this.restart(validator, 'changed');
        return;
      }
      if (!range || range.start !== start) {
        await res.body?.cancel();
        throw new RetryableFailure(`the server answered a different range (${res.headers.get('Content-Range') ?? 'none'}) than asked`);
      }
      if (range.total !== undefined && range.total !== entry.bytes) {
        await res.body?.cancel();
        return this.sizeMismatch(range.total, validator);
      }
      await this.adoptValidator(validator);
      await this.consume(res, start, Math.min(end, range.end + 1));
      return;
    }
    if (res.status === 200) {
      const length = Number(res.headers.get('Content-Length') ?? NaN);
      if (this.validator && validator && validator !== this.validator) {
        // If-Range (or our own check) says the file changed: this 200 is the new file from byte 0.
        await this.restart(validator, 'changed');
      } else if (this.tail) {
        // The server ignores Range and sends everything again; the body re-supplies the tail's bytes.
        this.tail = undefined;
      }
      if (Number.isFinite(length) && length !== entry.bytes) {
        await res.body?.cancel();
        return this.sizeMismatch(length, validator);
      }
      await this.adoptValidator(validator);
      await this.consume(res, 0, entry.bytes);
      return;
    }
    await res.body?.cancel().catch(() => undefined);
    if (res.status === 416) {
      // The file is shorter than we think: it changed (or the manifest is wrong). Start over once.
      await this.restart(validator, 'changed');
      return;
    }
    if (RETRYABLE_STATUS.has(res.status)) {
      throw new RetryableFailure(`the server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`, retryAfterMs(res.headers.get('Retry-After')));
    }
    throw new DeliveryError('http', `Could not download ${entry.url}: the server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`);
  }

  private async sizeMismatch(serverBytes: number, validator: string | undefined): Promise<void> {
    if (this.validator && validator && validator !== this.validator) {
      await this.restart(validator, 'changed');
      return;
    }
    throw new DeliveryError(
      'size-mismatch',
      `${this.entry.url} is ${serverBytes} bytes on the server but the manifest expects ${this.entry.bytes}: the manifest and the file are out of step.`,
    );
  }

  private async adoptValidator(validator: string | undefined): Promise<void> {
    if (!validator || validator === this.validator) return;
    this.validator = validator;
    await this.storage.updateFile(this.entry.sha256, { validator });
  }

  /** Reads a body that starts at file offset `from`, filling, verifying and storing chunks up to `to`. */
  private async consume(res: Response, from: number, to: number): Promise<void> {
    if (!res.body) throw new RetryableFailure('the response had no body');
    const reader = res.body.getReader();
    let pos = from;
    try {
      while (pos < to) {
        const { done, value } = await reader.read();
        if (done) break;
        this.stats.transferred += value.byteLength;
        this.meter.add(value.byteLength);
        let off = 0;
        while (off < value.byteLength && pos < to) {
          const index = Math.floor(pos / this.chunkSize);
          const { start: cStart, end: cEnd } = chunkRange(index, this.chunkSize, this.entry.bytes);
          const take = Math.min(value.byteLength - off, cEnd - pos, to - pos);
          if (this.have.has(index) || (this.tail?.index !== index && pos !== cStart)) {
            // Already stored (a server that ignores Range sends it again), or the middle of a chunk we hold no start of.
            pos += take;
            off += take;
            continue;
          }
          if (this.tail?.index !== index) this.tail = { index, buf: new Uint8Array(cEnd - cStart), filled: 0 };
          const tail = this.tail;
          tail.buf.set(value.subarray(off, off + take), tail.filled);
          tail.filled += take;
          pos += take;
          off += take;
          if (tail.filled === tail.buf.byteLength) {
            this.tail = undefined;
            await this.finishChunk(index, tail.buf);
          }
        }
        this.emit('downloading', false);
      }
    } finally {
      if (pos < to) await reader.cancel().catch(() => undefined);
      else reader.releaseLock();
    }
    if (pos < to) throw new RetryableFailure(`the connection closed after ${formatBytes(pos - from)} of ${formatBytes(to - from)}`);
  }

  private async finishChunk(index: number, bytes: Uint8Array): Promise<void> {
    const expected = this.entry.chunks?.sha256[index];
    if (expected !== undefined && (await sha256Hex(bytes)) !== expected) {
      this.stats.badChunks++;
      const repeats = (this.badCounts.get(index) ?? 0) + 1;
      this.badCounts.set(index, repeats);
      if (repeats >= MAX_BAD_CHUNK_REPEATS) {
        throw new DeliveryError('integrity', `Chunk ${index + 1} of ${this.entry.url} arrived corrupted ${repeats} times; the file on the server does not match its manifest.`);
      }
      return; // left missing: the next request fetches this chunk alone
    }
    await this.storage.putChunk(this.entry.sha256, index, bytes);
    this.markStored(index);
  }

  private emit(phase: DownloadPhase, force: boolean, extra: Pick<DownloadProgress, 'retryInMs' | 'failures'> = {}): void {
    const cb = this.options.onProgress;
    if (!cb) return;
    const now = Date.now();
    if (!force && now - this.lastEmit < (this.options.progressIntervalMs ?? 100)) return;
    this.lastEmit = now;
    const loaded = phase === 'done' ? this.entry.bytes : this.storedBytes + (this.tail?.filled ?? 0);
    const rate = this.meter.bytesPerSecond(now);
    cb({
      url: this.entry.url,
      phase,
      loaded,
      total: this.entry.bytes,
      resumedFrom: this.stats.resumedFrom,
      transferred: this.stats.transferred,
      bytesPerSecond: rate,
      etaSeconds: phase === 'done' ? 0 : rate > 0 ? (this.entry.bytes - loaded) / rate : undefined,
      ...extra,
    });
  }
}

function validateEntry(entry: FileEntry): void {
  if (!Number.isInteger(entry.bytes) || entry.bytes <= 0) throw new DeliveryError('integrity', `Cannot download ${entry.url}: its size (${entry.bytes}) is not a positive whole number.`);
  if (!/^[0-9a-f]{64}$/.test(entry.sha256)) throw new DeliveryError('integrity', `Cannot download ${entry.url}: its sha256 is not 64 lower-case hex digits.`);
  if (entry.chunks && entry.chunks.sha256.length !== chunkCount(entry.bytes, entry.chunks.size)) {
    throw new DeliveryError('integrity', `Cannot download ${entry.url}: its chunk list does not cover ${entry.bytes} bytes in chunks of ${entry.chunks.size}.`);
  }
}

function validatorOf(res: Response): string | undefined {
  return res.headers.get('ETag') ?? res.headers.get('Last-Modified') ?? undefined;
}

export function parseContentRange(header: string | null): { start: number; end: number; total?: number } | undefined {
  const m = header && /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header.trim());
  if (!m) return undefined;
  const out: { start: number; end: number; total?: number } = { start: Number(m[1]), end: Number(m[2]) };
  if (m[3] !== '*') out.total = Number(m[3]);
  return out;
}

/** In a browser that knows it is offline, waiting for "online" beats burning retries. */
function waitUntilOnline(signal?: AbortSignal): Promise<void> {
  if (typeof navigator === 'undefined' || navigator.onLine !== false || typeof addEventListener !== 'function') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (): void => {
      removeEventListener('online', done);
      signal?.removeEventListener('abort', aborted);
      resolve();
    };
    const aborted = (): void => {
      removeEventListener('online', done);
      reject(signal?.reason);
    };
    addEventListener('online', done, { once: true });
    signal?.addEventListener('abort', aborted, { once: true });
  });
}

function toDeliveryError(err: unknown, signal: AbortSignal | undefined, entry: FileEntry): unknown {
  if (err instanceof DeliveryError) return err;
  if (signal?.aborted) return new DeliveryError('aborted', `The download of ${entry.url} was paused or cancelled.`, { cause: err });
  return err;
}
