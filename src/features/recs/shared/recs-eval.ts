/**
 * Offline evaluation on simulated shoppers (synthetic; see shopper-simulator.ts): each method
 * recommends 10 items from the history before a held-out pick, and we measure hit-rate@10,
 * nDCG@10, catalogue coverage and intra-list diversity.
 */
import type { HistoryEvent } from './history.ts';
import { hitAtK, intraListDiversity, ndcgAtK } from './metrics.ts';
import { buildProfile } from './profile.ts';
import { RANKING_PRESETS, similarItems, youMayAlsoLike } from './rank.ts';
import type { RecIndex } from './rec-index.ts';
import { seededRandom } from '../../../shared/seeded-random.ts';
import { simulateShoppers, type SimulatorOptions } from './shopper-simulator.ts';

export interface EvalMethod {
  name: string;
  recommend(index: RecIndex, history: readonly HistoryEvent[], now: number, k: number): number[];
}

export interface EvalRow {
  method: string;
  hitRate: number;
  ndcg: number;
  coverage: number;
  diversity: number;
  meanMs: number;
  p95Ms: number;
}

export interface EvalReport {
  catalogueSize: number;
  shoppers: number;
  k: number;
  rows: EvalRow[];
}

function seenSet(index: RecIndex, history: readonly HistoryEvent[]): Set<number> {
  const seen = new Set<number>();
  for (const e of history) {
    const i = e.itemId === undefined ? undefined : index.byId.get(e.itemId);
    if (i !== undefined) seen.add(i);
  }
  return seen;
}

export function evalMethods(seed = 3): EvalMethod[] {
  const rng = seededRandom(seed);
  return [
    {
      name: 'you may also like (hybrid + MMR)',
      recommend: (index, history, now, k) => youMayAlsoLike(index, buildProfile(index, history, now), { k }).map((r) => r.index),
    },
    {
      name: 'hybrid without MMR',
      recommend: (index, history, now, k) =>
        youMayAlsoLike(index, buildProfile(index, history, now), { k, weights: { ...RANKING_PRESETS.balanced, mmrLambda: 1 } }).map((r) => r.index),
    },
    {
      name: 'hybrid, "visual" weighting',
      recommend: (index, history, now, k) =>
        youMayAlsoLike(index, buildProfile(index, history, now), { k, weights: RANKING_PRESETS.visual }).map((r) => r.index),
    },
    {
      name: 'similar to last item',
      recommend: (index, history, _now, k) => {
        const seen = seenSet(index, history);
        const last = [...history].reverse().find((e) => e.itemId !== undefined && index.byId.has(e.itemId));
        if (!last) return [...index.popularOrder].filter((i) => !seen.has(i)).slice(0, k);
        return similarItems(index, index.byId.get(last.itemId!)!, { k, exclude: seen }).map((r) => r.index);
      },
    },
    {
      name: 'popularity baseline',
      recommend: (index, history, _now, k) => {
        const seen = seenSet(index, history);
        const out: number[] = [];
        for (const i of index.popularOrder) {
          if (out.length >= k) break;
          if (!seen.has(i)) out.push(i);
        }
        return out;
      },
    },
    {
      name: 'random baseline',
      recommend: (index, history, _now, k) => {
        const seen = seenSet(index, history);
        const out = new Set<number>();
        while (out.size < Math.min(k, index.size - seen.size)) {
          const i = rng.int(index.size);
          if (!seen.has(i)) out.add(i);
        }
        return [...out];
      },
    },
  ];
}

export function runRecsEval(index: RecIndex, sim: SimulatorOptions, k = 10, methods = evalMethods()): EvalReport {
  const shoppers = simulateShoppers(index, sim);
  const rows = methods.map((m): EvalRow => {
    let hits = 0;
    let ndcg = 0;
    let diversity = 0;
    const covered = new Set<number>();
    const times: number[] = [];
    for (const s of shoppers) {
      const t0 = performance.now();
      const list = m.recommend(index, s.history, s.now, k);
      times.push(performance.now() - t0);
      hits += hitAtK(list, s.target, k);
      ndcg += ndcgAtK(list, s.target, k);
      diversity += intraListDiversity(index, list);
      for (const i of list) covered.add(i);
    }
    times.sort((a, b) => a - b);
    const n = Math.max(1, shoppers.length);
    return {
      method: m.name,
      hitRate: hits / n,
      ndcg: ndcg / n,
      coverage: covered.size / index.size,
      diversity: diversity / n,
      meanMs: times.reduce((a, b) => a + b, 0) / n,
      p95Ms: times[Math.min(times.length - 1, Math.floor(0.95 * times.length))] ?? 0,
    };
  });
  return { catalogueSize: index.size, shoppers: shoppers.length, k, rows };
}

export function formatEvalTable(report: EvalReport): string {
  const head = ['method', `hit-rate@${report.k}`, `nDCG@${report.k}`, 'coverage', 'diversity (ILD)', 'ms/row mean', 'ms/row p95'];
  const body = report.rows.map((r) => [
    r.method,
    r.hitRate.toFixed(3),
    r.ndcg.toFixed(3),
    `${(100 * r.coverage).toFixed(1)}%`,
    r.diversity.toFixed(3),
    r.meanMs.toFixed(2),
    r.p95Ms.toFixed(2),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((x, c) => (c === 0 ? x.padEnd(widths[c]!) : x.padStart(widths[c]!))).join(' | ')} |`;
  return [line(head), `|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...body.map(line)].join('\n');
}
