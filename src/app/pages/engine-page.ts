/**
 * /engine: the engine panel. Shows what the device offers (probe), which backend and variant
 * the engine chose and why, and runs the model on a chosen photo with timings. Query overrides
 * (`?backend=wasm&variant=fp32&threads=1`) and `?manifest=<url>` (another model) apply here too.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { getEngine } from '../../features/engine/client/worker-bridge.ts';
import type { ClassifyResult, EngineOverrides, LoadProgress, LoadResult, ProbeResult } from '../../features/engine/shared/engine-api.ts';
import { isAbortError, isEngineError } from '../../features/engine/shared/engine-errors.ts';
import type { BackendName, VariantName } from '../../shared/model-manifest.ts';
import { sharedStyles } from '../styles/shared-styles.ts';

const ms = (v: number): string => `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`;

function describeError(err: unknown): string {
  if (isAbortError(err)) return 'Stopped.';
  if (isEngineError(err)) return `${err.message} [${err.code}]`;
  return err instanceof Error ? err.message : String(err);
}

@customElement('drishti-engine-page')
export class EnginePage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      section { border: 1px solid var(--line); border-radius: var(--radius); padding: 0.6rem 0.9rem; margin: 0 0 0.9rem; }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 0.8rem; margin: 0; }
      dt { color: var(--muted); }
      dd { margin: 0; overflow-wrap: anywhere; }
      .controls { display: flex; flex-wrap: wrap; gap: 0.6rem; align-items: end; }
      label { display: flex; flex-direction: column; gap: 0.2rem; font-size: 0.9rem; }
      ol { margin: 0.3rem 0; padding-left: 1.3rem; }
      table { border-collapse: collapse; width: 100%; }
      th, td { text-align: left; padding: 0.25rem 0.4rem; border-bottom: 1px solid var(--line); vertical-align: top; }
      .chosen { font-size: 1.1rem; font-weight: 600; }
      img.preview { max-width: 160px; max-height: 160px; border-radius: 6px; }
    `,
  ];

  @state() private probe: ProbeResult | null = null;
  @state() private load: LoadResult | null = null;
  @state() private progress: LoadProgress | null = null;
  @state() private result: ClassifyResult | null = null;
  @state() private error = '';
  @state() private busy: 'probe' | 'load' | 'classify' | '' = '';
  @state() private previewUrl = '';
  @state() private backend: BackendName | 'auto' = 'auto';
  @state() private variant: VariantName | 'auto' = 'auto';
  @state() private threads = '';
  private controller: AbortController | null = null;
  private readonly manifestUrl = new URLSearchParams(location.search).get('manifest') ?? undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    const q = new URLSearchParams(location.search);
    const b = q.get('backend');
    if (b === 'webgpu' || b === 'wasm') this.backend = b;
    const v = q.get('variant');
    if (v === 'fp32' || v === 'fp16' || v === 'int8') this.variant = v;
    this.threads = q.get('threads') ?? '';
    void this.start();
  }

  override disconnectedCallback(): void {
    this.controller?.abort();
    if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
    super.disconnectedCallback();
  }

  private async start(): Promise<void> {
    const engine = getEngine();
    this.busy = 'probe';
    try {
      this.probe = await engine.probe();
    } catch (err) {
      this.error = describeError(err);
    }
    this.busy = '';
    await this.doLoad();
  }

  private overrides(): EngineOverrides {
    const o: EngineOverrides = {};
    if (this.backend !== 'auto') o.backend = this.backend;
    if (this.variant !== 'auto') o.variant = this.variant;
    const t = Number(this.threads);
    if (this.threads !== '' && Number.isInteger(t) && t >= 1) o.threads = t;
    return o;
  }

  private async doLoad(): Promise<void> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.busy = 'load';
    this.error = '';
    this.load = null;
    this.result = null;
    try {
      this.load = await getEngine().load(
        { ...this.overrides(), ...(this.manifestUrl ? { manifestUrl: this.manifestUrl } : {}) },
        { signal: controller.signal, onProgress: (p) => (this.progress = p) },
      );
    } catch (err) {
      this.error = describeError(err);
    } finally {
      if (this.controller === controller) {
        this.busy = '';
        this.progress = null;
      }
    }
  }

  private async onFile(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
    this.previewUrl = URL.createObjectURL(file);
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.busy = 'classify';
    this.error = '';
    this.result = null;
    try {
      this.result = await getEngine().classify(file, { signal: controller.signal, timeoutMs: 120_000 });
      // A device loss moves the engine to WASM; show what it runs on now.
      this.load = getEngine().lastLoad ?? this.load;
    } catch (err) {
      this.error = describeError(err);
    } finally {
      if (this.controller === controller) this.busy = '';
    }
  }

  private renderProbe() {
    const p = this.probe;
    if (!p) return html`<p class="muted">${this.busy === 'probe' ? 'Probing this device…' : 'No probe result.'}</p>`;
    return html`<dl id="probe">
      <dt>WebGPU</dt>
      <dd data-field="webgpu">${p.webgpu.available ? `yes — ${p.webgpu.adapter ?? 'adapter'}` : `no (${p.webgpu.error ?? 'unavailable'})`}</dd>
      <dt>shader-f16</dt>
      <dd data-field="shader-f16">${p.webgpu.shaderF16 ? 'yes' : 'no'}</dd>
      <dt>WASM SIMD</dt>
      <dd data-field="simd">${p.wasm.simd ? 'yes' : 'no'}</dd>
      <dt>WASM threads</dt>
      <dd data-field="threads">
        ${p.wasm.threads ? 'yes' : 'no'} (cross-origin isolated: ${p.wasm.crossOriginIsolated ? 'yes' : 'no'}, cores: ${p.wasm.hardwareConcurrency})
      </dd>
      <dt>Device memory</dt>
      <dd>${p.deviceMemoryGb !== undefined ? `${p.deviceMemoryGb} GB` : 'not reported'}</dd>
      <dt>Browser</dt>
      <dd>${p.userAgent}</dd>
    </dl>`;
  }

  private renderChoice() {
    if (this.busy === 'load') {
      const p = this.progress;
      const detail =
        p?.phase === 'download' && p.totalBytes
          ? `downloading the model ${Math.round(((p.loadedBytes ?? 0) / p.totalBytes) * 100)}%` +
            (p.bytesPerSecond ? ` · ${Math.round(p.bytesPerSecond / 1000)} kB/s` : '') +
            (p.etaSeconds !== undefined && p.bytesPerSecond ? ` · about ${Math.ceil(p.etaSeconds)} s left` : '')
          : p?.phase === 'session'
            ? 'preparing the session'
            : 'reading the manifest';
      return html`<p role="status">Loading: ${detail}…</p>`;
    }
    const l = this.load;
    if (!l) return html`<p class="muted">No model loaded.</p>`;
    return html`<div id="choice" data-backend=${l.backend} data-variant=${l.variant}>
      <p class="chosen">${l.backend === 'webgpu' ? 'WebGPU' : 'WASM'} · ${l.variant} · ${l.threads} thread${l.threads === 1 ? '' : 's'}</p>
      <p class="muted">${l.modelId} ${l.modelVersion} · ${(l.bytes / 1e6).toFixed(2)} MB · session ready in ${ms(l.sessionMs)}</p>
      ${l.fallbackFrom
        ? html`<p class="notice" id="fallback">Fell back from WebGPU (${l.fallbackFrom.variant}): ${l.fallbackFrom.error}</p>`
        : nothing}
      <p>Why:</p>
      <ol id="reasons">
        ${l.reasons.map((r) => html`<li>${r}</li>`)}
      </ol>
    </div>`;
  }

  private renderResult() {
    const r = this.result;
    if (this.busy === 'classify') return html`<p role="status">Running the model…</p>`;
    if (!r) return nothing;
    return html`<div id="result" data-backend=${r.backend}>
      <p id="timings">
        Preprocess ${ms(r.timings.preprocessMs)} · inference ${ms(r.timings.inferenceMs)} · total ${ms(r.timings.totalMs)}
        <span class="muted">(${r.backend}, ${r.variant})</span>
      </p>
      <table>
        <thead><tr><th>Attribute</th><th>Top labels</th></tr></thead>
        <tbody>
          ${r.heads.map(
            (h) => html`<tr data-head=${h.head}>
              <td>${h.head}</td>
              <td>${h.top.map((t, i) => html`${i > 0 ? ' · ' : ''}<span lang="en">${t.en}</span> / <span lang="hi">${t.hi}</span> ${(t.score * 100).toFixed(1)}%`)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      <p class="muted">Embedding: ${r.embedding.length} dimensions.</p>
    </div>`;
  }

  override render() {
    const busy = this.busy !== '';
    return html`<h1>Engine</h1>
      <p class="muted">The on-device inference engine: what this device offers, what the engine chose, and a test run.</p>
      <section aria-labelledby="probe-h">
        <h2 id="probe-h">This device</h2>
        ${this.renderProbe()}
      </section>
      <section aria-labelledby="choice-h">
        <h2 id="choice-h">Backend and model</h2>
        <div class="controls">
          <label>Backend
            <select id="backend" .value=${this.backend} @change=${(e: Event) => (this.backend = (e.target as HTMLSelectElement).value as BackendName | 'auto')}>
              <option value="auto">automatic</option><option value="webgpu">WebGPU</option><option value="wasm">WASM</option>
            </select>
          </label>
          <label>Variant
            <select id="variant" .value=${this.variant} @change=${(e: Event) => (this.variant = (e.target as HTMLSelectElement).value as VariantName | 'auto')}>
              <option value="auto">automatic</option><option value="fp32">fp32</option><option value="fp16">fp16</option><option value="int8">int8</option>
            </select>
          </label>
          <label>Threads
            <input id="threads" type="number" min="1" max="16" placeholder="auto" .value=${this.threads}
              @change=${(e: Event) => (this.threads = (e.target as HTMLInputElement).value)} />
          </label>
          <button id="load" ?disabled=${busy} @click=${() => void this.doLoad()}>Load</button>
        </div>
        ${this.renderChoice()}
      </section>
      <section aria-labelledby="run-h">
        <h2 id="run-h">Try a photo</h2>
        <label>Photo
          <input id="image" type="file" accept="image/*" ?disabled=${!this.load || busy} @change=${(e: Event) => void this.onFile(e)} />
        </label>
        ${this.previewUrl ? html`<img class="preview" src=${this.previewUrl} alt="The chosen photo" />` : nothing}
        ${this.renderResult()}
      </section>
      ${this.error ? html`<p class="error" role="alert" id="error">${this.error}</p>` : nothing}`;
  }
}
