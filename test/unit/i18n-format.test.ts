import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatPercent,
  formatPrice,
  getLocale,
  initialLocale,
  interpolate,
  localName,
  onLocaleChange,
  setLocale,
  t,
} from '../../src/i18n/i18n.ts';

describe('prices in rupees', () => {
  it('groups digits the Indian way in English and Hindi', () => {
    expect(formatPrice(123456, 'en')).toBe('₹1,23,456');
    expect(formatPrice(123456, 'hi')).toBe('₹1,23,456');
    expect(formatPrice(12345678, 'en')).toBe('₹1,23,45,678');
    expect(formatPrice(999, 'en')).toBe('₹999');
  });

  it('shows whole rupees', () => {
    expect(formatPrice(1499.6, 'en')).toBe('₹1,500');
  });
});

describe('other formats', () => {
  it('formats confidence as a whole percentage', () => {
    expect(formatPercent(0.873, 'en')).toBe('87%');
  });

  it('formats byte sizes in decimal units', () => {
    expect(formatBytes(0, 'en')).toBe('0 byte');
    expect(formatBytes(5_300_000, 'en')).toBe('5.3 MB');
    expect(formatBytes(1_250_000_000, 'en')).toBe('1.3 GB');
  });
});

describe('messages', () => {
  it('fills placeholders and keeps unknown ones visible', () => {
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
    expect(t('snap.found', { label: 'Kurtas' }, 'en')).toBe('This looks like: Kurtas');
    expect(t('snap.found', { label: 'कुर्ता' }, 'hi')).toBe('यह लगता है: कुर्ता');
  });

  it('picks the label name for the language, falling back to English', () => {
    expect(localName({ en: 'Kurtas', hi: 'कुर्ता' }, 'hi')).toBe('कुर्ता');
    expect(localName({ en: 'Kurtas', hi: '' }, 'hi')).toBe('Kurtas');
    expect(localName({ en: 'Kurtas', hi: 'कुर्ता' }, 'en')).toBe('Kurtas');
  });
});

describe('language choice', () => {
  it('prefers the remembered choice, then the browser languages, then English', () => {
    expect(initialLocale('hi', ['en-IN'])).toBe('hi');
    expect(initialLocale(null, ['hi-IN', 'en'])).toBe('hi');
    expect(initialLocale(null, ['ta-IN', 'en-GB'])).toBe('en');
    expect(initialLocale('fr', ['fr-FR'])).toBe('en');
  });

  it('switches, notifies listeners and rejects unknown languages', () => {
    const seen: string[] = [];
    const off = onLocaleChange((l) => seen.push(l));
    setLocale('hi');
    expect(getLocale()).toBe('hi');
    expect(t('nav.cart')).toBe('कार्ट');
    setLocale('en');
    off();
    setLocale('hi');
    setLocale('en');
    expect(seen).toEqual(['hi', 'en']);
    expect(() => setLocale('fr' as 'en')).toThrow(/Unsupported language/);
  });
});

describe('counts', () => {
  it('uses the singular form for one and formats larger counts', async () => {
    const { tn } = await import('../../src/i18n/i18n.ts');
    expect(tn('cart.total', 1, {}, 'en')).toBe('Total (1 item)');
    expect(tn('cart.total', 3, {}, 'en')).toBe('Total (3 items)');
    expect(tn('browse.results', 123456, {}, 'en')).toBe('1,23,456 items');
    expect(tn('browse.results', 0, {}, 'hi')).toBe('0 सामान');
  });
});
