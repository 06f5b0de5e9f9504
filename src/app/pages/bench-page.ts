/**
 * /bench: the benchmark lab. Pick model variants × backends, run, read p50/p95/min, throughput,
 * session time, model bytes, agreement with fp32 and the multiple of the compute floor; download
 * the JSON report (with the device probe). `npm run bench` drives this same page through the
 * query string (see bench-params.ts) and reads `globalThis.__drishtiBench`.
 */
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { getEngine } from '../../features/engine/client/worker-bridge.ts';
import '../../features/bench/client/bench-chart.ts';
import { BenchAbortedError, runBench, type BenchEngine, type BenchProgress, type LabelledImage } from '../../features/bench/client/bench-runner.ts';
import { loadFiles, loadImageSet } from '../../features/bench/client/image-set.ts';
import { backendLabel, targetLines, toMarkdown, type BenchReport, type BenchRow } from '../../features/bench/shared/bench-report.ts';
import {
  BenchParamsError,
  formatBackend,
  parseBackend,
  parseBenchParams,
  type BenchPageSettings,
} from '../../features/bench/shared/bench-params.ts';
import type { VariantName } from '../../shared/model-manifest.ts';
import { sharedStyles } from '../styles/shared-styles.ts';

/** What automation reads: `state` moves idle → running → done | error. */
export interface BenchPageHandle {
  state: 'idle' | 'running' | 'done' | 'error';
  report?: BenchReport;
  error?: string;
  progress?: BenchProgress;
}

declare global {
  var __drishtiBench: BenchPageHandle | undefined;
}

/** Runs on SwiftShader can take tens of seconds per batch; the bridge's default timeout is shorter. */
const RUN_TIMEOUT_MS = 10 * 60_000;

const ALL_VARIANTS: VariantName[] = ['fp32', 'fp16', 'int8'];

const fmt = (v: number | null, digits = 1): string => (v === null ? '—' : v.toFixed(digits));
const pct = (v: number | null): string => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

