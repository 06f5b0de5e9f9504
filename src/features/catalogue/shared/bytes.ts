/**
 * Byte helpers that behave the same in the worker, the page and Node (WebCrypto and the
 * Compression Streams API are global in all three).
 */

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Reads a byte stream to the end, cancelling it and throwing `tooLarge()` as soon as it holds more
 * than `maxBytes` — so an oversized download or a zip bomb never sits in a phone's memory.
 */
export async function readAllBounded(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function pipeThrough(bytes: Uint8Array, stream: GenericTransformStream, maxOut: number): Promise<Uint8Array> {
  const reader = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream).getReader();
  return readAllBounded(reader, maxOut, () => new RangeError(`the data expands to more than ${maxOut} bytes`));
}

export function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  return pipeThrough(bytes, new CompressionStream('gzip'), Number.MAX_SAFE_INTEGER);
}

/** Gunzips, refusing to expand beyond `maxOut` bytes (a zip bomb must not exhaust a phone's memory). */
export function gunzip(bytes: Uint8Array, maxOut: number): Promise<Uint8Array> {
  return pipeThrough(bytes, new DecompressionStream('gzip'), maxOut);
}
