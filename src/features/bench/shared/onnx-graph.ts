/**
 * Reads the parts of an ONNX model (a protobuf `ModelProto`) that the compute-floor counter needs:
 * nodes with their attributes, initializer shapes (and small int64 constants such as Reshape
 * targets), and the declared input/output/value_info shapes. Decoded with protobufjs against a
 * minimal schema holding only those fields (numbers as in onnx/onnx.proto); everything else in
 * the file is skipped by the decoder, so weights are never copied.
 *
 * Runs in the page, the worker and Node alike.
 */
import protobuf from 'protobufjs/light.js';

// int64 fields decode to plain numbers (shapes and attributes are far below 2^53). Without this,
// Node (where the "long" package resolves) and the browser bundle would disagree on the type.
protobuf.util.Long = undefined as unknown as typeof protobuf.util.Long;
protobuf.configure();

const ONNX_SCHEMA = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
          },
        },
        OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
            valueInfo: { rule: 'repeated', type: 'ValueInfoProto', id: 13 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
            domain: { type: 'string', id: 7 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            s: { type: 'bytes', id: 4 },
            t: { type: 'TensorProto', id: 5 },
            floats: { rule: 'repeated', type: 'float', id: 7 },
            ints: { rule: 'repeated', type: 'int64', id: 8 },
            type: { type: 'int32', id: 20 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            int32Data: { rule: 'repeated', type: 'int32', id: 5 },
            int64Data: { rule: 'repeated', type: 'int64', id: 7 },
            name: { type: 'string', id: 8 },
            rawData: { type: 'bytes', id: 9 },
          },
        },
        ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } } },
        TypeProto: {
          fields: { tensorType: { type: 'TensorTypeProto', id: 1 } },
        },
        TensorTypeProto: {
          fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } },
        },
        TensorShapeProto: { fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } } },
        Dimension: { fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } } },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(ONNX_SCHEMA);
const ModelProtoType = root.lookupType('onnx.ModelProto');

/**
 * Encodes a ModelProto given as a plain object in this schema's field names (camelCase). Lets
 * tests build small ONNX models without Python.
 */
export function encodeOnnxModel(model: Record<string, unknown>): Uint8Array {
  const problem = ModelProtoType.verify(model);
  if (problem) throw new OnnxDecodeError(`Cannot encode the ONNX model: ${problem}`);
  return ModelProtoType.encode(ModelProtoType.fromObject(model)).finish();
}

/** ONNX TensorProto.DataType values the counter cares about. */
export const ONNX_INT64 = 7;

/** A dimension: a known size, or null when symbolic (e.g. the batch "N") or absent. */
export type Dim = number | null;

export interface OnnxAttribute {
  name: string;
  i?: number;
  f?: number;
  ints?: number[];
  floats?: number[];
  s?: string;
  /** Small int64 tensor payload (Constant nodes), decoded. */
  tensorInts?: number[];
  tensorDims?: number[];
}

export interface OnnxNode {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: Map<string, OnnxAttribute>;
}

export interface OnnxGraph {
  producer: string;
  opset: number;
  nodes: OnnxNode[];
  /** Initializer name → dims. */
  initializerDims: Map<string, number[]>;
  /** Initializer name → values, for int64 initializers of at most 16 values (Reshape shapes, axes). */
  initializerInts: Map<string, number[]>;
  /** Declared shapes (graph inputs, outputs and value_info). */
  declared: Map<string, Dim[]>;
  inputs: { name: string; dims: Dim[] }[];
  outputs: string[];
}

export class OnnxDecodeError extends Error {
  override name = 'OnnxDecodeError';
}

interface RawTensor {
  dims?: number[];
  dataType?: number;
  int64Data?: number[];
  int32Data?: number[];
  name?: string;
  rawData?: Uint8Array;
}
interface RawAttr {
  name?: string;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: RawTensor;
  floats?: number[];
  ints?: number[];
}
interface RawNode {
  input?: string[];
  output?: string[];
  name?: string;
  opType?: string;
  attribute?: RawAttr[];
  domain?: string;
}
interface RawValueInfo {
  name?: string;
  type?: { tensorType?: { shape?: { dim?: { dimValue?: number; dimParam?: string }[] } } };
}
interface RawModel {
  producerName?: string;
  opsetImport?: { domain?: string; version?: number }[];
  graph?: {
    node?: RawNode[];
    initializer?: RawTensor[];
    input?: RawValueInfo[];
    output?: RawValueInfo[];
    valueInfo?: RawValueInfo[];
  };
}

