/**
 * The app's one worker: owns every onnxruntime-web session and everything that runs next to
 * them. It exposes ONE object through comlink, one member per feature; a feature adds itself with
 * one import and one line below. The page reaches it only through the worker bridge
 * (src/features/engine/client/worker-bridge.ts).
 */
import { expose } from 'comlink';
import { installErrorTransfer } from '../features/engine/shared/engine-errors.ts';
import { catalogueWorkerApi } from '../features/catalogue/worker/catalogue-service.ts';
import { deliveryWorkerApi, installDelivery } from '../features/delivery/worker/install.ts';
import { engineWorkerApi } from '../features/engine/worker/engine.ts';
import { recsWorkerApi } from '../features/recs/worker/recs-worker.ts';

installErrorTransfer();
// Models and catalogue packs are downloaded resumably into IndexedDB once, then read from there (offline too).
installDelivery();

const api = {
  engine: engineWorkerApi,
  catalogue: catalogueWorkerApi,
  recs: recsWorkerApi,
  delivery: deliveryWorkerApi,
};

export type DrishtiWorkerApi = typeof api;

expose(api);
