/**
 * `<drishti-lens>`: a "search by photo" button that opens a panel; the shopper picks or takes a
 * photo, the model embeds it on the device and the panel lists the closest catalogue products.
 * The engine and the model are fetched when the panel opens (the first use), not before.
 */
import { css, html, nothing, svg } from 'lit';
import { query, state } from 'lit/decorators.js';
import { DrishtiElement } from './drishti-element.ts';
import type { DrishtiLensElement } from './public-api.ts';
import { renderProductGrid } from './product-grid.ts';
import type { SearchStage } from './widget-backend.ts';
import type { DrishtiProduct } from './types.ts';
import { themeStyles } from './widget-styles.ts';

type LensState =
  | { kind: 'empty' }
  | { kind: 'busy'; stage: SearchStage | 'warm' }
  | { kind: 'done'; products: DrishtiProduct[] }
  | { kind: 'error'; message: string };

const cameraIcon = svg`<path fill="currentColor" d="M9 3 7.2 5H4a2 2 0 0 0-2 2v11a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2h-3.2L15 3H9zm3 5a5 5 0 1 1 0 10 5 5 0 0 1 0-10zm0 2a3 3 0 1 0 0 6 3 3 0 0 0 0-6z"/>`;

export class DrishtiLens extends DrishtiElement implements DrishtiLensElement {
  static override styles = [
    themeStyles,
    css`
      :host { display: inline-block; vertical-align: middle; }
      /* A fixed 36 px height, so a page can reserve the button's room before the script runs (no layout shift). */
      .open {
        display: inline-flex; align-items: center; gap: 6px; height: 36px; box-sizing: border-box; padding: 0 14px;
        border: 0; border-radius: 999px; background: var(--_accent); color: var(--_on-accent); white-space: nowrap;
      }
      .open svg { width: 18px; height: 18px; }
      dialog {
        width: min(720px, calc(100vw - 24px)); max-height: calc(100vh - 48px); box-sizing: border-box;
        border: 0; border-radius: var(--_radius); padding: 16px; background: var(--_bg); color: var(--_fg);
      }
      dialog::backdrop { background: rgb(0 0 0 / 0.45); }
      header { display: flex; justify-content: space-between; align-items: center; gap: 8px; margin-bottom: 12px; }
      h2 { font-size: 1.15em; margin: 0; }
      .close { border: 0; background: transparent; color: inherit; font-size: 1.4em; line-height: 1; padding: 4px 8px; }
      .pick {
        display: flex; flex-direction: column; align-items: center; gap: 6px; padding: 16px;
        border: 2px dashed var(--_muted); border-radius: var(--_radius); cursor: pointer; text-align: center;
      }
      .pick:focus-within { outline: 2px solid var(--_accent); }
      .pick input { position: absolute; width: 1px; height: 1px; opacity: 0; }
      .hint { color: var(--_muted); font-size: 0.9em; }
      canvas { max-width: 96px; max-height: 96px; border-radius: calc(var(--_radius) * 0.6); }
      canvas[hidden] { display: none; }
      .body { display: flex; flex-direction: column; gap: 12px; }
    `,
  ];

  @state() private view: LensState = { kind: 'empty' };
  @query('dialog') private dialog!: HTMLDialogElement;
  @query('canvas') private preview!: HTMLCanvasElement;
  private request: AbortController | undefined;
  private warm: AbortController | undefined;

  /** Products from the last search (empty until one finishes). */
  get products(): DrishtiProduct[] {
    return this.view.kind === 'done' ? this.view.products : [];
  }

  /** Opens the panel and starts preparing the engine and the model. */
  async open(): Promise<void> {
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
    this.activate();
  }

  close(): void {
    this.dialog?.close();
  }

