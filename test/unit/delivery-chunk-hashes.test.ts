import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addChunkHashes } from '../../scripts/chunk-hashes.ts';
import { computeChunkHashes } from '../../src/features/delivery/shared/chunk-hashes.ts';
import { backoffDelayMs } from '../../src/features/delivery/shared/backoff.ts';
import { sha256Hex } from '../../src/features/delivery/shared/sha256.ts';
import { ManifestError, parseModelManifest } from '../../src/shared/model-manifest.ts';
import { pseudoRandomBytes } from '../delivery/fault-server.ts';

function manifestJson(variant: Record<string, unknown>): Record<string, unknown> {
  return {
    schemaVersion: 1,
    id: 'm',
    version: '1',
    preprocess: { inputName: 'image', size: 8, resize: 'pad-to-square-bilinear', padValue: [0, 0, 0], mean: [0, 0, 0], std: [1, 1, 1] },
    heads: [{ name: 'h', output: 'h', labels: [{ id: 'a', en: 'A', hi: 'ए' }, { id: 'b', en: 'B', hi: 'बी' }] }],
    embedding: { output: 'e', dims: 4 },
    variants: [{ name: 'int8', dtype: 'int8', intendedBackend: 'wasm', ...variant }],
  };
}

describe('chunk hashes', () => {
  it('hashes each chunk, the last one short', async () => {
    const data = pseudoRandomBytes(2500, 1);
    const c = await computeChunkHashes(data, 1024);
    expect(c.size).toBe(1024);
    expect(c.sha256).toEqual([await sha256Hex(data.subarray(0, 1024)), await sha256Hex(data.subarray(1024, 2048)), await sha256Hex(data.subarray(2048))]);
  });

  it('are validated by the manifest parser against the file size', async () => {
    const sha = 'a'.repeat(64);
    const ok = parseModelManifest(manifestJson({ file: 'm.onnx', bytes: 2500, sha256: sha, chunks: { size: 1024, sha256: [sha, sha, sha] } }), 'test');
    expect(ok.variants[0]!.chunks?.sha256).toHaveLength(3);
    expect(() => parseModelManifest(manifestJson({ file: 'm.onnx', bytes: 2500, sha256: sha, chunks: { size: 1024, sha256: [sha, sha] } }), 'test')).toThrow(
      /must list 3 chunk hashes for 2500 bytes in chunks of 1024/,
    );
    expect(() => parseModelManifest(manifestJson({ file: 'm.onnx', bytes: 2500, sha256: sha, chunks: { size: 10, sha256: [sha] } }), 'test')).toThrow(ManifestError);
    expect(parseModelManifest(manifestJson({ file: 'm.onnx', bytes: 2500, sha256: sha }), 'test').variants[0]!.chunks).toBeUndefined();
  });

  it('scripts/chunk-hashes.ts adds them to a manifest after checking the file, and refuses a mismatched file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chunk-hashes-'));
    try {
      const data = pseudoRandomBytes(5000, 2);
      writeFileSync(join(dir, 'm.onnx'), data);
      const path = join(dir, 'manifest.json');
      writeFileSync(path, JSON.stringify(manifestJson({ file: 'm.onnx', bytes: 5000, sha256: await sha256Hex(data) }), null, 2));
      await addChunkHashes(path, 2048);
      const written = parseModelManifest(JSON.parse(readFileSync(path, 'utf8')), path);
      expect(written.variants[0]!.chunks).toEqual(await computeChunkHashes(data, 2048));

      writeFileSync(join(dir, 'm.onnx'), pseudoRandomBytes(5000, 3));
      await expect(addChunkHashes(path, 2048)).rejects.toThrow(/does not match .* rebuild the model/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('backs off exponentially with jitter, capped', () => {
    const policy = { baseDelayMs: 500, maxDelayMs: 8000, maxConsecutiveFailures: 8 };
    expect(backoffDelayMs(1, policy, () => 0)).toBe(250);
    expect(backoffDelayMs(1, policy, () => 1)).toBe(500);
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(1500);
    expect(backoffDelayMs(10, policy, () => 1)).toBe(8000);
  });
});
