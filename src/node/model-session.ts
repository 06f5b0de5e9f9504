/**
 * The model in Node: onnxruntime-web (WASM) — the same runtime the browser uses — so the CLIs and
 * the parity test exercise the very code path that ships, with the shared preprocessing and output
 * decoding. Images are decoded with sharp.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import * as ort from 'onnxruntime-web';
import sharp from 'sharp';
import { ManifestError, parseModelManifest, type ModelManifest, type VariantName } from '../shared/model-manifest.ts';
import { decodeOutputs, type FloatOutput, type Prediction } from '../shared/model-output.ts';
import { inputDims, preprocessToTensor, type RgbaImage } from '../shared/preprocess.ts';

export const DEFAULT_MANIFEST = resolve(import.meta.dirname, '../../models/manifest.json');

export class ImageDecodeError extends Error {
  override name = 'ImageDecodeError';
}

/** Decodes any image sharp can read into RGB pixels (EXIF orientation applied). */
export async function decodeImageFile(pathOrBytes: string | Uint8Array): Promise<RgbaImage> {
  const label = typeof pathOrBytes === 'string' ? pathOrBytes : 'image bytes';
  try {
    const { data, info } = await sharp(pathOrBytes, { failOn: 'error' })
      .rotate()
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, channels: 3 };
  } catch (err) {
    throw new ImageDecodeError(`Could not read ${label} as an image: ${(err as Error).message}`);
  }
}

export async function readManifest(manifestPath: string): Promise<ModelManifest> {
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (err) {
    throw new ManifestError(`Cannot read the model manifest ${manifestPath}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ManifestError(`The model manifest ${manifestPath} is not valid JSON: ${(err as Error).message}`);
  }
  return parseModelManifest(json, manifestPath);
}

export interface NodeModel {
  manifest: ModelManifest;
  variant: VariantName;
  /** Runs one batch (the caller chooses the batch size; 8–16 keeps memory small). */
  predict(images: RgbaImage[]): Promise<Prediction[]>;
  dispose(): Promise<void>;
}

/** Loads a variant after checking the file's size and sha256 against the manifest. */
export async function openNodeModel(manifestPath = DEFAULT_MANIFEST, variant: VariantName = 'int8', threads = 1): Promise<NodeModel> {
  const manifest = await readManifest(manifestPath);
  const entry = manifest.variants.find((v) => v.name === variant);
  if (!entry) {
    throw new ManifestError(
      `The model manifest ${manifestPath} has no "${variant}" variant (it has ${manifest.variants.map((v) => v.name).join(', ')}).`,
    );
  }
  const file = resolve(dirname(manifestPath), entry.file);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new ManifestError(`Cannot read the model file ${file}: ${(err as Error).message}`);
  }
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (bytes.byteLength !== entry.bytes || sha !== entry.sha256) {
    throw new ManifestError(
      `The model file ${file} does not match its manifest (${bytes.byteLength} bytes, sha256 ${sha}; expected ${entry.bytes} bytes, ${entry.sha256}). Rebuild it with the model pipeline or restore it from git.`,
    );
  }
  ort.env.wasm.numThreads = threads;
  const session = await ort.InferenceSession.create(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
  });
  const spec = manifest.preprocess;
  return {
    manifest,
    variant,
    async predict(images) {
      const input = new ort.Tensor('float32', preprocessToTensor(images, spec), inputDims(images.length, spec));
      const results = await session.run({ [spec.inputName]: input });
      const outputs: Record<string, FloatOutput> = {};
      for (const [name, t] of Object.entries(results)) {
        outputs[name] = { data: t.data as Float32Array, dims: t.dims };
      }
      input.dispose();
      return decodeOutputs(manifest, outputs, images.length);
    },
    async dispose() {
      await session.release();
    },
  };
}
