import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { ExperimentsClient } from '../../src/features/experiments/client/experiments-client.ts';
import { parseExperimentsConfig } from '../../src/features/experiments/shared/experiment-config.ts';
import { presetFromParams, withExperiment } from '../../src/features/recs/client/experiment-rows.ts';
import type { ForYouRequest, RecsRow } from '../../src/features/recs/shared/recs-api.ts';

const config = (traffic: number) =>
  parseExperimentsConfig(
    {
      schema: 'drishti-experiments/1',
      experiments: [
        {
          id: 'ranking-weights-1',
          traffic,
          arms: [
            { id: 'balanced', weight: 1, params: { rankingPreset: 'balanced' } },
            { id: 'visual', weight: 1, params: { rankingPreset: 'visual' } },
          ],
        },
      ],
    },
    'test',
  );

function fakeRows(requests: ForYouRequest[]) {
  return async (request: ForYouRequest): Promise<RecsRow> => {
    requests.push(request);
    return { kind: 'for-you', items: [{ id: 'a', title: 'A', score: 1, reason: 'Popular in this store', explanation: { reason: 'popular' } }], computeMs: 3.5, coldStart: true };
  };
}

let n = 0;

describe('recommendation rows under a ranking experiment', () => {
  it('ranks with the arm’s preset and records impression, latency and outcomes for that arm', async () => {
    const client = await ExperimentsClient.open(config(1), `recs-rows-${n++}`);
    const arm = (await client.arm('ranking-weights-1'))!.arm;
    const requests: ForYouRequest[] = [];
    const rows = withExperiment(fakeRows(requests), client, 'ranking-weights-1');
    await rows.row({ k: 10 });
    await rows.row({ k: 10 });
    await rows.trackOutcome('click');
    expect(requests.map((r) => r.preset)).toEqual([arm.id, arm.id]);
    const counts = await client.localCounts('ranking-weights-1');
    expect(counts).toEqual([
      { arm: arm.id, impressions: 2, outcomes: { click: 1, wishlist: 0, 'add-to-cart': 0 }, latency: { n: 2, sumMs: 7, sumSqMs: 24.5 } },
    ]);
    client.close();
  });

  it('leaves installs outside the experiment’s traffic alone', async () => {
    const client = await ExperimentsClient.open(config(1e-9), `recs-rows-${n++}`);
    const requests: ForYouRequest[] = [];
    const rows = withExperiment(fakeRows(requests), client, 'ranking-weights-1');
    await rows.row({ k: 5 });
    await rows.trackOutcome('add-to-cart');
    expect(requests[0]!.preset).toBeUndefined();
    expect(await client.localCounts('ranking-weights-1')).toEqual([]);
    client.close();
  });

  it('accepts only known presets from arm params', () => {
    expect(presetFromParams({ rankingPreset: 'visual' })).toBe('visual');
    expect(presetFromParams({ rankingPreset: 'toString' })).toBeUndefined();
    expect(presetFromParams({ rankingPreset: 'fancy' })).toBeUndefined();
    expect(presetFromParams({ variant: 'int8' })).toBeUndefined();
    expect(presetFromParams(undefined)).toBeUndefined();
  });
});
