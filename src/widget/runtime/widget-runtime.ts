/**
 * The heavy half of the widget, imported when an element is first visible or used. It starts the
 * engine worker from the widget's own files and drives it through the app's worker bridge and
 * clients — the same engine, catalogue and recommendation code as the PWA, with the same
 * verified downloads — and turns their results into the widget's DrishtiProduct.
 *
 * One runtime per page (module scope, not a global), shared by every element: a pack or the
 * model is loaded once however many elements ask for it.
 */
import { CatalogueClient } from '../../features/catalogue/client/catalogue-client.ts';
import type { CatalogueItem } from '../../features/catalogue/shared/catalogue-types.ts';
import { EngineClient } from '../../features/engine/client/engine-client.ts';
import { WorkerBridge } from '../../features/engine/client/worker-bridge.ts';
import { isAbortError, isEngineError } from '../../features/engine/shared/engine-errors.ts';
import type { LoadResult } from '../../features/engine/shared/engine-api.ts';
import type { DrishtiWorkerApi } from '../../worker/drishti.worker.ts';
import type { DrishtiErrorCode, DrishtiProduct } from '../types.ts';
import type { BackendSource, WidgetBackend } from '../widget-backend.ts';
import { WidgetError } from '../widget-error.ts';
import { WIDGET_BASE, createWidgetWorker, workerFailedToStart } from './widget-worker.ts';

/** Generous: a first model download on a slow mobile link takes minutes. */
const RECS_LOAD_TIMEOUT_MS = 120_000;
const QUERY_TIMEOUT_MS = 60_000;

/** Maps what the engine, catalogue and recommendation code throw to the widget's error codes. */
export function widgetErrorFrom(err: unknown, fallback: DrishtiErrorCode): WidgetError | DOMException {
  if (isAbortError(err)) return err as DOMException;
  if (err instanceof WidgetError) return err;
  const message = err instanceof Error ? err.message : String(err);
  // The bridge wraps errors from other worker members in an EngineError; their own kind is the cause.
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : undefined;
  const inner = cause && cause.name !== 'EngineError' ? cause : err instanceof Error ? err : undefined;
  const code = (inner as { code?: unknown } | undefined)?.code;
  if (inner?.name === 'RecsError' || (inner?.name === 'CatalogueError' && code === 'bad-query')) return new WidgetError('not-found', inner.message);
  if (inner?.name === 'CatalogueError') return new WidgetError(code === 'no-model' ? 'model' : 'pack', inner.message);
  if (inner?.name === 'PackError') return new WidgetError('pack', inner.message);
  if (isEngineError(err)) {
    if (err.code === 'bad-image' || err.code === 'bad-input') return new WidgetError('photo', message);
    if (['manifest', 'download', 'integrity', 'session-create', 'backend-unavailable'].includes(err.code)) return new WidgetError('model', message);
    return new WidgetError(fallback, message);
  }
  return new WidgetError(fallback, message);
}

function toProduct(item: CatalogueItem, score: number): DrishtiProduct {
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(item.attributes)) if (typeof v === 'string') attributes[k] = v;
  const imageUrl = item.thumbnailUrl || item.imageUrl;
  return {
    id: item.id,
    title: item.title,
    ...(item.priceInr !== null ? { priceInr: item.priceInr } : {}),
    ...(/^https?:/.test(imageUrl) ? { imageUrl } : {}),
    attributes,
    score,
  };
}

