/**
 * The app's pages: path → lazily imported Lit element. Each page module defines its element when
 * imported, so a page's code (and its worker) is only fetched when the shopper opens it.
 */
export interface Route {
  path: string;
  tag: string;
  load: () => Promise<unknown>;
}

export const ROUTES: Route[] = [
  { path: '/', tag: 'drishti-home-page', load: () => import('./pages/home-page.ts') },
  { path: '/engine', tag: 'drishti-engine-page', load: () => import('./pages/engine-page.ts') },
  { path: '/browse', tag: 'drishti-browse-page', load: () => import('./pages/browse-page.ts') },
  { path: '/product', tag: 'drishti-product-page', load: () => import('./pages/product-page.ts') },
  { path: '/wishlist', tag: 'drishti-wishlist-page', load: () => import('./pages/wishlist-page.ts') },
  { path: '/cart', tag: 'drishti-cart-page', load: () => import('./pages/cart-page.ts') },
  { path: '/settings', tag: 'drishti-settings-page', load: () => import('./pages/settings-page.ts') },
  { path: '/bench', tag: 'drishti-bench-page', load: () => import('./pages/bench-page.ts') },
  { path: '/import', tag: 'drishti-import-page', load: () => import('./pages/import-page.ts') },
  { path: '/experiments', tag: 'drishti-experiments-page', load: () => import('./pages/experiments-page.ts') },
];

/** Shown for any path not listed above. */
export const NOT_FOUND_ROUTE: Route = { path: '*', tag: 'drishti-not-found-page', load: () => import('./pages/not-found-page.ts') };

export function matchRoute(pathname: string): Route {
  const clean = pathname.replace(/\/+$/, '') || '/';
  return ROUTES.find((r) => r.path === clean) ?? NOT_FOUND_ROUTE;
}

/** The product page's address (ids are merchant data: always encoded). */
export function productHref(catalogueId: string, itemId: string): string {
  return `/product?${new URLSearchParams({ c: catalogueId, id: itemId }).toString()}`;
}
