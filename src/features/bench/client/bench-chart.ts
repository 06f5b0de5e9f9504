/**
 * A small SVG bar chart of the bench rows: milliseconds per image at the median (bar), the
 * min…p95 spread (whisker) and the compute floor (tick), so batch 1 and batch 8 compare directly.
 */
import { LitElement, css, html, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { backendLabel, type BenchRow } from '../shared/bench-report.ts';

const ROW_H = 22;
const LABEL_W = 190;
const PLOT_W = 420;
const AXIS_H = 24;

const COLOURS: Record<string, string> = { int8: '#2f7d32', fp16: '#1565c0', fp32: '#8e24aa' };

function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const mag = 10 ** Math.floor(Math.log10(v));
  const n = v / mag;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
}

@customElement('drishti-bench-chart')
export class BenchChart extends LitElement {
  static override styles = css`
    :host { display: block; overflow-x: auto; }
    svg { font: 12px system-ui, sans-serif; }
    .label { fill: #333; }
    .axis { stroke: #999; }
    .grid { stroke: #eee; }
    .whisker { stroke: #333; stroke-width: 1.5; }
    .floor { stroke: #d32f2f; stroke-width: 2; }
  `;

  @property({ attribute: false }) rows: BenchRow[] = [];

  override render() {
    if (this.rows.length === 0) return html``;
    const perImage = (ms: number, r: BenchRow) => ms / r.batch;
    const max = niceMax(Math.max(...this.rows.map((r) => perImage(r.p95Ms, r))));
    const x = (ms: number) => LABEL_W + (Math.min(ms, max) / max) * PLOT_W;
    const height = this.rows.length * ROW_H + AXIS_H;
    const width = LABEL_W + PLOT_W + 20;
    const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1].map((f) => f * max);
    return html`<svg role="img" aria-label="Milliseconds per image by backend, variant and batch" width=${width} height=${height} viewBox="0 0 ${width} ${height}">
      ${ticks.map(
        (t) => svg`<line class="grid" x1=${x(t)} x2=${x(t)} y1="0" y2=${height - AXIS_H}></line>
          <text class="label" x=${x(t)} y=${height - 8} text-anchor="middle">${Number(t.toPrecision(3))}</text>`,
      )}
      <line class="axis" x1=${LABEL_W} x2=${LABEL_W} y1="0" y2=${height - AXIS_H}></line>
      ${this.rows.map((r, i) => {
        const y = i * ROW_H;
        const p50 = perImage(r.p50Ms, r);
        const floor = r.floorMs === null ? null : perImage(r.floorMs, r);
        return svg`<g>
          <title>${backendLabel(r.backend, r.threads)} ${r.variant} batch ${r.batch}: p50 ${p50.toFixed(1)} ms/image${floor === null ? '' : `, floor ${floor.toFixed(2)} ms`}</title>
          <text class="label" x=${LABEL_W - 6} y=${y + 15} text-anchor="end">${backendLabel(r.backend, r.threads)} · ${r.variant} · b${r.batch}</text>
          <rect x=${LABEL_W} y=${y + 4} width=${Math.max(1, x(p50) - LABEL_W)} height=${ROW_H - 8} fill=${COLOURS[r.variant] ?? '#555'}></rect>
          <line class="whisker" x1=${x(perImage(r.minMs, r))} x2=${x(perImage(r.p95Ms, r))} y1=${y + ROW_H / 2} y2=${y + ROW_H / 2}></line>
          ${floor === null ? '' : svg`<line class="floor" x1=${x(floor)} x2=${x(floor)} y1=${y + 2} y2=${y + ROW_H - 2}></line>`}
        </g>`;
      })}
    </svg>
    <p><small>Bars: median ms per image (p50 ÷ batch); black line: min…p95; red tick: compute floor.</small></p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drishti-bench-chart': BenchChart;
  }
}
