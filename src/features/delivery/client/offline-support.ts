/** Turns on what makes the app work offline: the service worker, and persistent storage for downloads. */
import { requestPersistentStorage } from '../shared/persistence.ts';
import { registerServiceWorker } from './sw-registration.ts';

let started = false;

export function startOfflineSupport(): void {
  if (started) return;
  started = true;
  registerServiceWorker();
  // Chromium decides silently (no prompt): granted for installed apps and engaged sites. Asked once
  // the page is idle so it never competes with the first render.
  const ask = (): void => void requestPersistentStorage();
  if (typeof requestIdleCallback === 'function') requestIdleCallback(ask, { timeout: 5000 });
  else setTimeout(ask, 2000);
}