/** Remembers a shared load; a failed one is forgotten so the next request retries it. */
function once<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let p = cache.get(key);
  if (!p) {
    p = load();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

class WidgetRuntime {
  readonly bridge = new WorkerBridge<DrishtiWorkerApi>(createWidgetWorker);
  readonly engine = new EngineClient(this.bridge);
  readonly catalogue = new CatalogueClient(this.bridge);
  private readonly packs = new Map<string, Promise<string>>();
  private readonly recs = new Map<string, Promise<void>>();
  private readonly models = new Map<string, Promise<LoadResult>>();
  private recsPack: string | undefined;

  /** Loads a pack into the worker's catalogue (items, search); resolves with its catalogue id. */
  pack(url: string): Promise<string> {
    return once(this.packs, url, async () => (await this.catalogue.loadPack(url)).id);
  }

  /** Loads the pack into the recommendation index too (one catalogue at a time: the last one asked for). */
  recsFor(url: string): Promise<void> {
    if (this.recsPack !== url) this.recs.clear();
    this.recsPack = url;
    return once(this.recs, url, async () => {
      await this.bridge.call((r) => r.recs.loadPack(url), { timeoutMs: RECS_LOAD_TIMEOUT_MS, label: 'loading recommendations' });
      // A restarted worker (crash, idle release) gets the pack back before its next call.
      this.bridge.setRestore('recs', (r) => r.recs.loadPack(url));
    });
  }

  model(manifestUrl: string): Promise<LoadResult> {
    // One model per worker: asking for another manifest replaces the first.
    if (![...this.models.keys()].includes(manifestUrl)) this.models.clear();
    return once(this.models, manifestUrl, () => this.engine.load({ manifestUrl }));
  }

  async items(catalogueId: string, scored: { id: string; score: number }[], signal?: AbortSignal): Promise<DrishtiProduct[]> {
    const items = await this.catalogue.items(
      catalogueId,
      scored.map((s) => s.id),
      { timeoutMs: QUERY_TIMEOUT_MS, ...(signal ? { signal } : {}) },
    );
    const byId = new Map(items.map((it) => [it.id, it]));
    return scored.flatMap((s) => {
      const item = byId.get(s.id);
      return item ? [toProduct(item, s.score)] : [];
    });
  }
}

let runtime: WidgetRuntime | undefined;

function wrap<T>(fallback: DrishtiErrorCode, work: () => Promise<T>): Promise<T> {
  return work().catch((err: unknown) => {
    if (isEngineError(err) && err.code === 'worker-crashed' && workerFailedToStart()) {
      // The worker's script never ran: the page's policy or a missing file, which only the merchant can fix.
      const origin = new URL(WIDGET_BASE).origin;
      throw new WidgetError(
        'engine',
        `The widget's worker could not start. Check that ${WIDGET_BASE}drishti-widget.worker.js is served, and if the page has a Content-Security-Policy, that worker-src allows blob: and ${origin} and script-src allows ${origin} and 'wasm-unsafe-eval'.`,
      );
    }
    throw widgetErrorFrom(err, fallback);
  });
}

export function backendFor(source: BackendSource): WidgetBackend {
  runtime ??= new WidgetRuntime();
  const rt = runtime;
  const needModel = (): string => {
    if (!source.manifestUrl) throw new WidgetError('config', 'Set manifest-url to the URL of the model manifest (manifest.json).');
    return source.manifestUrl;
  };
  return {
    similar: (productId, limit, signal) =>
      wrap('pack', async () => {
        const [catalogueId] = await Promise.all([rt.pack(source.packUrl), rt.recsFor(source.packUrl)]);
        const row = await rt.bridge.call((r) => r.recs.similar(productId, { k: limit, excludeIds: [productId] }), {
          timeoutMs: QUERY_TIMEOUT_MS,
          label: 'finding similar products',
          ...(signal ? { signal } : {}),
        });
        return rt.items(catalogueId, row.items, signal);
      }),

    searchPhoto: (photo, limit, signal, onStage) =>
      wrap('photo', async () => {
        const manifestUrl = needModel();
        // The model first: a pack loaded after it is checked against it (same model, same embedding space).
        onStage?.('model');
        await rt.model(manifestUrl);
        onStage?.('pack');
        const catalogueId = await rt.pack(source.packUrl);
        onStage?.('search');
        const result = await rt.catalogue.search(
          { catalogueId, by: { kind: 'image', image: photo }, k: limit },
          { timeoutMs: QUERY_TIMEOUT_MS, ...(signal ? { signal } : {}) },
        );
        return result.hits.map((h) => toProduct(h.item, h.score));
      }),

    warmUp: () =>
      wrap('model', async () => {
        await rt.model(needModel());
        await rt.pack(source.packUrl);
      }),
  };
}
