/**
 * `<drishti-similar product-id="…">`: a row of catalogue products that look like the given one.
 * Needs only the catalogue pack (embeddings are in it), not the model.
 */
import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { DrishtiElement } from './drishti-element.ts';
import type { DrishtiSimilarElement } from './public-api.ts';
import { renderProductGrid, renderSkeleton } from './product-grid.ts';
import type { DrishtiProduct } from './types.ts';
import { themeStyles } from './widget-styles.ts';

type SimilarState = { kind: 'idle' } | { kind: 'loading' } | { kind: 'done'; products: DrishtiProduct[] } | { kind: 'error'; message: string };

export class DrishtiSimilar extends DrishtiElement implements DrishtiSimilarElement {
  static override styles = [
    themeStyles,
    css`
      .heading { font-size: 1.1em; font-weight: 600; margin: 0 0 8px; }
    `,
  ];

  @property({ attribute: 'product-id' }) productId = '';
  /** Heading above the row; `heading=""` hides it. Defaults to the localised "Similar products". */
  @property() heading: string | undefined;
  @state() private view: SimilarState = { kind: 'idle' };
  private request: AbortController | undefined;
  private requestedKey: string | undefined;

  /** Products currently shown (empty until loaded). */
  get products(): DrishtiProduct[] {
    return this.view.kind === 'done' ? this.view.products : [];
  }

  /** Loads now, whether or not the element is visible. Resolves with the products shown. */
  async load(): Promise<DrishtiProduct[]> {
    this.activated = true;
    await this.refresh();
    return this.products;
  }

  protected onActivate(): void {
    void this.refresh();
  }

  protected override updated(): void {
    // Later changes of what to show start a new request (the first one starts on activation).
    if (this.activated && this.requestedKey !== undefined && this.requestedKey !== this.requestKey()) void this.refresh();
  }

  private requestKey(): string {
    return `${this.productId.trim()}\n${this.packUrl}\n${this.limit}`;
  }

  override disconnectedCallback(): void {
    this.request?.abort();
    super.disconnectedCallback();
  }

  private async refresh(): Promise<void> {
    this.request?.abort();
    const request = new AbortController();
    this.request = request;
    this.requestedKey = this.requestKey();
    const id = this.productId.trim();
    if (!id) {
      this.view = { kind: 'error', message: this.emitError(new Error('Set product-id to the id of a catalogue product.'), 'config').message };
      return;
    }
    this.view = { kind: 'loading' };
    try {
      const backend = await this.backend(false);
      const products = await backend.similar(id, this.limit, request.signal);
      if (!request.signal.aborted) this.view = { kind: 'done', products };
    } catch (err) {
      if (request.signal.aborted) return;
      this.view = { kind: 'error', message: this.emitError(err, 'pack').message };
    }
  }

  override render() {
    const t = this.t;
    const heading = this.heading ?? t.similarHeading;
    const v = this.view;
    return html`<section part="container" aria-busy=${v.kind === 'loading' ? 'true' : 'false'}>
      ${heading ? html`<h2 class="heading" part="heading">${heading}</h2>` : nothing}
      ${v.kind === 'idle' || v.kind === 'loading'
        ? renderSkeleton(this.limit)
        : v.kind === 'error'
          ? html`<p class="status error" part="status" role="status">${t.error}: ${v.message}</p>`
          : v.products.length === 0
            ? html`<p class="status" part="status">${t.noResults}</p>`
            : renderProductGrid(v.products, this.lang, t, {
                select: (p) => this.emitProduct('drishti-select', p),
                addToCart: (p) => this.emitProduct('drishti-add-to-cart', p),
                imageLoading: 'lazy',
              })}
    </section>`;
  }
}
