/**
 * Plugs the delivery layer into the app worker: models (engine) and catalogue packs (catalogue)
 * are downloaded resumably into one IndexedDB store and read from it offline.
 */
import { setPackSourceFactory } from '../../catalogue/worker/catalogue-store.ts';
import { openDeliveryStorage, type DeliveryStorage } from '../shared/delivery-storage.ts';
import { createCachedModelFetcher } from './cached-model-fetcher.ts';
import { setModelFetcher } from '../../engine/worker/model-fetcher.ts';
import { createDeliveryPackSourceFactory } from './pack-source.ts';

let storage: Promise<DeliveryStorage> | undefined;
/** The worker's one connection to the delivery store. */
export function workerDeliveryStorage(): Promise<DeliveryStorage> {
  return (storage ??= openDeliveryStorage());
}

let modelFetcher: ReturnType<typeof createCachedModelFetcher> | undefined;

export function installDelivery(): void {
  modelFetcher ??= createCachedModelFetcher({ storage: workerDeliveryStorage });
  setModelFetcher(modelFetcher);
  setPackSourceFactory(createDeliveryPackSourceFactory(workerDeliveryStorage));
}

/** The delivery layer's member of the worker API. */
export const deliveryWorkerApi = {
  /** Lets downloads go ahead under Data Saver (the person tapped "Download anyway"). */
  async allowLargeDownloads(allow: boolean): Promise<void> {
    installDelivery();
    modelFetcher?.allowLargeDownloads(allow);
  },
  /** What is stored, for panels that live next to the worker. */
  async summary() {
    return (await workerDeliveryStorage()).summary();
  },
};
