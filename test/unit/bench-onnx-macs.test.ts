import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { decodeOnnx, OnnxDecodeError } from '../../src/features/bench/shared/onnx-graph.ts';
import { countMacs } from '../../src/features/bench/shared/onnx-macs.ts';
import {
  TINY_MACS,
  floatTensor,
  int,
  int64Tensor,
  int8Tensor,
  ints,
  model,
  node,
  tinyClassifier,
  valueInfo,
  weights,
} from './bench-onnx-fixture.ts';

const zeros = (n: number): number[] => new Array<number>(n).fill(0);

describe('ONNX MAC counter', () => {
  it('counts a strided, padded conv and a transposed Gemm exactly', () => {
    const count = countMacs(decodeOnnx(tinyClassifier(false), 'tiny'));
    expect(count.macsPerImage).toBe(TINY_MACS);
    expect(count.byOpType).toEqual({ Conv: 8 * 8 * 4 * 3 * 9, Gemm: 12 });
    expect(count.uncounted).toEqual([]);
  });

  it('gives the weight-quantised variant the same count (weights through DequantizeLinear)', () => {
    expect(countMacs(decodeOnnx(tinyClassifier(true), 'tiny-int8')).macsPerImage).toBe(TINY_MACS);
  });

  it('the fixture is a real model: onnxruntime runs it at batch 2', async () => {
    const session = await ort.InferenceSession.create(tinyClassifier(true));
    const out = await session.run({ image: new ort.Tensor('float32', new Float32Array(2 * 3 * 16 * 16).fill(0.3), [2, 3, 16, 16]) });
    expect(out.articleType!.dims).toEqual([2, 3]);
    expect(out.embedding!.dims).toEqual([2, 4]);
    await session.release();
  });

  it('counts depthwise, SAME-padded and dilated convs, and a batched MatMul', () => {
    const bytes = model({
      nodes: [
        // depthwise 5×5 stride 2, SAME_UPPER on 32×32×8 → 16×16×8: 16·16·8·1·25
        node('Conv', ['x', 'dw'], ['a'], [int('group', 8), ints('strides', [2, 2]), { name: 'auto_pad', s: new TextEncoder().encode('SAME_UPPER'), type: 3 }]),
        // pointwise 8→16 with dilation irrelevant at 1×1 → 16·16·16·8
        node('Conv', ['a', 'pw'], ['b']),
        // 3×3 dilation 2, no pad: 16 − 4 = 12 → 12·12·4·16·9
        node('Conv', ['b', 'k3'], ['c'], [ints('dilations', [2, 2])]),
        node('Reshape', ['c', 'shape'], ['d']),
        // [1, 4, 144] × [144, 10] → 4·144·10
        node('MatMul', ['d', 'm'], ['y']),
      ],
      initializers: [
        floatTensor('dw', [8, 1, 5, 5], zeros(200)),
        floatTensor('pw', [16, 8, 1, 1], zeros(128)),
        floatTensor('k3', [4, 16, 3, 3], zeros(576)),
        int64Tensor('shape', [3], [1, 4, -1]),
        floatTensor('m', [144, 10], zeros(1440)),
      ],
      inputs: [valueInfo('x', [1, 8, 32, 32])],
      outputs: [valueInfo('y', [1, 4, 10])],
    });
    const count = countMacs(decodeOnnx(bytes, 'mixed'));
    expect(count.nodes.map((n) => n.macs)).toEqual([16 * 16 * 8 * 25, 16 * 16 * 16 * 8, 12 * 12 * 4 * 16 * 9, 4 * 144 * 10]);
    expect(count.uncounted).toEqual([]);
  });

  it('follows the pad chain PyTorch exports (ConstantOfShape → Concat → Reshape → Slice → Transpose → Cast → Pad)', () => {
    const bytes = model({
      nodes: [
        node('Constant', [], ['four'], [{ name: 'value', t: int64Tensor('', [1], [4]), type: 4 }]),
        node('ConstantOfShape', ['four'], ['zeros']),
        node('Concat', ['given', 'zeros'], ['all'], [int('axis', 0)]),
        node('Reshape', ['all', 'm12'], ['pairs']),
        node('Slice', ['pairs', 'start', 'end', 'axis0', 'step'], ['rev']),
        node('Transpose', ['rev'], ['t'], [ints('perm', [1, 0])]),
        node('Reshape', ['t', 'm1'], ['flat']),
        node('Cast', ['flat'], ['pads'], [int('to', 7)]),
        node('Pad', ['x', 'pads'], ['padded']),
        node('Conv', ['padded', 'w'], ['y'], [ints('strides', [2, 2])]),
      ],
      initializers: [
        // F.pad(x, (0, 1, 0, 1)): torch order (W begin, W end, H begin, H end)
        int64Tensor('given', [4], [0, 1, 0, 1]),
        int64Tensor('m12', [2], [-1, 2]),
        int64Tensor('start', [1], [-1]),
        int64Tensor('end', [1], [-9999]),
        int64Tensor('axis0', [1], [0]),
        int64Tensor('step', [1], [-1]),
        int64Tensor('m1', [1], [-1]),
        floatTensor('w', [6, 3, 3, 3], zeros(162)),
      ],
      inputs: [valueInfo('x', ['N', 3, 224, 224])],
      outputs: [valueInfo('y', ['N', 6, 112, 112])],
    });
    // 224 + 1 = 225 → (225 − 3) / 2 + 1 = 112
    const count = countMacs(decodeOnnx(bytes, 'padchain'));
    expect(count.macsPerImage).toBe(112 * 112 * 6 * 3 * 9);
    expect(count.uncounted).toEqual([]);
  });

  it('counts QLinearConv from its weight at input 3 and divides by the batch', () => {
    const bytes = model({
      nodes: [
        node('QLinearConv', ['x', 's', 'z', 'w', 's', 'z', 's', 'z'], ['y'], [ints('pads', [1, 1, 1, 1])]),
      ],
      initializers: [int8Tensor('w', [2, 3, 3, 3], weights(54, 3).map((v) => Math.round(v * 100)))],
      inputs: [valueInfo('x', [4, 3, 10, 10])],
      outputs: [valueInfo('y', [4, 2, 10, 10])],
    });
    expect(countMacs(decodeOnnx(bytes, 'q')).macsPerImage).toBe(10 * 10 * 2 * 3 * 9);
  });

  it('lists a conv it cannot size instead of guessing', () => {
    const bytes = model({
      nodes: [node('MysteryOp', ['x'], ['m']), node('Conv', ['m', 'w'], ['y'])],
      initializers: [floatTensor('w', [2, 3, 1, 1], zeros(6))],
      inputs: [valueInfo('x', [1, 3, 8, 8])],
      outputs: [valueInfo('y', [1, 2, 8, 8])],
    });
    const count = countMacs(decodeOnnx(bytes, 'mystery'));
    expect(count.macsPerImage).toBe(0);
    expect(count.uncounted).toEqual(['Conv_y']);
  });

  it('uses a declared value_info shape where an op is unknown', () => {
    const bytes = model({
      nodes: [node('MysteryOp', ['x'], ['m']), node('Conv', ['m', 'w'], ['y'])],
      initializers: [floatTensor('w', [2, 3, 1, 1], zeros(6))],
      inputs: [valueInfo('x', [1, 3, 8, 8])],
      outputs: [valueInfo('y', [1, 2, 4, 4])],
      valueInfo: [valueInfo('m', ['N', 3, 4, 4])],
    });
    expect(countMacs(decodeOnnx(bytes, 'declared')).macsPerImage).toBe(4 * 4 * 2 * 3);
  });

  it('rejects bytes that are not an ONNX model with a message naming the file', () => {
    expect(() => decodeOnnx(new TextEncoder().encode('<html>not found</html>'), 'model.onnx')).toThrow(OnnxDecodeError);
    expect(() => decodeOnnx(new Uint8Array(0), 'empty.onnx')).toThrow(/empty\.onnx.*no graph nodes/);
  });
});
