/**
 * The page's entry to experiments: which arm this install is in, recording exposures and
 * outcomes, the report, and the opt-in export. Features under test ask `arm(id)` and read the
 * arm's params (e.g. { variant: "int8" } or { rankingPreset: "visual" }).
 */
import defaultConfigJson from '../experiments.json';
import { assignArm, type Assignment } from '../shared/assignment.ts';
import { ExperimentConfigError, parseExperimentsConfig, type EventKind, type ExperimentsConfig } from '../shared/experiment-config.ts';
import { ExperimentStore } from '../shared/experiment-store.ts';
import { exportCounts, type BeaconSender, type ExportOutcome } from '../shared/export.ts';
import { buildReport, type ArmCounts, type ExperimentReport } from '../shared/stats.ts';

export function defaultExperimentsConfig(): ExperimentsConfig {
  return parseExperimentsConfig(defaultConfigJson, 'src/features/experiments/experiments.json');
}

/** Loads a merchant's experiments JSON from the same origin (cross-origin configs are refused). */
export async function fetchExperimentsConfig(url: string): Promise<ExperimentsConfig> {
  const resolved = new URL(url, location.href);
  if (resolved.origin !== location.origin) {
    throw new ExperimentConfigError(`The experiments config must come from this site (${location.origin}), not ${resolved.origin}.`);
  }
  const res = await fetch(resolved);
  if (!res.ok) throw new ExperimentConfigError(`Could not load the experiments config ${resolved.href}: HTTP ${res.status}.`);
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    throw new ExperimentConfigError(`The experiments config ${resolved.href} is not valid JSON.`);
  }
  return parseExperimentsConfig(json, resolved.href);
}

export class ExperimentsClient {
  private readonly assignments = new Map<string, Promise<Assignment | null>>();

  private constructor(
    readonly config: ExperimentsConfig,
    readonly installId: string,
    private readonly store: ExperimentStore,
  ) {}

  static async open(config: ExperimentsConfig = defaultExperimentsConfig(), dbName?: string): Promise<ExperimentsClient> {
    const store = await ExperimentStore.open(dbName);
    return new ExperimentsClient(config, await store.installId(), store);
  }

  private experiment(id: string) {
    const e = this.config.experiments.find((x) => x.id === id);
    if (!e) throw new ExperimentConfigError(`No experiment "${id}" in the config (known: ${this.config.experiments.map((x) => x.id).join(', ') || 'none'}).`);
    return e;
  }

  /** This install's arm (null when the experiment's traffic does not include it). */
  arm(experimentId: string): Promise<Assignment | null> {
    let a = this.assignments.get(experimentId);
    if (!a) {
      a = assignArm(this.experiment(experimentId), this.installId);
      this.assignments.set(experimentId, a);
    }
    return a;
  }

  /** Records an exposure or outcome for this install's arm; false when not enrolled. */
  async track(experimentId: string, kind: EventKind, valueMs?: number): Promise<boolean> {
    const assignment = await this.arm(experimentId);
    if (!assignment) return false;
    await this.store.log({ experimentId, arm: assignment.arm.id, kind, at: Date.now(), ...(valueMs === undefined ? {} : { valueMs }) });
    return true;
  }

  async localCounts(experimentId: string): Promise<ArmCounts[]> {
    return (await this.store.counts(experimentId)).counts;
  }

  /** The report from this device's events, or from counts supplied (e.g. merged exports). */
  async report(experimentId: string, counts?: ArmCounts[]): Promise<ExperimentReport> {
    return buildReport(this.experiment(experimentId), counts ?? (await this.localCounts(experimentId)));
  }

  exportConsent(): Promise<boolean> {
    return this.store.exportConsent();
  }

  setExportConsent(on: boolean): Promise<void> {
    return this.store.setExportConsent(on);
  }

  exportNow(send?: BeaconSender): Promise<ExportOutcome> {
    return exportCounts(this.store, this.config, send);
  }

  /**
   * Sends new counts (only if the shopper opted in and the shop set a collector) when the page is
   * hidden — the moment a beacon is meant for — at most once per `minIntervalMs`. Returns a function
   * that stops it.
   */
  exportOnPageHide(
    options: { minIntervalMs?: number; target?: EventTarget; isHidden?: () => boolean; send?: BeaconSender } = {},
  ): () => void {
    const { minIntervalMs = 3_600_000, target = document, isHidden = () => document.visibilityState === 'hidden', send } = options;
    let last = -Infinity;
    const onChange = (): void => {
      if (!isHidden() || !this.config.exportUrl || Date.now() - last < minIntervalMs) return;
      void this.exportNow(send)
        .then((out) => {
          if (out.sent) last = Date.now();
        })
        .catch((err: unknown) => console.warn(`Experiment counts not sent: ${(err as Error).message}`));
    };
    target.addEventListener('visibilitychange', onChange);
    return () => target.removeEventListener('visibilitychange', onChange);
  }

  close(): void {
    this.store.close();
  }
}
