/**
 * Where the time goes: aggregates onnxruntime's profiler events (Chrome-trace JSON, one event per
 * kernel run) by op kind and joins them with the MACs counted from the graph, so each kind shows
 * its share of the time and the MAC rate it achieves against the assumed peak.
 */
import type { OnnxGraph } from './onnx-graph.ts';
import type { MacCount } from './onnx-macs.ts';

export interface ProfileEvent {
  cat: string;
  name: string;
  dur: number;
  /** Start, microseconds. */
  ts?: number;
  args?: { op_name?: string; provider?: string };
}

export interface KindTime {
  /** e.g. "QLinearConv depthwise 3×3", "QLinearConv 1×1", "QLinearAdd". */
  kind: string;
  nodes: number;
  msPerRun: number;
  share: number;
  macsPerImage: number;
  /** Achieved multiply-accumulates per second (billions); null for kinds without counted MACs. */
  gmacPerSecond: number | null;
}

export interface ProfileSummary {
  runs: number;
  /** Sum of kernel times per run (excludes the executor's own overhead). */
  kernelMsPerRun: number;
  /** model_run duration per run as the profiler saw it. */
  runMsPerRun: number;
  kinds: KindTime[];
}

/** Picks the profiler's JSON events out of whatever the runtime printed. */
export function parseProfileLines(text: string): ProfileEvent[] {
  const events: ProfileEvent[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim().replace(/,$/, '');
    if (!line.startsWith('{') || !line.includes('"cat"')) continue;
    try {
      const e = JSON.parse(line) as ProfileEvent;
      if (typeof e.name === 'string' && typeof e.dur === 'number') events.push(e);
    } catch {
      // Not a profiler line.
    }
  }
  return events;
}

/** A node's kind: the op, split for convolutions into depthwise / pointwise / other by shape. */
export function nodeKinds(graph: OnnxGraph): Map<string, string> {
  const kinds = new Map<string, string>();
  // In QDQ models a conv's weight is a DequantizeLinear output; its shape is the quantised initializer's.
  const dequantized = new Map<string, string>();
  for (const node of graph.nodes) {
    if (node.opType === 'DequantizeLinear' && node.inputs[0] && node.outputs[0]) dequantized.set(node.outputs[0], node.inputs[0]);
  }
  for (const node of graph.nodes) {
    let kind = node.opType;
    if (/Conv/.test(node.opType)) {
      const group = node.attributes.get('group')?.i ?? 1;
      const weight = node.inputs[node.opType === 'QLinearConv' ? 3 : 1];
      const dims = weight ? graph.initializerDims.get(dequantized.get(weight) ?? weight) : undefined;
      const k = dims && dims.length === 4 ? `${dims[2]}×${dims[3]}` : '';
      if (group > 1 && dims && dims[1] === 1) kind = `${node.opType} depthwise ${k}`;
      else if (k === '1×1') kind = `${node.opType} pointwise 1×1`;
      else kind = `${node.opType} ${k}`.trim();
    }
    kinds.set(node.name, kind);
  }
  return kinds;
}

const KERNEL_SUFFIX = '_kernel_time';

/**
 * `skipRuns`: the first model runs (warm-up) are left out — the profiler records from session
 * creation, and first runs pay for allocation and packing.
 */
export function summarizeProfile(all: ProfileEvent[], graph: OnnxGraph, macs: MacCount, skipRuns = 0): ProfileSummary {
  const runEvents = all.filter((e) => e.cat === 'Session' && e.name === 'model_run').sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0));
  const runs = runEvents.length - skipRuns;
  if (runs < 1) throw new RangeError(`The profile holds ${runEvents.length} runs; at least ${skipRuns + 1} are needed.`);
  const skippedEnd = skipRuns > 0 ? (runEvents[skipRuns - 1]!.ts ?? 0) + runEvents[skipRuns - 1]!.dur : Number.NEGATIVE_INFINITY;
  const events = all.filter((e) => (e.ts ?? 0) > skippedEnd);
  const kinds = nodeKinds(graph);
  const macsByNode = new Map(macs.nodes.map((n) => [n.name, n.macs]));
  const acc = new Map<string, { us: number; nodes: Set<string>; macs: number }>();
  let kernelUs = 0;
  let runUs = 0;
  for (const e of events) {
    if (e.cat === 'Session' && e.name === 'model_run') runUs += e.dur;
    if (e.cat !== 'Node' || !e.name.endsWith(KERNEL_SUFFIX)) continue;
    // The layout transformer (NCHW→NHWC) renames nodes "<name>_token_<n>"; map them back.
    const node = e.name.slice(0, -KERNEL_SUFFIX.length).replace(/(_token_\d+)+$/, '');
    // The optimiser may fuse or rename nodes; fall back to the op the profiler names.
    // The op that actually ran is the profiler's op_name (the optimiser fuses a QDQ Conv into
    // QLinearConv under the same node name); the graph says which kind of convolution it was.
    const graphKind = kinds.get(node);
    const op = e.args?.op_name;
    const kind = op && graphKind ? graphKind.replace(/^\S+/, op) : (op ?? graphKind ?? 'unknown');
    const entry = acc.get(kind) ?? { us: 0, nodes: new Set<string>(), macs: 0 };
    if (!entry.nodes.has(node)) {
      entry.nodes.add(node);
      entry.macs += macsByNode.get(node) ?? 0;
    }
    entry.us += e.dur;
    kernelUs += e.dur;
    acc.set(kind, entry);
  }
  const kernelMsPerRun = kernelUs / 1000 / runs;
  const list: KindTime[] = [...acc.entries()].map(([kind, v]) => {
    const ms = v.us / 1000 / runs;
    return {
      kind,
      nodes: v.nodes.size,
      msPerRun: ms,
      share: kernelMsPerRun > 0 ? ms / kernelMsPerRun : 0,
      macsPerImage: v.macs,
      gmacPerSecond: v.macs > 0 && ms > 0 ? v.macs / (ms / 1000) / 1e9 : null,
    };
  });
  list.sort((a, b) => b.msPerRun - a.msPerRun);
  return { runs, kernelMsPerRun, runMsPerRun: runUs / 1000 / runs, kinds: list };
}

export function profileToMarkdown(s: ProfileSummary, peakGmacPerSecond: number): string {
  const lines = [
    `Kernel time ${s.kernelMsPerRun.toFixed(1)} ms per run (model_run ${s.runMsPerRun.toFixed(1)} ms), mean of ${s.runs} runs. Peak assumed: ${peakGmacPerSecond.toFixed(1)} GMAC/s.`,
    '',
    '| op kind | nodes | ms/run | share | M MACs | GMAC/s | % of peak |',
    '|---|--:|--:|--:|--:|--:|--:|',
  ];
  for (const k of s.kinds) {
    lines.push(
      `| ${k.kind} | ${k.nodes} | ${k.msPerRun.toFixed(2)} | ${(k.share * 100).toFixed(1)}% | ${(k.macsPerImage / 1e6).toFixed(1)} | ` +
        `${k.gmacPerSecond === null ? '—' : k.gmacPerSecond.toFixed(2)} | ${k.gmacPerSecond === null ? '—' : `${((k.gmacPerSecond / peakGmacPerSecond) * 100).toFixed(1)}%`} |`,
    );
  }
  return lines.join('\n');
}
