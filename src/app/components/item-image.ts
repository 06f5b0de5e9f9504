/**
 * A product image. Catalogue pack images are plain URLs; photos imported on this device are kept
 * in IndexedDB (drishti-import: URLs) and are shown through object URLs resolved here.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';

const IMPORT_SCHEME = 'drishti-import:';

@customElement('drishti-item-image')
export class ItemImage extends LitElement {
  static override styles = css`
    :host { display: block; }
    img { width: 100%; height: 100%; object-fit: contain; display: block; background: #fff; border-radius: inherit; }
  `;

  @property() src = '';
  @property() alt = '';
  @property({ type: Number }) size = 256;
  @property({ type: Boolean }) lazy = false;
  @state() private resolved = '';

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (!changed.has('src')) return;
    if (!this.src.startsWith(IMPORT_SCHEME)) {
      this.resolved = this.src;
      return;
    }
    this.resolved = '';
    const wanted = this.src;
    void import('../../features/catalogue/client/local-images.ts')
      .then((m) => m.displayUrl(wanted))
      .then((url) => {
        if (this.src === wanted) this.resolved = url;
      })
      .catch(() => undefined);
  }

  override render() {
    return html`<img
      src=${this.resolved || 'data:image/gif;base64,R0lGODlhAQABAAAAACw='}
      alt=${this.alt}
      width=${this.size}
      height=${this.size}
      loading=${this.lazy ? 'lazy' : 'eager'}
      decoding="async"
    />`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drishti-item-image': ItemImage;
  }
}