@customElement('drishti-bench-page')
export class BenchPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      fieldset { border: 1px solid var(--line); border-radius: var(--radius); margin: 0 0 0.8rem; padding: 0.5rem 0.8rem; }
      legend { font-weight: 600; }
      label { display: inline-flex; align-items: center; gap: 0.3rem; margin: 0.2rem 0.9rem 0.2rem 0; min-height: 32px; }
      input[type='number'] { width: 5.5rem; font: inherit; padding: 0.2rem; }
      input[type='url'], input[type='text'] { width: 22rem; max-width: 100%; font: inherit; padding: 0.2rem; }
      .table-wrap { overflow-x: auto; max-width: 100%; }
      table { border-collapse: collapse; font-size: 0.85rem; margin: 0.6rem 0; }
      th, td { border-bottom: 1px solid var(--line); padding: 0.25rem 0.45rem; text-align: right; white-space: nowrap; }
      th:first-child, td:first-child, td:nth-child(2) { text-align: left; }
      .row { display: flex; gap: 0.6rem; flex-wrap: wrap; align-items: center; }
      .error { color: var(--danger); }
      .muted { color: var(--muted); font-size: 0.85rem; }
      progress { width: 20rem; max-width: 100%; }
      pre { white-space: pre-wrap; font-size: 0.75rem; background: #f6f6f6; padding: 0.5rem; }
    `,
  ];

  @state() private settings: BenchPageSettings;
  @state() private paramError = '';
  @state() private running = false;
  @state() private progress: BenchProgress | null = null;
  @state() private rows: BenchRow[] = [];
  @state() private report: BenchReport | null = null;
  @state() private error = '';
  @state() private pickedFiles: File[] = [];

  private abort: AbortController | null = null;

  constructor() {
    super();
    const cores = navigator.hardwareConcurrency || 1;
    try {
      this.settings = parseBenchParams(location.search, cores);
    } catch (err) {
      this.paramError = (err as Error).message;
      this.settings = parseBenchParams('', cores);
    }
    globalThis.__drishtiBench = { state: 'idle' };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.settings.autorun && !this.paramError) void this.start();
    else if (this.paramError) globalThis.__drishtiBench = { state: 'error', error: this.paramError };
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
    super.disconnectedCallback();
  }

  private engineForBench(signal: AbortSignal): BenchEngine {
    const engine = getEngine();
    const opts = { signal, timeoutMs: RUN_TIMEOUT_MS };
    return {
      probe: () => engine.probe(opts),
      load: (o) => engine.load(o, opts),
      classify: (img) => engine.classify(img, opts),
      run: (inputs) => engine.run(inputs, opts),
      status: () => engine.status(opts),
    };
  }

  private async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.error = '';
    this.rows = [];
    this.report = null;
    this.abort = new AbortController();
    const signal = this.abort.signal;
    globalThis.__drishtiBench = { state: 'running' };
    try {
      const { config, clockGhz } = this.settings;
      let images: LabelledImage[] = [];
      if (this.pickedFiles.length > 0) {
        images = await loadFiles(this.pickedFiles);
        delete config.imageSetUrl;
      } else if (config.imageSetUrl) {
        this.progress = { done: 0, total: 1, message: `Loading images from ${config.imageSetUrl}` };
        images = await loadImageSet(config.imageSetUrl);
      }
      const report = await runBench(this.engineForBench(signal), config, images, {
        clockGhz,
        signal,
        onProgress: (p) => {
          this.progress = p;
          globalThis.__drishtiBench = { state: 'running', progress: p };
        },
        onRow: (row) => {
          this.rows = [...this.rows, row];
        },
      });
      this.report = report;
      globalThis.__drishtiBench = { state: 'done', report };
    } catch (err) {
      this.error =
        err instanceof BenchAbortedError || (err instanceof Error && err.name === 'AbortError')
          ? 'Stopped.'
          : `The benchmark could not run: ${(err as Error).message}`;
      globalThis.__drishtiBench = { state: 'error', error: this.error };
    } finally {
      this.running = false;
      this.abort = null;
    }
  }

  private stop(): void {
    this.abort?.abort();
  }

  private download(): void {
    if (!this.report) return;
    const blob = new Blob([JSON.stringify(this.report, null, 2)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `drishti-bench-${this.report.createdAt.replace(/[:.]/g, '-')}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }

  private toggleVariant(v: VariantName, on: boolean): void {
    const variants = on ? [...new Set([...this.settings.config.variants, v])] : this.settings.config.variants.filter((x) => x !== v);
    this.settings = { ...this.settings, config: { ...this.settings.config, variants: ALL_VARIANTS.filter((x) => variants.includes(x)) } };
  }

  private setBackends(text: string): void {
    try {
      const backends = text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map(parseBackend);
      this.settings = { ...this.settings, config: { ...this.settings.config, backends } };
      this.paramError = '';
    } catch (err) {
      this.paramError = err instanceof BenchParamsError ? err.message : String(err);
    }
  }

  private setNumber(key: 'timedRuns' | 'warmupRuns' | 'budgetMsPerBatch', value: number): void {
    if (Number.isFinite(value)) this.settings = { ...this.settings, config: { ...this.settings.config, [key]: value } };
  }

  private renderForm() {
    const { config, clockGhz } = this.settings;
    return html`<form @submit=${(e: Event) => { e.preventDefault(); void this.start(); }}>
      <fieldset>
        <legend>Variants</legend>
        ${ALL_VARIANTS.map(
          (v) => html`<label><input type="checkbox" .checked=${config.variants.includes(v)}
            @change=${(e: Event) => this.toggleVariant(v, (e.target as HTMLInputElement).checked)} />${v}</label>`,
        )}
      </fieldset>
      <fieldset>
        <legend>Backends</legend>
        <label>
          <input type="text" aria-label="Backends" .value=${config.backends.map(formatBackend).join(',')}
            @change=${(e: Event) => this.setBackends((e.target as HTMLInputElement).value)} />
        </label>
        <span class="muted">wasm-1, wasm-${navigator.hardwareConcurrency || 1} (this device's cores), webgpu</span>
      </fieldset>
      <fieldset>
        <legend>Runs</legend>
        <label>Batches <input type="text" .value=${config.batches.join(',')}
          @change=${(e: Event) => {
            const batches = (e.target as HTMLInputElement).value.split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n >= 1 && n <= 64);
            if (batches.length) this.settings = { ...this.settings, config: { ...config, batches } };
          }} /></label>
        <label>Timed runs <input type="number" min="3" .value=${String(config.timedRuns)}
          @change=${(e: Event) => this.setNumber('timedRuns', Number((e.target as HTMLInputElement).value))} /></label>
        <label>Warm-up <input type="number" min="0" .value=${String(config.warmupRuns)}
          @change=${(e: Event) => this.setNumber('warmupRuns', Number((e.target as HTMLInputElement).value))} /></label>
        <label>Budget ms/batch <input type="number" min="100" .value=${String(config.budgetMsPerBatch)}
          @change=${(e: Event) => this.setNumber('budgetMsPerBatch', Number((e.target as HTMLInputElement).value))} /></label>
        <label>CPU clock GHz (floor assumption) <input type="number" step="0.1" min="0.1" .value=${String(clockGhz)}
          @change=${(e: Event) => {
            const v = Number((e.target as HTMLInputElement).value);
            if (v > 0) this.settings = { ...this.settings, clockGhz: v };
          }} /></label>
      </fieldset>
      <fieldset>
        <legend>Labelled images for agreement</legend>
        <label>Image set URL <input type="text" .value=${config.imageSetUrl ?? ''}
          @change=${(e: Event) => {
            const url = (e.target as HTMLInputElement).value.trim();
            const next = { ...config };
            if (url) next.imageSetUrl = url;
            else delete next.imageSetUrl;
            this.settings = { ...this.settings, config: next };
          }} /></label>
        <label>or files <input type="file" accept="image/*" multiple
          @change=${(e: Event) => (this.pickedFiles = Array.from((e.target as HTMLInputElement).files ?? []))} /></label>
        <p class="muted">Without images the timings use a synthetic input and agreement is not measured.</p>
      </fieldset>
      <div class="row">
        <button type="submit" ?disabled=${this.running || !!this.paramError}>Run benchmark</button>
        <button type="button" ?disabled=${!this.running} @click=${() => this.stop()}>Stop</button>
        <button type="button" ?disabled=${!this.report} @click=${() => this.download()}>Download JSON report</button>
      </div>
    </form>`;
  }

  private renderTable(rows: BenchRow[]) {
    return html`<div class="table-wrap"><table>
      <thead><tr>
        <th>Backend</th><th>Variant</th><th>Batch</th><th>Runs</th><th>p50 ms</th><th>p95 ms</th><th>min ms</th><th>img/s</th>
        <th>Session ms</th><th>MB</th><th>Agreement</th><th>Accuracy</th><th>Floor ms</th><th>× floor</th>
      </tr></thead>
      <tbody>${rows.map(
        (r) => html`<tr title=${r.note ?? ''}>
          <td>${backendLabel(r.backend, r.threads)}${r.note ? ' †' : ''}</td><td>${r.variant}</td><td>${r.batch}</td><td>${r.runs}</td>
          <td>${fmt(r.p50Ms)}</td><td>${fmt(r.p95Ms)}</td><td>${fmt(r.minMs)}</td><td>${fmt(r.imagesPerSecond)}</td>
          <td>${fmt(r.sessionMs, 0)}</td><td>${fmt(r.bytes / 1e6, 2)}</td><td>${pct(r.agreement)}</td><td>${pct(r.accuracy)}</td>
          <td>${fmt(r.floorMs, 2)}</td><td>${r.floorMultiple === null ? '—' : `${r.floorMultiple.toFixed(1)}×`}</td>
        </tr>`,
      )}</tbody>
    </table></div>`;
  }

  private renderReport(report: BenchReport) {
    const c = report.compute;
    const p = report.probe;
    return html`
      <h2>Device</h2>
      <p class="muted">${p.userAgent}<br />
        ${p.wasm.hardwareConcurrency} cores · crossOriginIsolated ${String(p.wasm.crossOriginIsolated)} · WASM SIMD ${String(p.wasm.simd)},
        threads ${String(p.wasm.threads)} · WebGPU ${p.webgpu.available ? `${p.webgpu.adapter ?? 'adapter'}, shader-f16 ${String(p.webgpu.shaderF16)}` : `unavailable (${p.webgpu.error ?? 'no adapter'})`}</p>
      ${c
        ? html`<h2>Compute floor</h2>
            <p>${(c.macsPerImage / 1e6).toFixed(1)} M multiply-accumulates per image (counted from the ${c.countedVariant} graph${c.uncounted.length ? `; ${c.uncounted.length} nodes could not be counted` : ''}).
              <span class="muted">${c.assumption.clockGhz} GHz. ${c.assumption.note}</span></p>`
        : ''}
      <p class="muted">Agreement: share of (image, head) top-1 labels equal to fp32's on ${report.images.referenceBackend ?? '—'};
        ${report.images.count} images (${report.images.labelled} labelled) from ${report.images.source}. Total ${(report.totalMs / 1000).toFixed(1)} s.</p>
      ${targetLines(report).length ? html`<h2>Targets</h2><ul>${targetLines(report).map((t) => html`<li>${t}</li>`)}</ul>` : ''}
      ${report.failures.map((f) => html`<p class="error">${backendLabel(f.backend, f.threads)} ${f.variant}: ${f.message}</p>`)}
      <details><summary>Markdown</summary><pre>${toMarkdown(report)}</pre></details>`;
  }

  override render() {
    return html`<h1>Benchmark lab</h1>
      <p class="muted">Times session creation and inference of each model variant on each backend in this browser, on this device.</p>
      ${this.paramError ? html`<p class="error" role="alert">${this.paramError}</p>` : ''}
      ${this.renderForm()}
      ${this.running && this.progress
        ? html`<p><progress max=${this.progress.total} value=${this.progress.done}></progress> ${this.progress.message}</p>`
        : ''}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      ${this.rows.length ? html`<h2>Results</h2>${this.renderTable(this.rows)}<drishti-bench-chart .rows=${this.rows}></drishti-bench-chart>` : ''}
      ${this.report ? this.renderReport(this.report) : ''}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drishti-bench-page': BenchPage;
  }
}
