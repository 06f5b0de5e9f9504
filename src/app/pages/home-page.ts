/**
 * The snap page: photo in (camera, upload, paste, drop) → instant preview → what the model sees
 * (type, gender, occasion, colour, season with confidence) → "similar in this store" with filters.
 * Times photo-chosen → results-painted for every search (performance measure
 * "drishti:photo-to-results", also on `data-results-ms` for tests).
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import type { CatalogueInfo, SearchFilters, SearchHit } from '../../features/catalogue/shared/catalogue-types.ts';
import { isAbortError, isEngineError } from '../../features/engine/shared/engine-errors.ts';
import type { PhotoReadyDetail } from '../../features/intake/client/photo-intake.ts';
import type { IntakePhoto } from '../../features/intake/client/load-photo.ts';
import '../../features/intake/client/photo-intake.ts';
import '../../features/feedback/client/correct-tag.ts';
import type { ModelManifest } from '../../shared/model-manifest.ts';
import type { HeadPrediction } from '../../shared/model-output.ts';
import { formatNumber, localName, t, tn } from '../../i18n/i18n.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import '../components/attribute-list.ts';
import '../components/facet-filters.ts';
import '../components/product-grid.ts';
import { loadLabelNames } from '../services/label-names.ts';
import { trackModelOutcome } from '../services/model-experiment.ts';
import { classifyPhoto, ensureModel, modelReady, onModelProgress } from '../services/photo-search.ts';
import type { LoadProgress } from '../../features/engine/shared/engine-api.ts';
import { recordHistory } from '../services/shopper-history.ts';
import { storeCatalogue } from '../services/store-catalogue.ts';
import { sharedStyles } from '../styles/shared-styles.ts';

/** A first screenful renders fast; "show more" asks for the rest. */
const SIMILAR_K = 12;
const SIMILAR_MORE_K = 48;

type Phase = 'idle' | 'looking' | 'done' | 'failed';

interface Analysis {
  heads: HeadPrediction[];
  embedding: Float32Array;
  inferenceMs: number;
}

function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