  /** Searches the catalogue for products like `photo` (any image the browser decodes). */
  async search(photo: Blob): Promise<DrishtiProduct[]> {
    await this.open();
    this.request?.abort();
    const request = new AbortController();
    this.request = request;
    this.view = { kind: 'busy', stage: 'pack' };
    void this.drawPreview(photo);
    try {
      const backend = await this.backend(true);
      const products = await backend.searchPhoto(photo, this.limit, request.signal, (stage) => {
        if (!request.signal.aborted) this.view = { kind: 'busy', stage };
      });
      if (request.signal.aborted) return [];
      this.view = { kind: 'done', products };
      return products;
    } catch (err) {
      if (request.signal.aborted) return [];
      const e = this.emitError(err, 'photo');
      this.view = { kind: 'error', message: e.message };
      return [];
    }
  }

  /** Opening the panel is the first use: fetch the engine and model while the shopper picks a photo. */
  protected onActivate(): void {
    if (this.view.kind !== 'empty') return;
    const request = new AbortController();
    this.warm = request;
    this.view = { kind: 'busy', stage: 'warm' };
    this.backend(true)
      .then((b) => b.warmUp(request.signal))
      .then(
        () => {
          if (!request.signal.aborted && this.view.kind === 'busy' && this.view.stage === 'warm') this.view = { kind: 'empty' };
        },
        (err: unknown) => {
          if (request.signal.aborted) return;
          this.view = { kind: 'error', message: this.emitError(err, 'model').message };
        },
      );
  }

  /** Visible is not used: a button in every page header must not fetch the engine on each visit. */
  protected override onVisible(): void {}

  override disconnectedCallback(): void {
    this.request?.abort();
    this.warm?.abort();
    super.disconnectedCallback();
  }

  /** The preview is drawn on a canvas, so no blob: URL is needed (a strict img-src may forbid it). */
  private async drawPreview(photo: Blob): Promise<void> {
    const canvas = this.preview;
    try {
      const bitmap = await createImageBitmap(photo);
      const scale = 96 / Math.max(bitmap.width, bitmap.height);
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
      canvas.hidden = false;
    } catch {
      canvas.hidden = true; // the search reports an undecodable photo itself
    }
  }

  private onPick(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) void this.search(file);
  }

  private statusText(): string {
    const v = this.view;
    const t = this.t;
    if (v.kind === 'busy') return v.stage === 'search' ? t.searching : v.stage === 'pack' ? t.loading : t.loadingModel;
    if (v.kind === 'error') return `${t.error}: ${v.message}`;
    if (v.kind === 'done' && v.products.length === 0) return t.noResults;
    return '';
  }

  override render() {
    const t = this.t;
    const v = this.view;
    const status = this.statusText();
    return html`<button class="open" part="button" type="button" aria-haspopup="dialog" @click=${() => void this.open()}>
        <svg viewBox="0 0 24 24" aria-hidden="true">${cameraIcon}</svg><span>${t.lensButton}</span>
      </button>
      <dialog part="panel" aria-labelledby="title">
        <header>
          <h2 id="title" part="heading">${t.lensTitle}</h2>
          <button class="close" part="close" type="button" aria-label=${t.close} @click=${() => this.close()}>×</button>
        </header>
        <div class="body">
          <label class="pick" part="picker">
            <input type="file" accept="image/*" capture="environment" @change=${(e: Event) => this.onPick(e)} />
            <canvas hidden></canvas>
            <span>${t.lensPick}</span>
            <span class="hint">${t.lensHint}</span>
          </label>
          ${status
            ? html`<p class="status ${v.kind === 'error' ? 'error' : ''}" part="status" role="status" aria-live="polite">${status}</p>`
            : nothing}
          ${v.kind === 'done' && v.products.length > 0
            ? renderProductGrid(v.products, this.lang, t, {
                select: (p) => this.emitProduct('drishti-select', p),
                addToCart: (p) => this.emitProduct('drishti-add-to-cart', p),
                imageLoading: 'eager',
              })
            : nothing}
        </div>
      </dialog>`;
  }
}
