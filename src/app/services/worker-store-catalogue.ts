/**
 * The StoreCatalogue and Recommender backed by the app worker: picks the catalogue to shop from
 * (one already loaded, else the store's pack served at /catalogues/demo/, else the newest finished
 * on-device import), loads it into the catalogue and recommendation members, and adapts their APIs
 * to what the pages need. Loaded lazily so the shell does not carry the worker client.
 */
import { DEMO_PACK_URL, getCatalogueClient } from '../../features/catalogue/client/catalogue-client.ts';
import { listImports } from '../../features/catalogue/client/import-client.ts';
import type { CatalogueInfo, CatalogueItem } from '../../features/catalogue/shared/catalogue-types.ts';
import {
  connectRecommendations,
  type PageRecommender,
  type RecommendationEntry as PageEntry,
} from '../../features/recs/client/recs-client.ts';
import type { Explanation } from '../../features/recs/shared/rank.ts';
import { t } from '../../i18n/i18n.ts';
import { appExperiments, RANKING_EXPERIMENT } from './experiments.ts';
import { attributeValueName } from './label-names.ts';
import type { RecommendationEntry, Recommender } from './recommendations.ts';
import { EMPTY_CATALOGUE, type StoreCatalogue } from './store-catalogue.ts';

async function storePackAvailable(url: string): Promise<boolean> {
  // GET (not HEAD): the service worker keeps the last pack.json for offline starts.
  const res = await fetch(url).catch(() => null);
  return !!res?.ok;
}

async function chooseCatalogue(): Promise<CatalogueInfo | null> {
  const client = getCatalogueClient();
  const loaded = await client.list();
  if (loaded[0]) return loaded[0];
  if (await storePackAvailable(DEMO_PACK_URL)) return client.loadPack(new URL(DEMO_PACK_URL, location.href).href);
  const finished = (await listImports().catch(() => [])).find((i) => i.done > 0);
  if (finished) return client.openImport(finished.id);
  return null;
}

function reasonText(e: Explanation): string | undefined {
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

/**
 * Rows from the recs member, drawn from the catalogue the worker already holds (no second download
 * of the pack), with "you may also like" ranked under the ranking experiment: the arm's preset, an
 * impression and the row's latency per row, and the shopper's responses via trackOutcome.
 */
function workerRecommender(catalogueId: string, lookup: (itemId: string) => Promise<CatalogueItem | null>): Recommender {
  let connecting: Promise<PageRecommender> | undefined;
  const connect = (): Promise<PageRecommender> => {
    connecting ??= (async () => {
      const experiments = await appExperiments();
      return connectRecommendations({ catalogueId }, lookup, experiments ? { experiments, experimentId: RANKING_EXPERIMENT } : {});
    })().catch((err: unknown) => {
      connecting = undefined;
      throw err;
    });
    return connecting;
  };
  const inUiLanguage = (entries: PageEntry[]): RecommendationEntry[] =>
    entries.map((e) => {
      const reason = e.explanation ? reasonText(e.explanation) : e.reason;
      return reason ? { item: e.item, reason } : { item: e.item };
    });
  return {
    async youMayAlsoLike(currentItemId, k) {
      return inUiLanguage(await (await connect()).youMayAlsoLike(currentItemId, k));
    },
    async similar(itemId, k) {
      return inUiLanguage(await (await connect()).similar(itemId, k));
    },
    async trackOutcome(kind) {
      await (await connect()).trackOutcome(kind);
    },
  };
}

export async function openWorkerCatalogue(): Promise<{ catalogue: StoreCatalogue; recommender: Recommender | null }> {
  const chosen = await chooseCatalogue();
  if (!chosen) return { catalogue: EMPTY_CATALOGUE, recommender: null };
  const client = getCatalogueClient();
  const id = chosen.id;
  const catalogue: StoreCatalogue = {
    info: () => client.info(id),
    browse: (q) => client.browse({ catalogueId: id, ...q }),
    item: async (itemId) => (await client.items(id, [itemId]))[0] ?? null,
    searchByEmbedding: (embedding, k, filters) => client.search({ catalogueId: id, by: { kind: 'embedding', embedding }, k, ...(filters ? { filters } : {}) }),
    similarToItem: (itemId, k, filters) => client.search({ catalogueId: id, by: { kind: 'item', itemId }, k, ...(filters ? { filters } : {}) }),
  };
  return { catalogue, recommender: workerRecommender(id, catalogue.item) };
}
