import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/messages/en.ts';
import { hi } from '../../src/i18n/messages/hi.ts';

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
const DEVANAGARI = /[\u0900-\u097F]/;

describe('message catalogues', () => {
  it('Hindi defines exactly the English keys', () => {
    expect(Object.keys(hi).sort()).toEqual(Object.keys(en).sort());
  });

  it('every Hindi message uses the same placeholders as its English source', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(hi[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('no message is empty, and Hindi messages are written in Devanagari', () => {
    // Keys whose Hindi text is legitimately Latin (the language name, a format string).
    const latin = new Set(['lang.en', 'filter.priceBetween']);
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(en[key].trim(), key).not.toBe('');
      expect(hi[key].trim(), key).not.toBe('');
      if (!latin.has(key)) expect(hi[key], key).toMatch(DEVANAGARI);
    }
  });

  it('does not leave English text untranslated in Hindi', () => {
    const same = (Object.keys(en) as (keyof typeof en)[]).filter((k) => en[k] === hi[k] && /[a-z]{3}/i.test(en[k].replace(/\{\w+\}/g, '')));
    expect(same).toEqual(['lang.en']);
  });
});