const SMALL_INT_TENSOR = 16;

/** Values of a small int64 (or int32) tensor, or undefined when it is large or not integer. */
function smallInts(t: RawTensor): number[] | undefined {
  const count = (t.dims ?? []).reduce((a, b) => a * b, 1);
  if (count > SMALL_INT_TENSOR) return undefined;
  if (t.int64Data && t.int64Data.length > 0) return t.int64Data.map(Number);
  if (t.int32Data && t.int32Data.length > 0) return t.int32Data.map(Number);
  if (t.rawData && t.dataType === ONNX_INT64) {
    const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
    const out: number[] = [];
    for (let o = 0; o + 8 <= t.rawData.byteLength; o += 8) out.push(Number(view.getBigInt64(o, true)));
    return out;
  }
  return undefined;
}

function shapeOf(v: RawValueInfo): Dim[] | undefined {
  const dims = v.type?.tensorType?.shape?.dim;
  if (!dims) return undefined;
  return dims.map((d) => (typeof d.dimValue === 'number' && d.dimValue > 0 ? d.dimValue : null));
}

const textDecoder = new TextDecoder();

/** Decodes an ONNX model file. `source` names the file in error messages. */
export function decodeOnnx(bytes: Uint8Array, source: string): OnnxGraph {
  let raw: RawModel;
  try {
    raw = ModelProtoType.toObject(ModelProtoType.decode(bytes), { longs: Number, defaults: false, arrays: true }) as RawModel;
  } catch (err) {
    throw new OnnxDecodeError(`${source} is not an ONNX model (protobuf decoding failed: ${(err as Error).message}).`);
  }
  const g = raw.graph;
  if (!g || !g.node || g.node.length === 0) throw new OnnxDecodeError(`${source} is not an ONNX model: it has no graph nodes.`);

  const initializerDims = new Map<string, number[]>();
  const initializerInts = new Map<string, number[]>();
  for (const t of g.initializer ?? []) {
    if (!t.name) continue;
    initializerDims.set(t.name, (t.dims ?? []).map(Number));
    const ints = smallInts(t);
    if (ints) initializerInts.set(t.name, ints);
  }
  const declared = new Map<string, Dim[]>();
  for (const v of [...(g.input ?? []), ...(g.output ?? []), ...(g.valueInfo ?? [])]) {
    const s = v.name ? shapeOf(v) : undefined;
    if (v.name && s) declared.set(v.name, s);
  }
  const nodes: OnnxNode[] = g.node.map((n, idx) => {
    const attributes = new Map<string, OnnxAttribute>();
    for (const a of n.attribute ?? []) {
      if (!a.name) continue;
      const attr: OnnxAttribute = { name: a.name };
      if (a.i !== undefined) attr.i = Number(a.i);
      if (a.f !== undefined) attr.f = a.f;
      if (a.ints && a.ints.length > 0) attr.ints = a.ints.map(Number);
      if (a.floats && a.floats.length > 0) attr.floats = a.floats;
      if (a.s && a.s.length > 0) attr.s = textDecoder.decode(a.s);
      if (a.t) {
        attr.tensorDims = (a.t.dims ?? []).map(Number);
        const ints = smallInts(a.t);
        if (ints) attr.tensorInts = ints;
      }
      attributes.set(a.name, attr);
    }
    return {
      name: n.name || `${n.opType ?? 'node'}_${idx}`,
      opType: n.opType ?? '',
      domain: n.domain ?? '',
      inputs: n.input ?? [],
      outputs: n.output ?? [],
      attributes,
    };
  });
  const opset = (raw.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 0;
  return {
    producer: raw.producerName ?? '',
    opset: Number(opset),
    nodes,
    initializerDims,
    initializerInts,
    declared,
    // Graph inputs that are also initializers are weights (older exporters list them), not data.
    inputs: (g.input ?? [])
      .filter((v) => v.name && !initializerDims.has(v.name))
      .map((v) => ({ name: v.name!, dims: shapeOf(v) ?? [] })),
    outputs: (g.output ?? []).map((v) => v.name ?? '').filter((n) => n.length > 0),
  };
}
