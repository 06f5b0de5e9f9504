/**
 * Recommendation rows under an A/B experiment: the arm's ranking preset, one impression and the
 * row's latency per row shown, and the shopper's responses, all recorded for this install's arm.
 */
import type { ExperimentsClient } from '../../experiments/client/experiments-client.ts';
import type { OutcomeKind } from '../../experiments/shared/experiment-config.ts';
import { RANKING_PRESETS, type RankingPreset } from '../shared/rank.ts';
import type { ForYouRequest, RecsRow } from '../shared/recs-api.ts';

/** The ranking preset an arm asks for (`params.rankingPreset`), or undefined for the default. */
export function presetFromParams(params: Record<string, unknown> | undefined): RankingPreset | undefined {
  const p = params?.rankingPreset;
  return typeof p === 'string' && Object.hasOwn(RANKING_PRESETS, p) ? (p as RankingPreset) : undefined;
}

export type RowSource = (request: ForYouRequest) => Promise<RecsRow>;

export interface ExperimentRows {
  row(request: ForYouRequest): Promise<RecsRow>;
  trackOutcome(kind: OutcomeKind): Promise<void>;
}

/** Wraps a row source (the worker, or a fake in tests) with an experiment; without one it passes rows through. */
export function withExperiment(rows: RowSource, experiments: ExperimentsClient | undefined, experimentId: string | undefined): ExperimentRows {
  const preset = async (): Promise<RankingPreset | undefined> =>
    experiments && experimentId ? presetFromParams((await experiments.arm(experimentId))?.arm.params) : undefined;
  return {
    async row(request: ForYouRequest): Promise<RecsRow> {
      const p = request.preset ?? (await preset());
      const row = await rows({ ...request, ...(p ? { preset: p } : {}) });
      if (experiments && experimentId && row.items.length > 0) {
        await experiments.track(experimentId, 'impression');
        await experiments.track(experimentId, 'latency', row.computeMs);
      }
      return row;
    },
    async trackOutcome(kind: OutcomeKind): Promise<void> {
      if (experiments && experimentId) await experiments.track(experimentId, kind);
    },
  };
}

