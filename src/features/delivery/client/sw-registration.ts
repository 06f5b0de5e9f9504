/**
 * Registers the Workbox service worker through workbox-window and tells the UI when a new version
 * is installed and waiting, so the person decides when to reload (never mid-task).
 */
import type { Workbox } from 'workbox-window';

export type SwState =
  | { kind: 'unsupported' }
  | { kind: 'registering' }
  | { kind: 'ready'; controlling: boolean }
  | { kind: 'update-ready' }
  | { kind: 'error'; message: string };

type Listener = (state: SwState) => void;

let wb: Workbox | undefined;
let started = false;
let state: SwState = { kind: 'registering' };
const listeners = new Set<Listener>();

function set(next: SwState): void {
  state = next;
  for (const l of listeners) l(state);
}

export function swState(): SwState {
  return state;
}

export function onSwState(listener: Listener): () => void {
  listeners.add(listener);
  listener(state);
  return () => listeners.delete(listener);
}

/** Registers `/sw.js` once. Only production builds have a service worker (vite-plugin-pwa emits it). */
export function registerServiceWorker(url = '/sw.js'): void {
  if (started) return;
  started = true;
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator) || !import.meta.env.PROD) {
    set({ kind: 'unsupported' });
    return;
  }
  // workbox-window is loaded after the first render; registration waits for "load" anyway.
  import('workbox-window')
    .then(({ Workbox }) => attach(new Workbox(url, { scope: '/' })))
    .catch((err: unknown) => set({ kind: 'error', message: (err as Error).message ?? String(err) }));
}

function attach(instance: Workbox): void {
  wb = instance;
  // A new worker finished installing while an older one controls the page: offer the reload.
  wb.addEventListener('waiting', () => set({ kind: 'update-ready' }));
  wb.addEventListener('activated', (event) => {
    if (!event.isUpdate) set({ kind: 'ready', controlling: navigator.serviceWorker.controller !== null });
  });
  wb.addEventListener('controlling', () => {
    if (state.kind !== 'update-ready') set({ kind: 'ready', controlling: true });
  });
  wb.register()
    .then((reg) => {
      if (reg?.active && state.kind === 'registering') set({ kind: 'ready', controlling: navigator.serviceWorker.controller !== null });
    })
    .catch((err: unknown) => set({ kind: 'error', message: (err as Error).message ?? String(err) }));
}

/** Activates the waiting worker and reloads once it controls the page. */
export function applyUpdate(): void {
  if (!wb) return;
  wb.addEventListener('controlling', () => location.reload());
  wb.messageSkipWaiting();
}
