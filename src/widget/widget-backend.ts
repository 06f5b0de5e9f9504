/**
 * What the elements need from the heavy half of the widget (engine, catalogue, recommendations).
 * Types only, so the loader chunk stays small; `runtime/widget-runtime.ts` implements it and is
 * imported on first use.
 */
import type { DrishtiProduct } from './types.ts';

export interface BackendSource {
  /** Absolute URL of the catalogue pack manifest. */
  packUrl: string;
  /** Absolute URL of the model manifest (only needed for photo search). */
  manifestUrl?: string;
}

export type SearchStage = 'pack' | 'model' | 'search';

export interface WidgetBackend {
  /** Products most like the catalogue product `productId` (itself excluded). */
  similar(productId: string, limit: number, signal?: AbortSignal): Promise<DrishtiProduct[]>;
  /** Products most like a shopper's photo; the photo never leaves the device. */
  searchPhoto(photo: Blob, limit: number, signal?: AbortSignal, onStage?: (stage: SearchStage) => void): Promise<DrishtiProduct[]>;
  /** Starts fetching the model ahead of a search (e.g. when the lens panel opens). */
  warmUp(signal?: AbortSignal): Promise<void>;
}

export interface WidgetRuntimeModule {
  backendFor(source: BackendSource): WidgetBackend;
}
