/**
 * The StoreCatalogue and Recommender backed by the app worker: picks the catalogue to shop from
 * (one already loaded, else the store's pack served at /catalogues/demo/, else the newest finished
 * on-device import), loads it into the catalogue and recommendation members, and adapts their APIs
 * to what the pages need. Loaded lazily so the shell does not carry the worker client.
 */
import { DEMO_PACK_URL, getCatalogueClient } from '../../features/catalogue/client/catalogue-client.ts';
import { listImports } from '../../features/catalogue/client/import-client.ts';
import type { CatalogueInfo, CatalogueItem } from '../../features/catalogue/shared/catalogue-types.ts';
import { getWorkerBridge } from '../../features/engine/client/worker-bridge.ts';
import type { RecommendedItem } from '../../features/recs/shared/recs-api.ts';
import { t } from '../../i18n/i18n.ts';
import { attributeValueName } from './label-names.ts';
import type { RecommendationEntry, Recommender } from './recommendations.ts';
import { EMPTY_CATALOGUE, type StoreCatalogue } from './store-catalogue.ts';

const RECS_TIMEOUT_MS = 30_000;

async function storePackAvailable(url: string): Promise<boolean> {
  // GET (not HEAD): the service worker keeps the last pack.json for offline starts.
  const res = await fetch(url).catch(() => null);
  return !!res?.ok;
}

async function chooseCatalogue(): Promise<{ info: CatalogueInfo; packUrl?: string } | null> {
  const client = getCatalogueClient();
  const loaded = await client.list();
  if (loaded[0]) return { info: loaded[0], ...(loaded[0].source ? { packUrl: loaded[0].source } : {}) };
  if (await storePackAvailable(DEMO_PACK_URL)) {
    const packUrl = new URL(DEMO_PACK_URL, location.href).href;
    return { info: await client.loadPack(packUrl), packUrl };
  }
  const finished = (await listImports().catch(() => [])).find((i) => i.done > 0);
  if (finished) {
    const info = await client.openImport(finished.id);
    if (info) return { info };
  }
  return null;
}

function reasonText(rec: RecommendedItem): string | undefined {
  const e = rec.explanation;
  switch (e.reason) {
    case 'history':
      if (e.eventKind === 'photo-search') return t('product.becausePhoto');
      if (e.eventKind === 'wishlist') return t('product.becauseWishlisted', { title: e.title });
      if (e.eventKind === 'cart') return t('product.becauseInCart', { title: e.title });
      return t('product.becauseViewed', { title: e.title });
    case 'attribute':
      return e.attribute === 'price' ? undefined : t('product.matchesTaste', { value: attributeValueName(e.attribute, e.value) });
    case 'popular':
      return t('product.popular');
    default:
      return undefined;
  }
}

function workerRecommender(catalogueId: string, packUrl: string): Recommender {
  const bridge = getWorkerBridge();
  const client = getCatalogueClient();
  let ready: Promise<unknown> | undefined;
  const ensure = (): Promise<unknown> => {
    ready ??= bridge.call((r) => r.recs.loadPack(packUrl), { timeoutMs: 120_000, label: 'loading recommendations' }).then(
      (v) => {
        bridge.setRestore('shopper-recs', (r) => r.recs.loadPack(packUrl));
        return v;
      },
      (err: unknown) => {
        ready = undefined;
        throw err;
      },
    );
    return ready;
  };
  const withItems = async (recs: RecommendedItem[]): Promise<RecommendationEntry[]> => {
    const items = await client.items(catalogueId, recs.map((r) => r.id));
    const byId = new Map<string, CatalogueItem>(items.map((i) => [i.id, i]));
    return recs.flatMap((r) => {
      const item = byId.get(r.id);
      if (!item) return [];
      const reason = reasonText(r);
      return [reason ? { item, reason } : { item }];
    });
  };
  return {
    async youMayAlsoLike(currentItemId, k) {
      await ensure();
      const row = await bridge.call((r) => r.recs.forYou({ k, ...(currentItemId ? { excludeIds: [currentItemId] } : {}) }), {
        timeoutMs: RECS_TIMEOUT_MS,
        label: 'you may also like',
      });
      return withItems(row.items);
    },
    async similar(itemId, k) {
      await ensure();
      const row = await bridge.call((r) => r.recs.similar(itemId, { k }), { timeoutMs: RECS_TIMEOUT_MS, label: 'similar items' });
      return withItems(row.items);
    },
  };
}

export async function openWorkerCatalogue(): Promise<{ catalogue: StoreCatalogue; recommender: Recommender | null }> {
  const chosen = await chooseCatalogue();
  if (!chosen) return { catalogue: EMPTY_CATALOGUE, recommender: null };
  const client = getCatalogueClient();
  const id = chosen.info.id;
  const catalogue: StoreCatalogue = {
    info: () => client.info(id),
    browse: (q) => client.browse({ catalogueId: id, ...q }),
    item: async (itemId) => (await client.items(id, [itemId]))[0] ?? null,
    searchByEmbedding: (embedding, k, filters) => client.search({ catalogueId: id, by: { kind: 'embedding', embedding }, k, ...(filters ? { filters } : {}) }),
    similarToItem: (itemId, k, filters) => client.search({ catalogueId: id, by: { kind: 'item', itemId }, k, ...(filters ? { filters } : {}) }),
  };
  return { catalogue, recommender: chosen.packUrl ? workerRecommender(id, chosen.packUrl) : null };
}
