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
];

export function matchRoute(pathname: string): Route {
  const clean = pathname.replace(/\/+$/, '') || '/';
  return ROUTES.find((r) => r.path === clean) ?? ROUTES[0]!;
}
