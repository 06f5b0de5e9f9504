/**
 * Filter controls for a product list: one select per facet (values with counts, names in the UI
 * language) and a price band. Emits `filters-change` with the SearchFilters to apply.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { FacetName, FacetSummary, SearchFilters } from '../../features/catalogue/shared/catalogue-types.ts';
import { formatNumber, formatPrice, t, type MessageKey } from '../../i18n/i18n.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import { attributeValueName } from '../services/label-names.ts';
import { sharedStyles } from '../styles/shared-styles.ts';

/** Facets offered as filters, in display order (season is shown on products but rarely filtered by). */
export const FILTER_FACETS: readonly FacetName[] = ['gender', 'articleType', 'usage', 'colour'];
const FACET_LABEL: Record<string, MessageKey> = {
  gender: 'filter.gender',
  articleType: 'filter.articleType',
  usage: 'filter.usage',
  colour: 'filter.colour',
};

export interface PriceBand {
  min?: number;
  max?: number;
}

/** Bands that overlap the catalogue's price range (rupees). */
export function priceBands(range: { min: number; max: number } | null): PriceBand[] {
  const edges = [500, 1000, 2000, 5000];
  const bands: PriceBand[] = [{ max: edges[0]! - 1 }];
  for (let i = 0; i + 1 < edges.length; i++) bands.push({ min: edges[i]!, max: edges[i + 1]! - 1 });
  bands.push({ min: edges[edges.length - 1]! });
  if (!range) return [];
  return bands.filter((b) => (b.min ?? 0) <= range.max && (b.max ?? Infinity) >= range.min);
}

export function priceBandLabel(b: PriceBand): string {
  if (b.min === undefined) return t('filter.priceUnder', { price: formatPrice((b.max ?? 0) + 1) });
  if (b.max === undefined) return t('filter.priceOver', { price: formatPrice(b.min) });
  return t('filter.priceBetween', { min: formatPrice(b.min), max: formatPrice(b.max) });
}

const bandKey = (b: PriceBand): string => `${b.min ?? ''}-${b.max ?? ''}`;

@customElement('drishti-facet-filters')
export class FacetFilters extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      fieldset { border: 1px solid var(--line); border-radius: var(--radius); padding: 0.5rem 0.6rem 0.7rem; margin: 0; min-width: 0; }
      legend { font-weight: 600; padding: 0 0.3rem; }
      .grid { display: grid; gap: 0.5rem; grid-template-columns: repeat(auto-fill, minmax(140px, 1fr)); }
      label { display: flex; flex-direction: column; gap: 0.2rem; font-size: 0.9rem; min-width: 0; }
      select { width: 100%; }
      .clear { margin-top: 0.6rem; }
    `,
  ];

  private readonly i18n = new LocaleController(this);
  @property({ attribute: false }) facets: FacetSummary[] = [];
  @property({ attribute: false }) priceRange: { min: number; max: number } | null = null;
  @property({ attribute: false }) filters: SearchFilters = {};
  /** Facets to leave out (e.g. the ones a page shows elsewhere). */
  @property({ attribute: false }) only: readonly FacetName[] = FILTER_FACETS;

  private emit(filters: SearchFilters): void {
    this.dispatchEvent(new CustomEvent<SearchFilters>('filters-change', { detail: filters, bubbles: true, composed: true }));
  }

  private onFacet(name: FacetName, value: string): void {
    const next: SearchFilters = { ...this.filters };
    if (value) next[name] = [value];
    else delete next[name];
    this.emit(next);
  }

  private onPrice(key: string): void {
    const next: SearchFilters = { ...this.filters };
    delete next.priceMin;
    delete next.priceMax;
    const band = priceBands(this.priceRange).find((b) => bandKey(b) === key);
    if (band?.min !== undefined) next.priceMin = band.min;
    if (band?.max !== undefined) next.priceMax = band.max;
    this.emit(next);
  }

  override render() {
    const bands = priceBands(this.priceRange);
    const currentBand = bandKey({ min: this.filters.priceMin, max: this.filters.priceMax });
    const active = Object.values(this.filters).some((v) => (Array.isArray(v) ? v.length > 0 : v !== undefined));
    return html`<fieldset>
      <legend>${t('filter.heading')}</legend>
      <div class="grid">
        ${this.only.map((name) => {
          const summary = this.facets.find((f) => f.name === name);
          if (!summary || summary.values.length < 2) return nothing;
          const selected = this.filters[name]?.[0] ?? '';
          return html`<label>
            ${t(FACET_LABEL[name] ?? 'filter.any')}
            <select name=${name} @change=${(e: Event) => this.onFacet(name, (e.target as HTMLSelectElement).value)}>
              <option value="" ?selected=${!selected}>${t('filter.any')}</option>
              ${summary.values.map(
                (v) => html`<option value=${v.value} ?selected=${v.value === selected}>
                  ${attributeValueName(name, v.value)} (${formatNumber(v.count)})
                </option>`,
              )}
            </select>
          </label>`;
        })}
        ${bands.length > 1
          ? html`<label>
              ${t('filter.price')}
              <select name="price" @change=${(e: Event) => this.onPrice((e.target as HTMLSelectElement).value)}>
                <option value="-" ?selected=${currentBand === '-'}>${t('filter.any')}</option>
                ${bands.map((b) => html`<option value=${bandKey(b)} ?selected=${bandKey(b) === currentBand}>${priceBandLabel(b)}</option>`)}
              </select>
            </label>`
          : nothing}
      </div>
      ${active ? html`<button class="secondary clear" @click=${() => this.emit({})}>${t('browse.clearAll')}</button>` : nothing}
    </fieldset>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drishti-facet-filters': FacetFilters;
  }
}
