/**
 * Counts the multiply-accumulates (MACs) one image costs, from the ONNX graph: Conv (incl. the
 * quantised QLinearConv/ConvInteger), Gemm and MatMul (incl. QLinearMatMul/MatMulInteger). Other
 * ops (activations, adds, pooling) are memory-bound and cheap next to these, and are not counted.
 *
 * Shapes are propagated from the image input at batch 1 through the ops a vision model uses;
 * where an op is unknown, the declared value_info shape (if the exporter wrote one) takes over.
 * A MAC-bearing node whose shapes cannot be found is listed in `uncounted`, never guessed.
 */
import type { Dim, OnnxGraph, OnnxNode } from './onnx-graph.ts';

export interface NodeMacs {
  name: string;
  opType: string;
  macs: number;
}

export interface MacCount {
  /** MACs for one image. */
  macsPerImage: number;
  byOpType: Record<string, number>;
  nodes: NodeMacs[];
  /** MAC-bearing nodes whose shapes could not be determined (their MACs are missing from the total). */
  uncounted: string[];
}

type Shape = Dim[];

/** Quantised ops whose data inputs sit at 0 and 3 (scale/zero-point pairs in between). */
const QLINEAR_BINARY = new Set(['QLinearAdd', 'QLinearMul']);
const ELEMENTWISE_UNARY = new Set([
  'QLinearSigmoid', 'QLinearLeakyRelu', 'QLinearSoftmax',
  'Relu', 'Clip', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Tanh', 'Exp', 'Log', 'Sqrt', 'Neg', 'Abs', 'Erf', 'Identity',
  'Cast', 'QuantizeLinear', 'DequantizeLinear', 'Softmax', 'LogSoftmax', 'BatchNormalization', 'LeakyRelu', 'Elu',
  'Selu', 'Gelu', 'Dropout', 'LpNormalization', 'InstanceNormalization', 'LayerNormalization', 'Reciprocal', 'Floor',
  'Ceil', 'Round', 'Sign', 'Not', 'Softplus', 'Mish', 'QuickGelu', 'DynamicQuantizeLinear',
]);
const BROADCAST = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Sum', 'Mean', 'Where', 'Equal', 'Less', 'Greater', 'PRelu', 'And', 'Or']);
const CONV = new Set(['Conv', 'ConvInteger', 'QLinearConv', 'FusedConv']);
const MATMUL = new Set(['MatMul', 'MatMulInteger', 'QLinearMatMul', 'FusedMatMul']);
const GEMM = new Set(['Gemm', 'QGemm']);
const REDUCE = new Set(['ReduceMean', 'ReduceSum', 'ReduceMax', 'ReduceMin', 'ReduceL2', 'ReduceProd']);
const POOL = new Set(['MaxPool', 'AveragePool', 'LpPool', 'QLinearAveragePool']);
const GLOBAL_POOL = new Set(['GlobalAveragePool', 'GlobalMaxPool', 'QLinearGlobalAveragePool']);

const known = (s: Shape | undefined): s is number[] => !!s && s.every((d) => d !== null);

function broadcast(a: Shape, b: Shape): Shape {
  const n = Math.max(a.length, b.length);
  const out: Shape = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    out.push(x === 1 ? y : y === 1 ? x : x === null ? y : x);
  }
  return out;
}

/** Output size of a sliding window along one axis (ONNX Conv/Pool semantics). */
function windowOut(size: number, k: number, stride: number, dil: number, padBegin: number, padEnd: number, autoPad: string, ceil: boolean): number {
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return Math.ceil(size / stride);
  const span = dil * (k - 1) + 1;
  if (autoPad === 'VALID') return Math.floor((size - span) / stride) + 1;
  const r = (size + padBegin + padEnd - span) / stride;
  return (ceil ? Math.ceil(r) : Math.floor(r)) + 1;
}

function windowShape(x: number[], node: OnnxNode, kernel: number[], outChannels: number): Shape {
  const spatial = kernel.length;
  const at = (name: string) => node.attributes.get(name);
  const strides = at('strides')?.ints ?? new Array<number>(spatial).fill(1);
  const dil = at('dilations')?.ints ?? new Array<number>(spatial).fill(1);
  const pads = at('pads')?.ints ?? new Array<number>(spatial * 2).fill(0);
  const autoPad = at('auto_pad')?.s ?? 'NOTSET';
  const ceil = (at('ceil_mode')?.i ?? 0) === 1;
  const out: Shape = [x[0]!, outChannels];
  for (let i = 0; i < spatial; i++) {
    out.push(windowOut(x[2 + i]!, kernel[i]!, strides[i] ?? 1, dil[i] ?? 1, pads[i] ?? 0, pads[i + spatial] ?? 0, autoPad, ceil));
  }
  return out;
}

function normAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}


function strides(dims: number[]): number[] {
  const out = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) out[i] = out[i + 1]! * dims[i + 1]!;
  return out;
}

/** Transposes a small tensor's flat values. */
function transposeValues(values: number[], dims: number[], perm: number[]): number[] {
  const src = strides(dims);
  const outDims = perm.map((p) => dims[p]!);
  const out: number[] = [];
  const idx = new Array<number>(outDims.length).fill(0);
  for (let n = 0; n < values.length; n++) {
    out.push(values[perm.reduce((o, p, i) => o + idx[i]! * src[p]!, 0)]!);
    for (let i = outDims.length - 1; i >= 0; i--) {
      if (++idx[i]! < outDims[i]!) break;
      idx[i] = 0;
    }
  }
  return out;
}

interface SliceAxis {
  start: number;
  step: number;
  count: number;
}

/** ONNX Slice along the given axes (clamped like onnxruntime, negative steps included). */
function sliceAxes(dims: number[], starts: number[], ends: number[], axes: number[] | undefined, steps: number[] | undefined): SliceAxis[] {
  const plan: SliceAxis[] = dims.map((d) => ({ start: 0, step: 1, count: d }));
  starts.forEach((rawStart, j) => {
    const axis = normAxis(axes?.[j] ?? j, dims.length);
    const d = dims[axis]!;
    const step = steps?.[j] ?? 1;
    const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
    let start = rawStart < 0 ? rawStart + d : rawStart;
    let end = ends[j]! < 0 ? ends[j]! + d : ends[j]!;
    if (step > 0) {
      start = clamp(start, 0, d);
      end = clamp(end, 0, d);
    } else {
      start = clamp(start, -1, d - 1);
      end = clamp(end, -1, d - 1);
    }
    const count = Math.max(0, Math.ceil((end - start) / step));
    plan[axis] = { start, step, count };
  });
  return plan;
}

function sliceValues(values: number[], dims: number[], plan: SliceAxis[]): number[] {
  const src = strides(dims);
  const out: number[] = [];
  const total = plan.reduce((a, p) => a * p.count, 1);
  const idx = new Array<number>(dims.length).fill(0);
  for (let n = 0; n < total; n++) {
    out.push(values[plan.reduce((o, p, i) => o + (p.start + idx[i]! * p.step) * src[i]!, 0)]!);
    for (let i = dims.length - 1; i >= 0; i--) {
      if (++idx[i]! < plan[i]!.count) break;
      idx[i] = 0;
    }
  }
  return out;
}

const SMALL = 64;

