import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { MAX_QUANTITY, ShopStorageError, ShopStore, cartTotals, shopChanges, type ShopItemSnapshot } from '../../src/features/shop/client/shop-store.ts';

let dbCounter = 0;
const freshStore = (): ShopStore => new ShopStore(`shop-test-${++dbCounter}`);
const item = (id: string, priceInr: number | null = 1299, catalogueId = 'demo'): ShopItemSnapshot => ({
  id,
  catalogueId,
  title: `Item ${id}`,
  priceInr,
  thumbnailUrl: `/thumbs/${id}.jpg`,
});

describe('wishlist', () => {
  it('adds, lists newest first, toggles and removes', async () => {
    const store = freshStore();
    await store.addToWishlist(item('a'), 1);
    await store.addToWishlist(item('b'), 2);
    expect((await store.wishlist()).map((e) => e.item.id)).toEqual(['b', 'a']);
    expect(await store.toggleWishlist(item('a'))).toBe(false);
    expect(await store.isWishlisted(item('a'))).toBe(false);
    expect(await store.toggleWishlist(item('a'))).toBe(true);
    await store.removeFromWishlist(item('b'));
    expect((await store.wishlist()).map((e) => e.item.id)).toEqual(['a']);
  });

  it('keeps the same id from two catalogues apart and stores only the snapshot fields', async () => {
    const store = freshStore();
    await store.addToWishlist({ ...item('x', 10, 'store-1'), extra: 'ignored' } as ShopItemSnapshot);
    await store.addToWishlist(item('x', 20, 'store-2'));
    const list = await store.wishlist();
    expect(list).toHaveLength(2);
    expect(Object.keys(list.find((e) => e.item.catalogueId === 'store-1')!.item).sort()).toEqual(
      ['catalogueId', 'id', 'priceInr', 'thumbnailUrl', 'title'],
    );
  });

  it('survives reopening the database (a reload)', async () => {
    const name = `shop-reload-${++dbCounter}`;
    const first = new ShopStore(name);
    await first.addToWishlist(item('keep'));
    await first.addToCart(item('keep'), 2);
    await first.close();
    const second = new ShopStore(name);
    expect((await second.wishlist()).map((e) => e.item.id)).toEqual(['keep']);
    expect(await second.cartQuantity(item('keep'))).toBe(2);
  });
});

describe('cart', () => {
  it('adds up quantities, caps them and removes at zero', async () => {
    const store = freshStore();
    expect(await store.addToCart(item('a'))).toBe(1);
    expect(await store.addToCart(item('a'), 3)).toBe(4);
    expect(await store.addToCart(item('a'), 50)).toBe(MAX_QUANTITY);
    await store.setCartQuantity(item('a'), 2);
    expect(await store.cartQuantity(item('a'))).toBe(2);
    await store.setCartQuantity(item('a'), 0);
    expect(await store.cart()).toEqual([]);
  });

  it('counts two quick adds without losing one', async () => {
    const store = freshStore();
    await Promise.all([store.addToCart(item('a')), store.addToCart(item('a'))]);
    expect(await store.cartQuantity(item('a'))).toBe(2);
  });

  it('refuses nonsense quantities with a clear error', async () => {
    const store = freshStore();
    await expect(store.addToCart(item('a'), 0)).rejects.toThrow(ShopStorageError);
    await expect(store.setCartQuantity(item('a'), 1.5)).rejects.toThrow(/whole number/);
    await expect(store.addToCart({ ...item('a'), id: '' })).rejects.toThrow(/without an id/);
  });

  it('totals priced lines and counts unpriced ones separately', async () => {
    const store = freshStore();
    await store.addToCart(item('a', 1000), 2);
    await store.addToCart(item('b', null));
    expect(cartTotals(await store.cart())).toEqual({ totalInr: 2000, count: 3, unpriced: 1 });
  });

  it('announces changes and clears everything', async () => {
    const store = freshStore();
    const seen: string[] = [];
    const listener = (e: Event): void => {
      const { list, remote } = (e as CustomEvent<{ list: string; remote: boolean }>).detail;
      if (!remote) seen.push(list);
    };
    shopChanges.addEventListener('change', listener);
    await store.addToCart(item('a'));
    await store.addToWishlist(item('a'));
    await store.clearAll();
    shopChanges.removeEventListener('change', listener);
    expect(seen).toEqual(['cart', 'wishlist', 'wishlist', 'cart']);
    expect(await store.cart()).toEqual([]);
    expect(await store.wishlist()).toEqual([]);
  });
});
