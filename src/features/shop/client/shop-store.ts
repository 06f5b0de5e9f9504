/**
 * The shopper's wishlist and cart, kept in IndexedDB (database "drishti-shop") so they survive
 * reloads and going offline. Each entry keeps a snapshot of the product (title, price, thumbnail)
 * so the lists still render when the catalogue is missing or was replaced. Changes are announced
 * on `shopChanges` and, for other tabs, on a BroadcastChannel.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export const SHOP_DB_NAME = 'drishti-shop';
const SHOP_DB_VERSION = 1;
export const MAX_QUANTITY = 10;

/** What is kept of a product: enough to show it in a list without the catalogue. */
export interface ShopItemSnapshot {
  id: string;
  /** The catalogue the item came from, so it can be reopened. */
  catalogueId: string;
  title: string;
  priceInr: number | null;
  thumbnailUrl: string;
  articleType?: string;
}

export interface WishlistEntry {
  item: ShopItemSnapshot;
  addedAt: number;
}

export interface CartEntry {
  item: ShopItemSnapshot;
  quantity: number;
  addedAt: number;
  updatedAt: number;
}

interface ShopSchema extends DBSchema {
  wishlist: { key: string; value: WishlistEntry & { key: string }; indexes: { addedAt: number } };
  cart: { key: string; value: CartEntry & { key: string }; indexes: { addedAt: number } };
}

export class ShopStorageError extends Error {
  override name = 'ShopStorageError';
}

/** Wishlist and cart entries are keyed by catalogue and item id: two stores may reuse an id. */
export function entryKey(item: Pick<ShopItemSnapshot, 'catalogueId' | 'id'>): string {
  return `${item.catalogueId}\u0000${item.id}`;
}

function checkSnapshot(item: ShopItemSnapshot): ShopItemSnapshot {
  if (!item.id || !item.catalogueId) throw new ShopStorageError('A product without an id cannot be saved.');
  // Keep a plain copy: callers may pass a richer object (e.g. a whole CatalogueItem).
  const copy: ShopItemSnapshot = {
    id: String(item.id),
    catalogueId: String(item.catalogueId),
    title: String(item.title ?? ''),
    priceInr: typeof item.priceInr === 'number' && Number.isFinite(item.priceInr) ? item.priceInr : null,
    thumbnailUrl: String(item.thumbnailUrl ?? ''),
  };
  if (item.articleType) copy.articleType = String(item.articleType);
  return copy;
}

export interface ShopChange {
  list: 'wishlist' | 'cart';
  /** True when another tab made the change. */
  remote: boolean;
}

/** Same-tab listeners; other tabs hear the BroadcastChannel. */
export const shopChanges = new EventTarget();
const CHANNEL_NAME = 'drishti-shop';

export class ShopStore {
  private dbPromise: Promise<IDBPDatabase<ShopSchema>> | undefined;
  private channel: BroadcastChannel | undefined;

  constructor(private readonly dbName = SHOP_DB_NAME) {
    if (typeof BroadcastChannel !== 'undefined') {
      this.channel = new BroadcastChannel(CHANNEL_NAME);
      this.channel.onmessage = (e: MessageEvent<{ db: string; list: ShopChange['list'] }>) => {
        if (e.data?.db === this.dbName) this.announce(e.data.list, true);
      };
    }
  }

  private db(): Promise<IDBPDatabase<ShopSchema>> {
    this.dbPromise ??= openDB<ShopSchema>(this.dbName, SHOP_DB_VERSION, {
      upgrade(db) {
        db.createObjectStore('wishlist', { keyPath: 'key' }).createIndex('addedAt', 'addedAt');
        db.createObjectStore('cart', { keyPath: 'key' }).createIndex('addedAt', 'addedAt');
      },
      blocking: () => {
        // Another tab or "delete everything" wants the database: let go of it.
        void this.close();
      },
    }).catch((err: unknown) => {
      this.dbPromise = undefined;
      throw new ShopStorageError(
        `The wishlist and cart could not be opened (${(err as Error).message}). Check that the browser allows site storage.`,
      );
    });
    return this.dbPromise;
  }

  async close(): Promise<void> {
    const pending = this.dbPromise;
    this.dbPromise = undefined;
    if (pending) (await pending.catch(() => undefined))?.close();
  }

  private announce(list: ShopChange['list'], remote = false): void {
    shopChanges.dispatchEvent(new CustomEvent<ShopChange>('change', { detail: { list, remote } }));
    if (!remote) this.channel?.postMessage({ db: this.dbName, list });
  }

  // Wishlist

