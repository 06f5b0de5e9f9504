/**
 * Builds tiny ONNX models in memory for the bench tests (no Python, no files in the repo): plain
 * objects in the ModelProto schema of src/features/bench/shared/onnx-graph.ts, encoded with
 * protobufjs. The models run in onnxruntime-web.
 */
import { createHash } from 'node:crypto';
import { encodeOnnxModel } from '../../src/features/bench/shared/onnx-graph.ts';
import type { ModelManifest } from '../../src/shared/model-manifest.ts';

const FLOAT = 1;
const INT8 = 3;
const INT64 = 7;

type Obj = Record<string, unknown>;

export function floatTensor(name: string, dims: number[], values: number[]): Obj {
  const data = new Float32Array(values);
  return { name, dims, dataType: FLOAT, rawData: new Uint8Array(data.buffer) };
}

export function int8Tensor(name: string, dims: number[], values: number[]): Obj {
  return { name, dims, dataType: INT8, rawData: new Uint8Array(Int8Array.from(values).buffer) };
}

export function int64Tensor(name: string, dims: number[], values: number[]): Obj {
  return { name, dims, dataType: INT64, int64Data: values };
}

export function node(opType: string, inputs: string[], outputs: string[], attrs: Obj[] = [], name?: string): Obj {
  return { opType, input: inputs, output: outputs, attribute: attrs, name: name ?? `${opType}_${outputs[0]}` };
}

export const ints = (name: string, values: number[]): Obj => ({ name, ints: values, type: 7 });
export const int = (name: string, value: number): Obj => ({ name, i: value, type: 2 });

export function valueInfo(name: string, dims: (number | string)[]): Obj {
  return {
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}

export function model(graph: { nodes: Obj[]; initializers: Obj[]; inputs: Obj[]; outputs: Obj[]; valueInfo?: Obj[] }, opset = 17): Uint8Array {
  return encodeOnnxModel({
    irVersion: 8,
    producerName: 'drishti-bench-test',
    opsetImport: [{ domain: '', version: opset }],
    graph: {
      name: 'g',
      node: graph.nodes,
      initializer: graph.initializers,
      input: graph.inputs,
      output: graph.outputs,
      valueInfo: graph.valueInfo ?? [],
    },
  });
}

/** Deterministic pseudo-random weights in [-1, 1). */
export function weights(count: number, seed: number): number[] {
  let s = seed >>> 0 || 1;
  return Array.from({ length: count }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

export const TINY_SIZE = 16;
export const TINY_LABELS = ['Tshirts', 'Shirts', 'Kurtas'];
/** Conv 3→4, 3×3, stride 2, pad 1 on 16×16 → 8×8: 8·8·4·3·9 = 6912; Gemm 4→3: 12. */
export const TINY_MACS = 8 * 8 * 4 * 3 * 9 + 4 * 3;

/**
 * A tiny classifier in the shape the app expects: image [N,3,16,16] → Conv → Relu →
 * GlobalAveragePool → Flatten = embedding [N,4] → Gemm → Softmax = articleType [N,3].
 * `int8Weights` stores the conv weights as int8 + DequantizeLinear (a weight-quantised variant).
 */
export function tinyClassifier(int8Weights: boolean): Uint8Array {
  const w = weights(4 * 3 * 9, 7);
  const convWeight = int8Weights
    ? [int8Tensor('wq', [4, 3, 3, 3], w.map((v) => Math.round(v * 127))), floatTensor('wscale', [], [1 / 127])]
    : [floatTensor('w', [4, 3, 3, 3], w)];
  const dq = int8Weights ? [node('DequantizeLinear', ['wq', 'wscale'], ['w'])] : [];
  return model({
    nodes: [
      ...dq,
      node('Conv', ['image', 'w', 'b'], ['c'], [ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1])], 'stem'),
      node('Relu', ['c'], ['r']),
      node('GlobalAveragePool', ['r'], ['p']),
      node('Flatten', ['p'], ['embedding'], [int('axis', 1)]),
      node('Gemm', ['embedding', 'hw', 'hb'], ['logits'], [int('transB', 1)], 'head'),
      node('Softmax', ['logits'], ['articleType'], [int('axis', 1)]),
    ],
    initializers: [
      ...convWeight,
      floatTensor('b', [4], [0.1, -0.1, 0.05, 0]),
      floatTensor('hw', [3, 4], weights(12, 11).map((v) => v * 4)),
      floatTensor('hb', [3], [0, 0.2, -0.2]),
    ],
    inputs: [valueInfo('image', ['N', 3, TINY_SIZE, TINY_SIZE])],
    outputs: [valueInfo('embedding', ['N', 4]), valueInfo('articleType', ['N', 3])],
  });
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** The tiny model as a model folder: manifest.json + fp32.onnx + int8.onnx, by file name. */
export function tinyModelFolder(): Map<string, Uint8Array> {
  const fp32 = tinyClassifier(false);
  const int8 = tinyClassifier(true);
  const manifest: ModelManifest = {
    schemaVersion: 1,
    id: 'tiny-bench-fixture',
    version: '0.0.1',
    preprocess: { inputName: 'image', size: TINY_SIZE, resize: 'pad-to-square-bilinear', padValue: [255, 255, 255], mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] },
    heads: [{ name: 'articleType', output: 'articleType', labels: TINY_LABELS.map((id) => ({ id, en: id, hi: id })) }],
    embedding: { output: 'embedding', dims: 4 },
    variants: [
      { name: 'fp32', file: 'fp32.onnx', bytes: fp32.byteLength, sha256: sha256(fp32), dtype: 'float32', intendedBackend: 'webgpu' },
      { name: 'int8', file: 'int8.onnx', bytes: int8.byteLength, sha256: sha256(int8), dtype: 'int8', intendedBackend: 'wasm' },
    ],
  };
  return new Map([
    ['manifest.json', new TextEncoder().encode(JSON.stringify(manifest))],
    ['fp32.onnx', fp32],
    ['int8.onnx', int8],
  ]);
}
