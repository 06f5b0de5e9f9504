/**
 * Imported items' photos live in IndexedDB, not on a server; their URLs use the drishti-import:
 * scheme. `displayUrl` turns any item image URL into something an <img> can show (object URLs for
 * imports, cached per item; other URLs unchanged).
 */
import { openCatalogueDb, parseImportImageUrl } from '../shared/import-db.ts';

const objectUrls = new Map<string, Promise<string>>();

export async function displayUrl(url: string): Promise<string> {
  const ref = parseImportImageUrl(url);
  if (!ref) return url;
  let p = objectUrls.get(url);
  if (!p) {
    p = (async () => {
      const db = await openCatalogueDb();
      const rec = await db.get('files', [ref.catalogueId, ref.itemId]);
      const blob = rec?.thumb ?? rec?.blob;
      return blob ? URL.createObjectURL(blob) : '';
    })();
    objectUrls.set(url, p);
  }
  return p;
}

/** Frees the object URLs of one import (e.g. when it is deleted). */
export function releaseDisplayUrls(catalogueId: string): void {
  for (const [url, p] of objectUrls) {
    if (parseImportImageUrl(url)?.catalogueId === catalogueId) {
      void p.then((u) => u && URL.revokeObjectURL(u));
      objectUrls.delete(url);
    }
  }
}