  async wishlist(): Promise<WishlistEntry[]> {
    const rows = await (await this.db()).getAllFromIndex('wishlist', 'addedAt');
    return rows.reverse().map(({ item, addedAt }) => ({ item, addedAt }));
  }

  async isWishlisted(item: Pick<ShopItemSnapshot, 'catalogueId' | 'id'>): Promise<boolean> {
    return (await (await this.db()).getKey('wishlist', entryKey(item))) !== undefined;
  }

  async addToWishlist(item: ShopItemSnapshot, now = Date.now()): Promise<void> {
    const snapshot = checkSnapshot(item);
    await (await this.db()).put('wishlist', { key: entryKey(snapshot), item: snapshot, addedAt: now });
    this.announce('wishlist');
  }

  async removeFromWishlist(item: Pick<ShopItemSnapshot, 'catalogueId' | 'id'>): Promise<void> {
    await (await this.db()).delete('wishlist', entryKey(item));
    this.announce('wishlist');
  }

  /** Adds or removes; returns whether the item is now on the wishlist. */
  async toggleWishlist(item: ShopItemSnapshot): Promise<boolean> {
    if (await this.isWishlisted(item)) {
      await this.removeFromWishlist(item);
      return false;
    }
    await this.addToWishlist(item);
    return true;
  }

  // Cart

  async cart(): Promise<CartEntry[]> {
    const rows = await (await this.db()).getAllFromIndex('cart', 'addedAt');
    return rows.map(({ item, quantity, addedAt, updatedAt }) => ({ item, quantity, addedAt, updatedAt }));
  }

  async cartQuantity(item: Pick<ShopItemSnapshot, 'catalogueId' | 'id'>): Promise<number> {
    return (await (await this.db()).get('cart', entryKey(item)))?.quantity ?? 0;
  }

  /** Adds `quantity` more (capped at MAX_QUANTITY) in one transaction, so two quick taps both count. */
  async addToCart(item: ShopItemSnapshot, quantity = 1, now = Date.now()): Promise<number> {
    if (!Number.isInteger(quantity) || quantity < 1) throw new ShopStorageError(`Cannot add ${quantity} items to the cart.`);
    const snapshot = checkSnapshot(item);
    const key = entryKey(snapshot);
    const tx = (await this.db()).transaction('cart', 'readwrite');
    const existing = await tx.store.get(key);
    const next = Math.min(MAX_QUANTITY, (existing?.quantity ?? 0) + quantity);
    await tx.store.put({ key, item: snapshot, quantity: next, addedAt: existing?.addedAt ?? now, updatedAt: now });
    await tx.done;
    this.announce('cart');
    return next;
  }

  /** Sets the quantity; 0 removes the line. */
  async setCartQuantity(item: Pick<ShopItemSnapshot, 'catalogueId' | 'id'>, quantity: number, now = Date.now()): Promise<void> {
    if (!Number.isInteger(quantity) || quantity < 0 || quantity > MAX_QUANTITY) {
      throw new ShopStorageError(`A quantity must be a whole number from 0 to ${MAX_QUANTITY} (got ${quantity}).`);
    }
    const key = entryKey(item);
    const tx = (await this.db()).transaction('cart', 'readwrite');
    const existing = await tx.store.get(key);
    if (existing) {
      if (quantity === 0) await tx.store.delete(key);
      else await tx.store.put({ ...existing, quantity, updatedAt: now });
    }
    await tx.done;
    this.announce('cart');
  }

  async removeFromCart(item: Pick<ShopItemSnapshot, 'catalogueId' | 'id'>): Promise<void> {
    await this.setCartQuantity(item, 0);
  }

  async clearAll(): Promise<void> {
    const db = await this.db();
    const tx = db.transaction(['wishlist', 'cart'], 'readwrite');
    await Promise.all([tx.objectStore('wishlist').clear(), tx.objectStore('cart').clear(), tx.done]);
    this.announce('wishlist');
    this.announce('cart');
  }
}

/** Total in rupees of the priced lines, and the number of items (quantities added up). */
export function cartTotals(entries: readonly CartEntry[]): { totalInr: number; count: number; unpriced: number } {
  let totalInr = 0;
  let count = 0;
  let unpriced = 0;
  for (const e of entries) {
    count += e.quantity;
    if (e.item.priceInr === null) unpriced += e.quantity;
    else totalInr += e.item.priceInr * e.quantity;
  }
  return { totalInr, count, unpriced };
}

let shared: ShopStore | undefined;
/** The page's one store. */
export function shopStore(): ShopStore {
  shared ??= new ShopStore();
  return shared;
}