@customElement('drishti-home-page')
export class HomePage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      .intro { margin-top: 0; }
      .result { display: grid; gap: 1rem; margin-top: 1rem; grid-template-columns: minmax(0, 1fr); }
      @media (min-width: 640px) { .result { grid-template-columns: minmax(0, 220px) minmax(0, 1fr); } }
      figure { margin: 0; }
      canvas { width: auto; height: auto; max-width: 100%; max-height: 40vh; border-radius: var(--radius); background: #f4f4f4; display: block; }
      figcaption { font-size: 0.85rem; color: var(--muted); margin-top: 0.3rem; }
      h2 { margin-top: 0; }
      .similar { margin-top: 1.2rem; }
      .similar h2 { margin-bottom: 0.3rem; }
      .toolbar { display: flex; flex-wrap: wrap; gap: 0.6rem; align-items: center; margin: 0.5rem 0; }
      .toolbar label { display: inline-flex; gap: 0.4rem; align-items: center; min-height: 44px; }
      .toolbar input[type='checkbox'] { width: 22px; height: 22px; }
      drishti-facet-filters { margin: 0.5rem 0 0.8rem; }
      .timing { font-size: 0.8rem; color: var(--muted); }
      .more { display: flex; justify-content: center; margin: 1rem 0; }
    `,
  ];

  private readonly i18n = new LocaleController(this);
  @state() private phase: Phase = 'idle';
  @state() private analysis: Analysis | undefined;
  @state() private hits: SearchHit[] = [];
  @state() private catalogue: CatalogueInfo | null | undefined;
  @state() private filters: SearchFilters = {};
  @state() private sameType = false;
  @state() private similarK = SIMILAR_K;
  @state() private failure = '';
  @state() private resultsMs: number | undefined;
  @state() private previewSize = { width: 0, height: 0 };
  @state() private manifest: ModelManifest | null = null;
  @state() private modelProgress: LoadProgress | undefined;
  private stopProgress: (() => void) | undefined;
  /** Names this photo search in a tag correction (the photo itself is never stored). */
  @state() private photoId = '';
  @query('canvas') private canvas: HTMLCanvasElement | undefined;
  private pendingPhoto: IntakePhoto | undefined;
  private search: AbortController | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void loadLabelNames().then((m) => (this.manifest = m));
    void storeCatalogue()
      .then((c) => c.info())
      .then((info) => (this.catalogue = info))
      .catch(() => (this.catalogue = null));
    // Warm the model while the shopper frames the photo; a failure here is reported on the photo.
    this.stopProgress = onModelProgress((p) => (this.modelProgress = p));
    void ensureModel()
      .then(() => (this.modelProgress = undefined))
      .catch(() => undefined);
  }

  override disconnectedCallback(): void {
    this.stopProgress?.();
    this.search?.abort();
    super.disconnectedCallback();
  }

  private onChosen(): void {
    this.search?.abort();
    this.failure = '';
    delete this.dataset.resultsMs;
  }

  private async onPhotoReady(event: CustomEvent<PhotoReadyDetail>): Promise<void> {
    const { photo, chosenAt } = event.detail;
    this.search?.abort();
    const controller = new AbortController();
    this.search = controller;
    const { signal } = controller;
    this.pendingPhoto = photo;
    this.photoId = `photo-${Date.now().toString(36)}`;
    this.previewSize = { width: photo.bitmap.width, height: photo.bitmap.height };
    this.phase = 'looking';
    this.analysis = undefined;
    this.hits = [];
    this.sameType = false;
    this.filters = {};
    this.similarK = SIMILAR_K;
    this.resultsMs = undefined;
    this.failure = '';
    try {
      const readyAt = performance.now();
      const result = await classifyPhoto(photo.pixels, signal);
      const classifiedAt = performance.now();
      const analysis: Analysis = { heads: result.heads, embedding: result.embedding, inferenceMs: result.timings.totalMs };
      const hits = await this.findSimilar(analysis.embedding, {});
      const searchedAt = performance.now();
      if (signal.aborted) return;
      this.analysis = analysis;
      this.hits = hits;
      this.phase = 'done';
      await this.updateComplete;
      await nextFrame();
      if (signal.aborted) return;
      this.resultsMs = performance.now() - chosenAt;
      performance.measure('drishti:photo-to-results', { start: chosenAt, end: chosenAt + this.resultsMs });
      this.dataset.resultsMs = this.resultsMs.toFixed(1);
      // Where the time went, for the speed report (decode on the page, the worker round trips, render).
      this.dataset.timings = JSON.stringify({
        decodeMs: +(readyAt - chosenAt).toFixed(1),
        classifyMs: +(classifiedAt - readyAt).toFixed(1),
        inferenceMs: +result.timings.inferenceMs.toFixed(1),
        preprocessMs: +result.timings.preprocessMs.toFixed(1),
        searchMs: +(searchedAt - classifiedAt).toFixed(1),
        renderMs: +(chosenAt + this.resultsMs - searchedAt).toFixed(1),
      });
      this.dispatchEvent(new CustomEvent('results-shown', { detail: { ms: this.resultsMs }, bubbles: true, composed: true }));
      void recordHistory({ kind: 'photo-search', at: Date.now(), embedding: analysis.embedding, attributes: this.topAttributes(analysis) });
    } catch (err) {
      if (signal.aborted || isAbortError(err)) return;
      this.phase = 'failed';
      this.failure = this.describeFailure(err);
    }
  }

  private topAttributes(a: Analysis): Record<string, string> {
    return Object.fromEntries(a.heads.filter((h) => h.top[0]).map((h) => [h.head, h.top[0]!.id]));
  }

  private describeFailure(err: unknown): string {
    if (isEngineError(err)) {
      if (err.code === 'timeout') return t('snap.timeout');
      if (err.code === 'manifest' || err.code === 'download' || err.code === 'integrity') return t('snap.modelMissing');
    }
    return t('snap.engineFailed', { detail: err instanceof Error ? err.message : String(err) });
  }

  private async findSimilar(embedding: Float32Array, filters: SearchFilters): Promise<SearchHit[]> {
    const catalogue = await storeCatalogue();
    this.catalogue ??= await catalogue.info();
    if (!this.catalogue) return [];
    return (await catalogue.searchByEmbedding(embedding, this.similarK, filters)).hits;
  }

  private effectiveFilters(): SearchFilters {
    const type = this.analysis?.heads.find((h) => h.head === 'articleType')?.top[0]?.id;
    return this.sameType && type ? { ...this.filters, articleType: [type] } : this.filters;
  }

  private async refilter(): Promise<void> {
    if (!this.analysis) return;
    this.hits = await this.findSimilar(this.analysis.embedding, this.effectiveFilters());
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    // Draw the preview as soon as its canvas exists: before the model has answered.
    const photo = this.pendingPhoto;
    if (photo && this.canvas) {
      this.canvas.getContext('2d')?.drawImage(photo.bitmap, 0, 0);
      photo.bitmap.close();
      this.pendingPhoto = undefined;
      // On a phone the photo area fills the screen: bring the preview (and the answer to come) into view.
      this.canvas.closest('section')?.scrollIntoView({ block: 'start' });
    }
  }

  /** "Wrong tag?" for the article type: the correction is kept on this phone for the next training run. */
  private renderCorrection() {
    const top = this.analysis?.heads.find((h) => h.head === 'articleType')?.top[0];
    const head = this.manifest?.heads.find((h) => h.name === 'articleType');
    if (!top || !head || !this.manifest) return nothing;
    return html`<drishti-correct-tag
      item-id=${this.photoId}
      head="articleType"
      model-id=${this.manifest.id}
      model-version=${this.manifest.version}
      .predicted=${{ id: top.id, en: top.en, hi: top.hi }}
      .options=${head.labels}
    ></drishti-correct-tag>`;
  }

  /** While the model is still arriving (first visit), how far along it is. */
  private renderModelProgress() {
    const p = this.modelProgress;
    if (!p || modelReady()) return nothing;
    const fraction = p.phase === 'download' && p.totalBytes ? (p.loadedBytes ?? 0) / p.totalBytes : undefined;
    return html`<p class="muted">${t('snap.loadingModel')}</p>
      <progress max="1" .value=${fraction ?? null} aria-label=${t('snap.loadingModel')}></progress>`;
  }

  private renderStatus() {
    if (this.phase === 'looking') return t('snap.looking');
    if (this.phase === 'done' && this.analysis) {
      const type = this.analysis.heads.find((h) => h.head === 'articleType')?.top[0];
      return type ? t('snap.found', { label: localName(type) }) : '';
    }
    return '';
  }

  private renderSimilar() {
    if (this.catalogue === null) {
      return html`<p class="notice" id="no-catalogue">${t('similar.noCatalogue')} <a href="/import">${t('similar.importCatalogue')}</a></p>`;
    }
    if (!this.catalogue) return nothing;
    const typeLabel = this.analysis?.heads.find((h) => h.head === 'articleType')?.top[0];
    return html`
      <div class="toolbar">
        ${typeLabel
          ? html`<label
              ><input
                type="checkbox"
                .checked=${this.sameType}
                @change=${(e: Event) => {
                  this.sameType = (e.target as HTMLInputElement).checked;
                  void this.refilter();
                }}
              />${t('filter.sameType')} (${localName(typeLabel)})</label
            >`
          : nothing}
      </div>
      <drishti-facet-filters
        .facets=${this.catalogue.facets}
        .priceRange=${this.catalogue.priceRange}
        .filters=${this.filters}
        .only=${['gender', 'usage', 'colour'] as const}
        @filters-change=${(e: CustomEvent<SearchFilters>) => {
          this.filters = e.detail;
          void this.refilter();
        }}
      ></drishti-facet-filters>
      <p class="muted" aria-live="polite">${tn('similar.count', this.hits.length)}</p>
      ${this.hits.length
        ? html`<drishti-product-grid
            id="similar-grid"
            @click=${(e: Event) => {
              // Opening a similar item is the model experiment's outcome for this photo result.
              if (e.composedPath().some((n) => n instanceof HTMLAnchorElement)) void trackModelOutcome('click');
            }}
            .label=${t('similar.heading')}
            .catalogueId=${this.catalogue.id}
            .entries=${this.hits.map((h) => ({ item: h.item, score: h.score }))}
          ></drishti-product-grid>
          ${this.hits.length >= this.similarK && this.similarK < SIMILAR_MORE_K
            ? html`<p class="more"><button class="secondary" id="more-similar" @click=${() => {
                this.similarK = SIMILAR_MORE_K;
                void this.refilter();
              }}>${t('browse.showMore')}</button></p>`
            : nothing}`
        : html`<p>${t('similar.none')} <button class="secondary" @click=${() => {
            this.filters = {};
            this.sameType = false;
            void this.refilter();
          }}>${t('similar.clearFilters')}</button></p>`}
    `;
  }

  override render() {
    const showResult = this.phase !== 'idle';
    return html`
      <h1 tabindex="-1">${t('snap.title')}</h1>
      <p class="intro">${t('snap.intro')}</p>
      <drishti-photo-intake @photo-chosen=${this.onChosen} @photo-ready=${this.onPhotoReady}></drishti-photo-intake>
      <p role="status" aria-live="polite" class="visually-hidden" id="status">${this.renderStatus()}</p>
      ${showResult
        ? html`<section class="result" aria-labelledby="what-we-see">
            <figure>
              <canvas width=${this.previewSize.width} height=${this.previewSize.height} role="img" aria-label=${t('snap.preview')}></canvas>
              <figcaption>${t('snap.preview')}</figcaption>
            </figure>
            ${this.failure ? html`<p class="error" role="alert" id="failure">${this.failure}</p>` : nothing}
            <div ?hidden=${this.phase === 'failed'}>
              <h2 id="what-we-see">${t('attr.heading')}</h2>
              ${this.phase === 'looking' ? html`<p aria-busy="true">${t('snap.looking')}</p>${this.renderModelProgress()}` : nothing}
              ${this.analysis ? html`<drishti-attribute-list .heads=${this.analysis.heads}></drishti-attribute-list>` : nothing}
              ${this.resultsMs !== undefined ? html`<p class="timing">${t('attr.timing', { ms: formatNumber(Math.round(this.resultsMs)) })}</p>` : nothing}
              ${this.renderCorrection()}
            </div>
          </section>`
        : nothing}
      ${this.phase === 'done'
        ? html`<section class="similar" aria-labelledby="similar-heading">
            <h2 id="similar-heading">${t('similar.heading')}</h2>
            ${this.renderSimilar()}
          </section>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drishti-home-page': HomePage;
  }
}
