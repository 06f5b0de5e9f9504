/**
 * The catalogues loaded in this worker, by id. Other worker features (recommendations) read them
 * here directly, with no message hop: `getLoadedCatalogue(id)`.
 */
import type { CatalogueIndex } from '../shared/catalogue-index.ts';
import { CatalogueError } from '../shared/catalogue-api.ts';
import { readPack, httpPackSource, type ExpectedModel, type LoadedPack, type PackFileSource } from '../shared/pack-reader.ts';

export interface LoadedCatalogue {
  index: CatalogueIndex;
  source?: string;
}

const loaded = new Map<string, LoadedCatalogue>();
const listeners = new Set<(id: string, catalogue: LoadedCatalogue | null) => void>();

export function putCatalogue(c: LoadedCatalogue): void {
  loaded.set(c.index.id, c);
  for (const l of listeners) l(c.index.id, c);
}

export function dropCatalogue(id: string): void {
  loaded.delete(id);
  for (const l of listeners) l(id, null);
}

export function getLoadedCatalogue(id: string): LoadedCatalogue | undefined {
  return loaded.get(id);
}

export function loadedCatalogues(): LoadedCatalogue[] {
  return [...loaded.values()];
}

export function requireCatalogue(id: string): CatalogueIndex {
  const c = loaded.get(id);
  if (!c) {
    throw new CatalogueError('not-loaded', `The catalogue "${id}" is not loaded in the worker (it may have restarted). Load it again.`);
  }
  return c.index;
}

/** Called with (id, catalogue) on load and (id, null) on unload — e.g. to rebuild a recommendations index. */
export function onCatalogueChange(listener: (id: string, catalogue: LoadedCatalogue | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * How pack files are fetched: plain HTTP by default; the delivery feature may replace it with
 * resumable, cached, verified downloads (the pack reader still checks every sha256).
 */
export type PackSourceFactory = (packJsonUrl: string) => PackFileSource;
let sourceFactory: PackSourceFactory = (url) => httpPackSource(url);

export function setPackSourceFactory(factory: PackSourceFactory): void {
  sourceFactory = factory;
}

export function fetchPack(packJsonUrl: string, expected?: ExpectedModel): Promise<LoadedPack> {
  return readPack(sourceFactory(packJsonUrl), packJsonUrl, expected);
}
