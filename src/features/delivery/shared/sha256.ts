/** sha256 through WebCrypto, which exists on the page, in workers and in Node ≥ 20 alike. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  // digest() wants a BufferSource backed by an ArrayBuffer; a view over a SharedArrayBuffer is copied.
  const view = bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
  const digest = await crypto.subtle.digest('SHA-256', view);
  return toHex(new Uint8Array(digest));
}

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}
