/** Placeholder while wiring the build; replaced below. */
import type { DrishtiWorkerApi } from '../../worker/drishti.worker.ts';
import { EngineClient } from '../../features/engine/client/engine-client.ts';
import { WorkerBridge } from '../../features/engine/client/worker-bridge.ts';
import type { BackendSource, WidgetBackend, WidgetRuntimeModule } from '../widget-backend.ts';
import { WidgetError } from '../widget-error.ts';
import { createWidgetWorker } from './widget-worker.ts';

export function backendFor(_source: BackendSource): WidgetBackend {
  const engine = new EngineClient(new WorkerBridge<DrishtiWorkerApi>(createWidgetWorker));
  const fail = async (): Promise<never> => {
    await engine.probe();
    throw new WidgetError('engine', 'not wired yet');
  };
  return { similar: fail, searchPhoto: fail, warmUp: fail };
}

export const _check: WidgetRuntimeModule = { backendFor };
