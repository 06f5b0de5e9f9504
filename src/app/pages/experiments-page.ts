/**
 * /experiments — the A/B report for merchants and developers: this device's arm per experiment,
 * per-arm counts and rates, the lift over the control with its 95% interval and a warning while
 * the sample is too small; the report can also be built from collected counts files. Also the
 * opt-in export of aggregated counts (off by default), the tag-correction export for the next
 * training run, and a recommendation speed check in the worker.
 *
 * `?config=/path.json` previews a merchant's experiments JSON from this site.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { defaultExperimentsConfig, ExperimentsClient, fetchExperimentsConfig } from '../../features/experiments/client/experiments-client.ts';
import type { Assignment } from '../../features/experiments/shared/assignment.ts';
import { OUTCOME_KINDS, type ExperimentsConfig, type OutcomeKind } from '../../features/experiments/shared/experiment-config.ts';
import { mergeCounts, parseCountsPayload, type CountsPayload } from '../../features/experiments/shared/export.ts';
import type { ArmCounts, ExperimentReport, LiftEstimate } from '../../features/experiments/shared/stats.ts';
import { CorrectionsStore } from '../../features/feedback/shared/corrections-store.ts';
import { recsBenchmark } from '../../features/recs/client/recs-client.ts';
import type { RecsBenchmarkResult } from '../../features/recs/worker/recs-worker.ts';
import { sharedStyles } from '../styles/shared-styles.ts';

const OUTCOME_LABEL: Record<OutcomeKind, string> = { click: 'Clicks', wishlist: 'Wishlist', 'add-to-cart': 'Add to cart' };
const count = new Intl.NumberFormat('en-IN');
const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits)}%`;
const signedPct = (x: number) => `${x >= 0 ? '+' : '−'}${(100 * Math.abs(x)).toFixed(1)}%`;

interface ExperimentView {
  id: string;
  description?: string;
  assignment: Assignment | null;
  report: ExperimentReport;
}

@customElement('drishti-experiments-page')
export class ExperimentsPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      .table-wrap { overflow-x: auto; }
      table { border-collapse: collapse; margin: 0.5rem 0; min-width: 100%; }
      th, td { text-align: start; padding: 0.45rem 0.4rem; border-bottom: 1px solid var(--line); vertical-align: top; }
      td.num, th.num { text-align: end; white-space: nowrap; font-variant-numeric: tabular-nums; }
      .warning { background: #fff4d6; border-left: 4px solid #9a6700; padding: 0.6rem 0.8rem; border-radius: 6px; margin: 0.4rem 0; }
      .conclusive { color: var(--ok); font-weight: 600; }
      section { margin-top: 1.4rem; }
      article { border: 1px solid var(--line); border-radius: var(--radius); padding: 0.6rem 0.9rem; margin: 0.8rem 0; }
      .row { display: flex; flex-wrap: wrap; gap: 0.6rem; align-items: center; }
      label.check { display: flex; gap: 0.5rem; align-items: center; min-height: 44px; }
      input[type='checkbox'] { width: 22px; height: 22px; }
      code { font-size: 0.9em; }
    `,
  ];

  @state() private config: ExperimentsConfig | null = null;
  @state() private views: ExperimentView[] = [];
  @state() private installId = '';
  @state() private source: 'device' | 'collected' = 'device';
  @state() private collectedNote = '';
  @state() private consent = false;
  @state() private exportStatus = '';
  @state() private corrections = 0;
  @state() private correctionStatus = '';
  @state() private bench: RecsBenchmarkResult | null = null;
  @state() private benchStatus = '';
  @state() private failure = '';
  private client: ExperimentsClient | null = null;
  private collected: Map<string, ArmCounts[]> | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.init();
  }

  override disconnectedCallback(): void {
    this.client?.close();
    this.client = null;
    super.disconnectedCallback();
  }

  private async init(): Promise<void> {
    try {
      const configUrl = new URLSearchParams(location.search).get('config');
      this.config = configUrl ? await fetchExperimentsConfig(configUrl) : defaultExperimentsConfig();
      this.client = await ExperimentsClient.open(this.config);
      this.installId = this.client.installId;
      this.consent = await this.client.exportConsent();
      await this.refresh();
      await this.refreshCorrections();
    } catch (err) {
      this.failure = (err as Error).message;
    }
  }

  private async refresh(): Promise<void> {
    const client = this.client;
    if (!client || !this.config) return;
    this.views = await Promise.all(
      this.config.experiments.map(async (e) => {
        const view: ExperimentView = {
          id: e.id,
          assignment: await client.arm(e.id),
          report: await client.report(e.id, this.source === 'collected' ? (this.collected?.get(e.id) ?? []) : undefined),
        };
        if (e.description) view.description = e.description;
        return view;
      }),
    );
  }

  private async loadCollected(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    if (files.length === 0) return;
    try {
      const payloads: CountsPayload[] = [];
      for (const f of files) {
        const text = await f.text();
        // A collector may store one payload per line (JSONL) or one JSON document.
        const docs = f.name.endsWith('.jsonl') ? text.split('\n').filter((l) => l.trim()) : [text];
        docs.forEach((doc, i) => {
          let json: unknown;
          try {
            json = JSON.parse(doc);
          } catch {
            throw new Error(`${f.name}${docs.length > 1 ? ` line ${i + 1}` : ''} is not valid JSON.`);
          }
          for (const p of Array.isArray(json) ? json : [json]) payloads.push(parseCountsPayload(p, f.name));
        });
      }
      this.collected = mergeCounts(payloads);
      this.source = 'collected';
      this.collectedNote = `Report from ${payloads.length} collected payload${payloads.length === 1 ? '' : 's'} in ${files.map((f) => f.name).join(', ')}.`;
      this.failure = '';
      await this.refresh();
    } catch (err) {
      this.failure = `Could not read the counts: ${(err as Error).message}`;
    } finally {
      input.value = '';
    }
  }

  private async showDevice(): Promise<void> {
    this.source = 'device';
    this.collectedNote = '';
    await this.refresh();
  }

  private async toggleConsent(event: Event): Promise<void> {
    const on = (event.target as HTMLInputElement).checked;
    await this.client?.setExportConsent(on);
    this.consent = on;
    this.exportStatus = on ? 'Sharing is on: aggregated counts are sent when you press “Send counts now”.' : 'Sharing is off.';
  }

  private async sendNow(): Promise<void> {
    if (!this.client) return;
    const out = await this.client.exportNow();
    const why = { 'no-url': 'the shop has not set a collector URL', 'no-consent': 'sharing is off', 'nothing-new': 'there are no new counts since the last send', 'beacon-refused': 'the browser refused to queue the beacon; try again later' };
    this.exportStatus = out.sent
      ? `Sent counts for ${out.payload.experiments.map((e) => e.experimentId).join(', ')} (aggregated only, no identifiers).`
      : `Nothing sent: ${why[out.reason]}.`;
  }

  private async refreshCorrections(): Promise<void> {
    const store = await CorrectionsStore.open();
    try {
      this.corrections = await store.count();
    } finally {
      store.close();
    }
  }

  private async exportCorrections(): Promise<void> {
    const store = await CorrectionsStore.open();
    try {
      const text = await store.exportJsonl();
      if (!text) {
        this.correctionStatus = 'There are no corrections to export yet.';
        return;
      }
      const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `drishti-corrections-${new Date().toISOString().slice(0, 10)}.jsonl`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      this.correctionStatus = `Exported ${text.trim().split('\n').length} corrections. Give the file to the model pipeline: python -m drishti.data --corrections <file>.`;
    } finally {
      store.close();
    }
  }

  private async clearCorrections(): Promise<void> {
    if (!confirm('Delete all tag corrections stored on this device?')) return;
    const store = await CorrectionsStore.open();
    try {
      await store.clear();
    } finally {
      store.close();
    }
    this.corrections = 0;
    this.correctionStatus = 'Corrections deleted.';
  }

  private async runBench(): Promise<void> {
    this.benchStatus = 'Measuring in the worker…';
    this.bench = null;
    try {
      this.bench = await recsBenchmark({ items: 10_000, dims: 256, rows: 50 });
      this.benchStatus = '';
    } catch (err) {
      this.benchStatus = `The measurement failed: ${(err as Error).message}`;
    }
  }

  private lift(l: LiftEstimate | null) {
    if (!l) return html`<span class="muted">—</span>`;
    return html`<span class=${l.conclusive ? 'conclusive' : ''}>${signedPct(l.estimate)}</span>
      <span class="muted">(95% CI ${signedPct(l.low)} to ${signedPct(l.high)}${l.corrected ? ', zero-count corrected' : ''})</span>`;
  }

  private renderExperiment(v: ExperimentView) {
    const r = v.report;
    return html`<article data-experiment=${v.id}>
      <h2>${v.id}</h2>
      ${v.description ? html`<p class="muted">${v.description}</p>` : nothing}
      <p data-testid="assignment">
        ${v.assignment ? html`This device is in arm <strong>${v.assignment.arm.id}</strong>.` : html`This device is not enrolled in this experiment.`}
      </p>
      ${r.warnings.map((w) => html`<p class="warning" role="status" data-testid="warning">${w}</p>`)}
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Per-arm results for ${v.id}; ${r.control} is the control</caption>
          <thead>
            <tr>
              <th scope="col">Arm</th>
              <th scope="col" class="num">Impressions</th>
              ${OUTCOME_KINDS.map((k) => html`<th scope="col" class="num">${OUTCOME_LABEL[k]} (rate)</th>`)}
              <th scope="col" class="num">Mean latency</th>
              <th scope="col">${OUTCOME_LABEL[r.primaryOutcome]}: lift vs ${r.control}</th>
            </tr>
          </thead>
          <tbody>
            ${r.arms.map(
              (a) => html`<tr data-arm=${a.arm}>
                <th scope="row">${a.arm}${a.arm === r.control ? html` <span class="muted">(control)</span>` : nothing}</th>
                <td class="num" data-col="impressions">${count.format(a.impressions)}</td>
                ${OUTCOME_KINDS.map(
                  (k) => html`<td class="num" data-col=${k}>${count.format(a.outcomes[k].count)}
                    <span class="muted">(${a.outcomes[k].rate === null ? '—' : pct(a.outcomes[k].rate!, 2)})</span></td>`,
                )}
                <td class="num" data-col="latency">${a.latencyMeanMs === null ? '—' : `${a.latencyMeanMs.toFixed(1)} ms`}</td>
                <td data-col="lift">${this.lift(a.lift[r.primaryOutcome])}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </article>`;
  }

  override render() {
    const exportHost = this.config?.exportUrl ? new URL(this.config.exportUrl, location.href).host : null;
    return html`
      <h1>Experiments</h1>
      <p class="muted">
        Results are counted on this device. Nothing leaves it unless the shop has set up a collector and you turn sharing on below.
        ${this.installId ? html`Install id <code data-testid="install-id">${this.installId.slice(0, 8)}</code>.` : nothing}
      </p>
      ${this.failure ? html`<p class="error" role="alert">${this.failure}</p>` : nothing}
      <div class="row">
        <label class="button secondary">Report from collected counts…
          <input class="visually-hidden" type="file" accept=".json,.jsonl,application/json" multiple @change=${this.loadCollected} data-testid="collected-input" />
        </label>
        ${this.source === 'collected'
          ? html`<span data-testid="collected-note">${this.collectedNote}</span> <button class="secondary" @click=${this.showDevice}>Show this device</button>`
          : nothing}
      </div>
      ${this.views.map((v) => this.renderExperiment(v))}

      <section aria-labelledby="share-h">
        <h2 id="share-h">Share aggregated counts</h2>
        ${exportHost
          ? html`<label class="check"><input type="checkbox" .checked=${this.consent} @change=${this.toggleConsent} data-testid="consent" />
                Send this device's per-arm counts (numbers only — no ids, items or history) to ${exportHost}</label>
              <button class="secondary" @click=${this.sendNow} ?disabled=${!this.consent} data-testid="send-now">Send counts now</button>`
          : html`<p class="muted">The shop has not set up a collector, so nothing can be shared.</p>`}
        ${this.exportStatus ? html`<p role="status" data-testid="export-status">${this.exportStatus}</p>` : nothing}
      </section>

      <section aria-labelledby="corr-h">
        <h2 id="corr-h">Tag corrections</h2>
        <p><span data-testid="corrections-count">${count.format(this.corrections)}</span> corrections saved on this device, for the next training run.</p>
        <div class="row">
          <button class="secondary" @click=${this.exportCorrections}>Export JSONL</button>
          <button class="secondary" @click=${this.clearCorrections} ?disabled=${this.corrections === 0}>Delete corrections</button>
        </div>
        ${this.correctionStatus ? html`<p role="status">${this.correctionStatus}</p>` : nothing}
      </section>

      <section aria-labelledby="speed-h">
        <h2 id="speed-h">Recommendation speed</h2>
        <p class="muted">Times “similar items” and “you may also like” rows in the worker over a synthetic 10,000-item catalogue (256-d embeddings).</p>
        <button class="secondary" @click=${this.runBench} data-testid="bench">Measure</button>
        ${this.benchStatus ? html`<p role="status">${this.benchStatus}</p>` : nothing}
        ${this.bench
          ? html`<p data-testid="bench-result" data-for-you-mean=${this.bench.forYouMs.mean} data-similar-mean=${this.bench.similarMs.mean}
                data-for-you-p95=${this.bench.forYouMs.p95} data-similar-p95=${this.bench.similarMs.p95}>
              ${count.format(this.bench.items)} items, ${this.bench.rows} rows each: you may also like median ${this.bench.forYouMs.median.toFixed(1)} ms,
              mean ${this.bench.forYouMs.mean.toFixed(1)}, p95 ${this.bench.forYouMs.p95.toFixed(1)}; similar items median ${this.bench.similarMs.median.toFixed(1)} ms,
              mean ${this.bench.similarMs.mean.toFixed(1)}, p95 ${this.bench.similarMs.p95.toFixed(1)};
              first rows ${this.bench.firstRowMs.forYou.toFixed(1)} / ${this.bench.firstRowMs.similar.toFixed(1)} ms. Target ≤ 20 ms.</p>`
          : nothing}
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drishti-experiments-page': ExperimentsPage;
  }
}
