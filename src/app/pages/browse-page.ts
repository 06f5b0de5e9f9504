/**
 * Browse the catalogue: facets (gender, type, occasion, colour, price), a search within the
 * results, and "show more". The filters live in the URL so Back and reloads keep them.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { CatalogueInfo, CatalogueItem, FacetName, SearchFilters } from '../../features/catalogue/shared/catalogue-types.ts';
import { t, tn } from '../../i18n/i18n.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import '../components/facet-filters.ts';
import '../components/product-grid.ts';
import { FILTER_FACETS } from '../components/facet-filters.ts';
import { loadLabelNames } from '../services/label-names.ts';
import { storeCatalogue } from '../services/store-catalogue.ts';
import { sharedStyles } from '../styles/shared-styles.ts';

const PAGE_SIZE = 24;

export function filtersFromSearch(search: string): { filters: SearchFilters; text: string } {
  const params = new URLSearchParams(search);
  const filters: SearchFilters = {};
  for (const f of FILTER_FACETS) {
    const v = params.get(f);
    if (v) filters[f] = [v];
  }
  const min = Number(params.get('min'));
  const max = Number(params.get('max'));
  if (params.get('min') && Number.isFinite(min)) filters.priceMin = min;
  if (params.get('max') && Number.isFinite(max)) filters.priceMax = max;
  return { filters, text: params.get('q') ?? '' };
}

export function searchFromFilters(filters: SearchFilters, text: string): string {
  const params = new URLSearchParams();
  for (const f of FILTER_FACETS) {
    const v = filters[f as FacetName]?.[0];
    if (v) params.set(f, v);
  }
  if (filters.priceMin !== undefined) params.set('min', String(filters.priceMin));
  if (filters.priceMax !== undefined) params.set('max', String(filters.priceMax));
  if (text.trim()) params.set('q', text.trim());
  const s = params.toString();
  return s ? `?${s}` : '';
}

@customElement('drishti-browse-page')
export class BrowsePage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      form { display: flex; gap: 0.5rem; margin: 0.6rem 0; flex-wrap: wrap; }
      form label { flex: 1 1 200px; display: flex; flex-direction: column; gap: 0.2rem; min-width: 0; }
      input[type='search'] { width: 100%; }
      .count { margin: 0.8rem 0 0.5rem; }
      .more { display: flex; justify-content: center; margin: 1rem 0; }
    `,
  ];

  private readonly i18n = new LocaleController(this);
  @state() private info: CatalogueInfo | null | undefined;
  @state() private items: CatalogueItem[] = [];
  @state() private total = 0;
  @state() private filters: SearchFilters = {};
  @state() private text = '';
  @state() private loading = true;
  @state() private failure = '';
  private queryToken = 0;
  private debounce: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    const fromUrl = filtersFromSearch(location.search);
    this.filters = fromUrl.filters;
    this.text = fromUrl.text;
    void this.start();
  }

  private async start(): Promise<void> {
    try {
      await loadLabelNames();
      this.info = await (await storeCatalogue()).info();
      if (this.info) await this.query(false);
    } catch (err) {
      this.failure = (err as Error).message;
    } finally {
      this.loading = false;
    }
  }

  private async query(append: boolean): Promise<void> {
    const token = ++this.queryToken;
    const catalogue = await storeCatalogue();
    const offset = append ? this.items.length : 0;
    const result = await catalogue.browse({ filters: this.filters, text: this.text, offset, limit: PAGE_SIZE });
    if (token !== this.queryToken) return; // a newer query superseded this one
    this.items = append ? [...this.items, ...result.items] : result.items;
    this.total = result.total;
  }

  private apply(filters: SearchFilters, text: string): void {
    this.filters = filters;
    this.text = text;
    history.replaceState(null, '', `${location.pathname}${searchFromFilters(filters, text)}`);
    void this.query(false).catch((err: unknown) => (this.failure = (err as Error).message));
  }

  private onText(value: string): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.apply(this.filters, value), 200);
  }

  override render() {
    // One heading element for every state, so focus placed on it by the shell survives loading.
    return html`<h1 tabindex="-1">${t('browse.title')}</h1>${this.renderBody()}`;
  }

  private renderBody() {
    if (this.loading && this.info === undefined) return html`<p role="status">${t('browse.loading')}</p>`;
    if (!this.info) {
      return html`${this.failure ? html`<p class="error" role="alert">${this.failure}</p>` : nothing}
        <p class="notice" id="no-catalogue">${t('similar.noCatalogue')} <a href="/import">${t('similar.importCatalogue')}</a></p>`;
    }
    return html`
      <form role="search" @submit=${(e: Event) => {
        e.preventDefault();
        clearTimeout(this.debounce);
        this.apply(this.filters, this.text);
      }}>
        <label>
          ${t('browse.search')}
          <input
            type="search"
            name="q"
            .value=${this.text}
            placeholder=${t('browse.searchPlaceholder')}
            @input=${(e: Event) => {
              this.text = (e.target as HTMLInputElement).value;
              this.onText(this.text);
            }}
          />
        </label>
      </form>
      <drishti-facet-filters
        .facets=${this.info.facets}
        .priceRange=${this.info.priceRange}
        .filters=${this.filters}
        @filters-change=${(e: CustomEvent<SearchFilters>) => this.apply(e.detail, this.text)}
      ></drishti-facet-filters>
      ${this.failure ? html`<p class="error" role="alert">${this.failure}</p>` : nothing}
      <p class="count" role="status" aria-live="polite" id="result-count">${tn('browse.results', this.total)}</p>
      ${this.items.length
        ? html`<drishti-product-grid
            .label=${t('browse.title')}
            .catalogueId=${this.info.id}
            .entries=${this.items.map((item) => ({ item }))}
          ></drishti-product-grid>`
        : html`<p>${t('browse.noResults')}</p>`}
      ${this.items.length < this.total
        ? html`<div class="more"><button class="secondary" @click=${() => void this.query(true).catch((err: unknown) => (this.failure = (err as Error).message))}>${t('browse.showMore')}</button></div>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drishti-browse-page': BrowsePage;
  }
}
