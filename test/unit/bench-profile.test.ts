import { describe, expect, it } from 'vitest';
import { decodeOnnx } from '../../src/features/bench/shared/onnx-graph.ts';
import { countMacs } from '../../src/features/bench/shared/onnx-macs.ts';
import { nodeKinds, parseProfileLines, profileToMarkdown, summarizeProfile } from '../../src/features/bench/shared/ort-profile.ts';
import { floatTensor, int, int8Tensor, model, node, tinyClassifier, valueInfo } from './bench-onnx-fixture.ts';

const ev = (cat: string, name: string, ts: number, dur: number, op?: string): string =>
  `{"cat" : "${cat}","pid" :42,"tid" :1,"dur" :${dur},"ts" :${ts},"ph" : "X","name" :"${name}","args" : {${op ? `"op_name" : "${op}"` : ''}}},`;

describe('onnxruntime profile summary', () => {
  const graph = decodeOnnx(tinyClassifier(false), 'tiny');
  const macs = countMacs(graph);

  it('keeps only profiler JSON lines from mixed output', () => {
    const text = ['[', ev('Session', 'model_run', 0, 100), 'some log line', '{"not":"an event"}', ']'].join('\n');
    expect(parseProfileLines(text)).toEqual([{ cat: 'Session', pid: 42, tid: 1, dur: 100, ts: 0, ph: 'X', name: 'model_run', args: {} }]);
  });

  it('aggregates kernel time per op kind, skips warm-up runs and joins MACs (renamed nodes included)', () => {
    const text = [
      // warm-up run (skipped)
      ev('Node', 'stem_kernel_time', 10, 5000, 'Conv'),
      ev('Session', 'model_run', 0, 6000),
      // two measured runs; the layout transformer's "_token_<n>" suffix maps back to "stem"
      ev('Node', 'stem_token_3_kernel_time', 10_010, 800, 'Conv'),
      ev('Node', 'head_kernel_time', 10_900, 100, 'Gemm'),
      ev('Node', 'Relu_r_kernel_time', 10_950, 100, 'Relu'),
      ev('Session', 'model_run', 10_000, 1100),
      ev('Node', 'stem_token_3_kernel_time', 20_010, 1200, 'Conv'),
      ev('Node', 'head_kernel_time', 20_900, 100, 'Gemm'),
      ev('Node', 'Relu_r_kernel_time', 20_950, 100, 'Relu'),
      ev('Session', 'model_run', 20_000, 1500),
    ].join('\n');
    const s = summarizeProfile(parseProfileLines(text), graph, macs, 1);
    expect(s.runs).toBe(2);
    expect(s.kernelMsPerRun).toBeCloseTo(1.2, 10);
    expect(s.runMsPerRun).toBeCloseTo(1.3, 10);
    expect(s.kinds.map((k) => k.kind)).toEqual(['Conv 3×3', 'Gemm', 'Relu']);
    const conv = s.kinds[0]!;
    expect(conv.msPerRun).toBeCloseTo(1.0, 10);
    expect(conv.share).toBeCloseTo(1 / 1.2, 10);
    expect(conv.macsPerImage).toBe(6912);
    expect(conv.gmacPerSecond).toBeCloseTo(6912 / 1e-3 / 1e9, 10);
    expect(s.kinds[2]!.gmacPerSecond).toBeNull();
    expect(profileToMarkdown(s, 41.6)).toContain('| Conv 3×3 | 1 | 1.00 | 83.3% | 0.0 | 0.01 | 0.0% |');
  });

  it('names the kind by the op that ran (a QDQ Conv fused into QLinearConv keeps its node name)', () => {
    const text = [ev('Node', 'stem_kernel_time', 10, 700, 'QLinearConv'), ev('Session', 'model_run', 0, 800)].join('\n');
    const s = summarizeProfile(parseProfileLines(text), graph, macs);
    expect(s.kinds[0]).toMatchObject({ kind: 'QLinearConv 3×3', macsPerImage: 6912 });
  });

  it('needs more runs than it skips', () => {
    expect(() => summarizeProfile(parseProfileLines(ev('Session', 'model_run', 0, 1)), graph, macs, 1)).toThrow(/at least 2/);
  });

  it('names depthwise and pointwise convolutions', () => {
    const g = decodeOnnx(
      model({
        nodes: [node('Conv', ['x', 'dw'], ['a'], [int('group', 4)], 'dw'), node('Conv', ['a', 'pw'], ['y'], [], 'pw')],
        initializers: [floatTensor('dw', [4, 1, 5, 5], new Array(100).fill(0)), floatTensor('pw', [8, 4, 1, 1], new Array(32).fill(0))],
        inputs: [valueInfo('x', [1, 4, 8, 8])],
        outputs: [valueInfo('y', [1, 8, 4, 4])],
      }),
      'kinds',
    );
    expect(Object.fromEntries(nodeKinds(g))).toEqual({ dw: 'Conv depthwise 5×5', pw: 'Conv pointwise 1×1' });
    // QDQ: the weight reaches the conv through DequantizeLinear.
    const q = decodeOnnx(
      model({
        nodes: [node('DequantizeLinear', ['wq', 's'], ['w'], [], 'dq'), node('Conv', ['x', 'w'], ['y'], [int('group', 4)], 'dw')],
        initializers: [int8Tensor('wq', [4, 1, 3, 3], new Array(36).fill(1)), floatTensor('s', [], [0.1])],
        inputs: [valueInfo('x', [1, 4, 8, 8])],
        outputs: [valueInfo('y', [1, 4, 6, 6])],
      }),
      'qdq',
    );
    expect(nodeKinds(q).get('dw')).toBe('Conv depthwise 3×3');
  });
});