export function countMacs(graph: OnnxGraph, inputShape?: number[]): MacCount {
  const shapes = new Map<string, Shape>();
  const ints = new Map<string, number[]>(graph.initializerInts);
  for (const [name, dims] of graph.initializerDims) shapes.set(name, dims);
  for (const input of graph.inputs) {
    // Batch 1: a symbolic leading dimension is the batch.
    const dims = inputShape ?? input.dims.map((d, i) => (d === null && i === 0 ? 1 : d));
    shapes.set(input.name, dims);
  }
  const declaredAtBatch1 = (name: string): Shape | undefined => {
    const d = graph.declared.get(name);
    return d?.map((v, i) => (v === null && i === 0 ? 1 : v));
  };

  const nodes: NodeMacs[] = [];
  const byOpType: Record<string, number> = {};
  const uncounted: string[] = [];
  const record = (node: OnnxNode, macs: number) => {
    nodes.push({ name: node.name, opType: node.opType, macs });
    byOpType[node.opType] = (byOpType[node.opType] ?? 0) + macs;
  };

  for (const node of graph.nodes) {
    const inShape = (i: number): Shape | undefined => {
      const name = node.inputs[i];
      return name ? shapes.get(name) : undefined;
    };
    const inInts = (i: number): number[] | undefined => {
      const name = node.inputs[i];
      return name ? ints.get(name) : undefined;
    };
    const attr = (name: string) => node.attributes.get(name);
    let out: Shape | undefined;
    let outInts: number[] | undefined;
    const op = node.opType;

    if (CONV.has(op)) {
      const x = inShape(0);
      const w = inShape(op === 'QLinearConv' ? 3 : 1);
      if (known(x) && known(w) && w.length >= 3) {
        const kernel = w.slice(2);
        out = windowShape(x, node, kernel, w[0]!);
        const spatialOut = (out.slice(2) as number[]).reduce((a, b) => a * b, 1);
        // w is [M, C/group, k…]: each output element costs C/group × k… MACs.
        record(node, (out[0] as number) * w[0]! * spatialOut * w.slice(1).reduce((a, b) => a * b, 1));
      } else uncounted.push(node.name);
    } else if (GEMM.has(op)) {
      const a = inShape(0);
      const b = inShape(op === 'QGemm' ? 3 : 1);
      if (known(a) && known(b) && a.length === 2 && b.length === 2) {
        const [m, k] = (attr('transA')?.i ?? 0) === 1 ? [a[1]!, a[0]!] : [a[0]!, a[1]!];
        const n = (attr('transB')?.i ?? 0) === 1 ? b[0]! : b[1]!;
        out = [m, n];
        record(node, m * k * n);
      } else uncounted.push(node.name);
    } else if (MATMUL.has(op)) {
      const a = inShape(0);
      const b = inShape(op === 'QLinearMatMul' ? 3 : 1);
      if (known(a) && known(b) && a.length >= 1 && b.length >= 1) {
        const a2 = a.length === 1 ? [1, a[0]!] : a;
        const b2 = b.length === 1 ? [b[0]!, 1] : b;
        const batch = broadcast(a2.slice(0, -2), b2.slice(0, -2)) as number[];
        const m = a2[a2.length - 2]!;
        const k = a2[a2.length - 1]!;
        const n = b2[b2.length - 1]!;
        out = [...batch, ...(a.length === 1 ? [] : [m]), ...(b.length === 1 ? [] : [n])];
        record(node, batch.reduce((p, q) => p * q, 1) * m * k * n);
      } else uncounted.push(node.name);
    } else if (op === 'Identity' || op === 'Cast') {
      out = inShape(0);
      outInts = inInts(0);
    } else if (op === 'ConstantOfShape') {
      const dims = inInts(0);
      if (dims) {
        out = dims;
        const count = dims.reduce((a, b) => a * b, 1);
        const fill = attr('value')?.tensorInts?.[0] ?? 0;
        if (count <= SMALL) outInts = new Array<number>(count).fill(fill);
      }
    } else if (op === 'Slice') {
      const x = inShape(0);
      const starts = inInts(1);
      const ends = inInts(2);
      if (known(x) && starts && ends) {
        const plan = sliceAxes(x, starts, ends, inInts(3), inInts(4));
        out = plan.map((p) => p.count);
        const xi = inInts(0);
        if (xi) outInts = sliceValues(xi, x, plan);
      }
    } else if (op === 'Pad') {
      const x = inShape(0);
      const pads = attr('pads')?.ints ?? inInts(1);
      if (x && pads) out = x.map((d, i) => (d === null ? null : d + pads[i]! + pads[i + x.length]!));
    } else if (op === 'Expand') {
      const x = inShape(0);
      const target = inInts(1);
      if (x && target) out = broadcast(x, target);
    } else if (op === 'Gather') {
      const x = inShape(0);
      const indices = inShape(1);
      const idx = inInts(1);
      if (x && indices) {
        const axis = normAxis(attr('axis')?.i ?? 0, x.length);
        out = [...x.slice(0, axis), ...indices, ...x.slice(axis + 1)];
        const xi = inInts(0);
        if (xi && idx && x.length === 1) outInts = idx.map((i) => xi[i < 0 ? i + xi.length : i]!);
      }
    } else if (ELEMENTWISE_UNARY.has(op)) {
      out = inShape(0);
    } else if (BROADCAST.has(op)) {
      const all = node.inputs.filter((n) => n !== '').map((_, i) => inShape(i));
      if (all.every((s) => s !== undefined)) out = (all as Shape[]).reduce(broadcast);
    } else if (QLINEAR_BINARY.has(op)) {
      const a = inShape(0);
      const b = inShape(3);
      if (a && b) out = broadcast(a, b);
    } else if (GLOBAL_POOL.has(op)) {
      const x = inShape(0);
      if (x) out = [x[0] ?? null, x[1] ?? null, ...x.slice(2).map(() => 1)];
    } else if (POOL.has(op)) {
      const x = inShape(0);
      const kernel = attr('kernel_shape')?.ints;
      if (known(x) && kernel) out = windowShape(x, node, kernel, x[1]!);
    } else if (REDUCE.has(op)) {
      const x = inShape(0);
      const axes = attr('axes')?.ints ?? inInts(1);
      const keep = (attr('keepdims')?.i ?? 1) === 1;
      if (x) {
        const set = new Set((axes ?? x.map((_, i) => i)).map((a) => normAxis(a, x.length)));
        out = keep ? x.map((d, i) => (set.has(i) ? 1 : d)) : x.filter((_, i) => !set.has(i));
      }
    } else if (op === 'Flatten') {
      const x = inShape(0);
      if (known(x)) {
        const axis = normAxis(attr('axis')?.i ?? 1, x.length);
        out = [x.slice(0, axis).reduce((a, b) => a * b, 1), x.slice(axis).reduce((a, b) => a * b, 1)];
      }
    } else if (op === 'Reshape') {
      const x = inShape(0);
      const target = inInts(1);
      if (known(x) && target) {
        const total = x.reduce((a, b) => a * b, 1);
        const dims = target.map((d, i) => (d === 0 ? x[i]! : d));
        const rest = dims.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
        out = dims.map((d) => (d === -1 ? total / rest : d));
        outInts = inInts(0);
      }
    } else if (op === 'Squeeze' || op === 'Unsqueeze') {
      const x = inShape(0);
      const axes = attr('axes')?.ints ?? inInts(1);
      if (x && op === 'Squeeze') {
        const set = new Set((axes ?? []).map((a) => normAxis(a, x.length)));
        out = axes ? x.filter((_, i) => !set.has(i)) : x.filter((d) => d !== 1);
      } else if (x && axes) {
        const rank = x.length + axes.length;
        const set = new Set(axes.map((a) => normAxis(a, rank)));
        const rest = [...x];
        out = Array.from({ length: rank }, (_, i) => (set.has(i) ? 1 : (rest.shift() ?? null)));
        const xi = inInts(0);
        if (xi) outInts = xi;
      }
    } else if (op === 'Transpose') {
      const x = inShape(0);
      if (x) {
        const perm = attr('perm')?.ints ?? x.map((_, i) => x.length - 1 - i);
        out = perm.map((p) => x[p] ?? null);
        const xi = inInts(0);
        if (xi && known(x)) outInts = transposeValues(xi, x, perm);
      }
    } else if (op === 'Concat') {
      const all = node.inputs.map((_, i) => inShape(i));
      if (all.every((s) => s !== undefined) && all.length > 0) {
        const first = all[0]!;
        const axis = normAxis(attr('axis')?.i ?? 0, first.length);
        out = first.map((d, i) => (i === axis ? all.reduce<Dim>((s, sh) => (s === null || sh![i] == null ? null : s + sh![i]!), 0) : d));
        const parts = node.inputs.map((_, i) => inInts(i));
        if (parts.every((p) => p !== undefined)) outInts = (parts as number[][]).flat();
      }
    } else if (op === 'Constant') {
      const value = attr('value');
      if (value?.tensorDims) out = value.tensorDims;
      if (value?.tensorInts) outInts = value.tensorInts;
    } else if (op === 'Shape') {
      const x = inShape(0);
      if (x) {
        out = [x.length];
        if (known(x)) outInts = x;
      }
    }

    if (!out) {
      const decl = node.outputs[0] ? declaredAtBatch1(node.outputs[0]) : undefined;
      if (decl) out = decl;
    }
    if (out && node.outputs[0]) shapes.set(node.outputs[0], out);
    if (outInts && node.outputs[0]) ints.set(node.outputs[0], outInts);
    // Secondary outputs (e.g. DynamicQuantizeLinear's scale) take their declared shapes.
    for (const name of node.outputs.slice(1)) {
      const decl = declaredAtBatch1(name);
      if (decl) shapes.set(name, decl);
    }
  }

  // The batch the shapes were propagated at (1 unless the graph or the caller fixed another).
  const first = graph.inputs[0] ? shapes.get(graph.inputs[0].name)?.[0] : undefined;
  const batch = typeof first === 'number' && first > 0 ? first : 1;
  const total = nodes.reduce((s, n) => s + n.macs, 0);
  return { macsPerImage: total / batch, byOpType, nodes, uncounted };
}
