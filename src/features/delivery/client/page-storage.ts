/** The page's one connection to the delivery store (the worker has its own). */
import { openDeliveryStorage, type DeliveryStorage } from '../shared/delivery-storage.ts';

let shared: Promise<DeliveryStorage> | undefined;

export function pageDeliveryStorage(): Promise<DeliveryStorage> {
  return (shared ??= openDeliveryStorage());
}
