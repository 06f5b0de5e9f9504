import { describe, expect, it } from 'vitest';
import { priceBands } from '../../src/app/components/facet-filters.ts';
import { filtersFromSearch, searchFromFilters } from '../../src/app/pages/browse-page.ts';
import { attributeValueName, useManifestLabels } from '../../src/app/services/label-names.ts';
import { approximateSize, kindOfDatabase } from '../../src/app/services/storage-inventory.ts';
import { productHref, matchRoute } from '../../src/app/routes.ts';

describe('browse filters in the address bar', () => {
  it('round-trip facets, price and search text', () => {
    const filters = { gender: ['Women'], articleType: ['Kurtas'], priceMin: 500, priceMax: 999 };
    const search = searchFromFilters(filters, ' blue kurta ');
    expect(search).toBe('?gender=Women&articleType=Kurtas&min=500&max=999&q=blue+kurta');
    expect(filtersFromSearch(search)).toEqual({ filters, text: 'blue kurta' });
  });

  it('ignores unknown and malformed parameters', () => {
    expect(filtersFromSearch('?season=Summer&min=abc&foo=1')).toEqual({ filters: {}, text: '' });
    expect(searchFromFilters({}, '')).toBe('');
  });
});

describe('price bands', () => {
  it('offers only bands that overlap the catalogue prices', () => {
    expect(priceBands({ min: 300, max: 1500 })).toEqual([{ max: 499 }, { min: 500, max: 999 }, { min: 1000, max: 1999 }]);
    expect(priceBands({ min: 6000, max: 9000 })).toEqual([{ min: 5000 }]);
    expect(priceBands(null)).toEqual([]);
  });
});

describe('attribute names from the model manifest', () => {
  it('shows Hindi names for known values and leaves unknown ones as they are', () => {
    useManifestLabels({
      heads: [{ name: 'articleType', output: 'p', labels: [{ id: 'Kurtas', en: 'Kurtas', hi: 'कुर्ता' }, { id: 'Shirts', en: 'Shirts', hi: 'शर्ट' }] }],
    });
    expect(attributeValueName('articleType', 'Kurtas', 'hi')).toBe('कुर्ता');
    expect(attributeValueName('articleType', 'Kurtas', 'en')).toBe('Kurtas');
    expect(attributeValueName('articleType', 'Sarees', 'hi')).toBe('Sarees');
    expect(attributeValueName('colour', 'Blue', 'hi')).toBe('Blue');
  });
});

describe('storage inventory', () => {
  it('sizes stored values by their bytes', () => {
    expect(approximateSize(new Uint8Array(1000))).toBe(1000);
    expect(approximateSize(new ArrayBuffer(64))).toBe(64);
    expect(approximateSize(new Blob(['x'.repeat(300)]))).toBe(300);
    expect(approximateSize({ a: new Float32Array(10), b: [1, 2] })).toBe(2 + 40 + 2 + 16);
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(approximateSize(loop)).toBe(8);
  });

  it('groups databases the way a shopper thinks of them', () => {
    expect(kindOfDatabase('drishti-shop')).toBe('shop');
    expect(kindOfDatabase('drishti-history')).toBe('history');
    expect(kindOfDatabase('drishti-experiments')).toBe('history');
    expect(kindOfDatabase('drishti-catalogue')).toBe('packs');
    expect(kindOfDatabase('drishti-models')).toBe('models');
    expect(kindOfDatabase('drishti-thumbnails')).toBe('packs');
    expect(kindOfDatabase('something-else')).toBe('other');
  });
});

describe('routes', () => {
  it('encodes product links and sends unknown paths to the not-found page', () => {
    expect(productHref('demo', 'a b&c')).toBe('/product?c=demo&id=a+b%26c');
    expect(matchRoute('/cart/').tag).toBe('drishti-cart-page');
    expect(matchRoute('/nope').tag).toBe('drishti-not-found-page');
  });
});
