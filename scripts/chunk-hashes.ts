/**
 * Adds per-chunk sha256 (`variants[].chunks`) to a model manifest so browsers can verify a
 * download chunk by chunk and refetch only a bad chunk (docs/downloads.md). The Python packager
 * (models/drishti/package.py) emits them itself; this is for manifests built elsewhere.
 *
 *   npx tsx scripts/chunk-hashes.ts models/manifest.json [--chunk-size 1048576]
 *
 * Each variant file is checked against its manifest size and sha256 first; the manifest is
 * rewritten atomically (temp file + rename) and validated before it replaces the old one.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { computeChunkHashes, DEFAULT_CHUNK_SIZE } from '../src/features/delivery/shared/chunk-hashes.ts';
import { sha256Hex } from '../src/features/delivery/shared/sha256.ts';
import { parseModelManifest } from '../src/shared/model-manifest.ts';

export async function addChunkHashes(manifestPath: string, chunkSize = DEFAULT_CHUNK_SIZE): Promise<{ variants: number }> {
  const text = await readFile(manifestPath, 'utf8');
  const json = JSON.parse(text) as { variants?: Array<Record<string, unknown>> };
  const manifest = parseModelManifest(json, manifestPath);
  const dir = dirname(resolve(manifestPath));
  for (const [i, variant] of manifest.variants.entries()) {
    const path = resolve(dir, variant.file);
    const bytes = new Uint8Array(await readFile(path));
    if (bytes.byteLength !== variant.bytes || (await sha256Hex(bytes)) !== variant.sha256) {
      throw new Error(`${path} does not match ${manifestPath} (size or sha256 differs): rebuild the model before adding chunk hashes.`);
    }
    json.variants![i]!.chunks = await computeChunkHashes(bytes, chunkSize);
  }
  parseModelManifest(json, manifestPath);
  const indent = /^\{\n( +)/.exec(text)?.[1]?.length ?? 2;
  const tmp = `${manifestPath}.tmp-${process.pid}`;
  await writeFile(tmp, `${JSON.stringify(json, null, indent)}\n`);
  await rename(tmp, manifestPath);
  return { variants: manifest.variants.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const sizeAt = args.indexOf('--chunk-size');
  const chunkSize = sizeAt >= 0 ? Number(args[sizeAt + 1]) : DEFAULT_CHUNK_SIZE;
  const manifestPath = args.find((a, i) => !a.startsWith('--') && (sizeAt < 0 || i !== sizeAt + 1));
  if (!manifestPath || !Number.isInteger(chunkSize) || chunkSize < 1024) {
    console.error('Usage: npx tsx scripts/chunk-hashes.ts <manifest.json> [--chunk-size BYTES ≥ 1024]');
    process.exit(2);
  }
  try {
    const { variants } = await addChunkHashes(manifestPath, chunkSize);
    console.log(`Added chunk hashes (${chunkSize} bytes per chunk) to ${variants} variants in ${manifestPath}.`);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
