/**
 * The published type surface of `drishti-widget.js` (emitted as the package's .d.ts by
 * `npm run build:widget`, see src/widget/tsconfig.types.json). It describes the elements as plain HTMLElements so a merchant's
 * TypeScript needs no Lit; the classes implement these interfaces, so the two cannot drift.
 */
// `.js` specifiers: this file's .d.ts is read by merchants' TypeScript, whatever its settings.
import type { DrishtiLang, DrishtiProduct, DrishtiWidgetSettings } from './types.js';

export type * from './types.js';

export interface DrishtiSimilarElement extends HTMLElement, Omit<DrishtiWidgetSettings, 'lang'> {
  lang: DrishtiLang;
  /** Catalogue id of the product on the page (`product-id`). */
  productId: string;
  /** Heading above the row (`heading`); empty hides it; unset shows the localised default. */
  heading: string | undefined;
  /** The products shown (empty until loaded). */
  readonly products: DrishtiProduct[];
  /** Loads now, visible or not; resolves with the products shown. */
  load(): Promise<DrishtiProduct[]>;
}

export interface DrishtiLensElement extends HTMLElement, Omit<DrishtiWidgetSettings, 'lang'> {
  lang: DrishtiLang;
  /** The products from the last search (empty until one finishes). */
  readonly products: DrishtiProduct[];
  /** Opens the panel and starts preparing the on-device model. */
  open(): Promise<void>;
  close(): void;
  /** Searches the catalogue for products that look like `photo`; the photo never leaves the device. */
  search(photo: Blob): Promise<DrishtiProduct[]>;
}

/** The element classes the module exports (already registered as the two tags when it loads). */
export declare const DrishtiSimilar: { prototype: DrishtiSimilarElement; new (): DrishtiSimilarElement };
export declare const DrishtiLens: { prototype: DrishtiLensElement; new (): DrishtiLensElement };

declare global {
  interface HTMLElementTagNameMap {
    'drishti-similar': DrishtiSimilarElement;
    'drishti-lens': DrishtiLensElement;
  }
}
