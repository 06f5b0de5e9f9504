/**
 * Attribute ⇄ setting conversion for both elements. Bad values fall back to defaults: a guest on
 * someone else's page must not throw on a typo (missing URLs are reported by the elements).
 */
import type { DrishtiLang, DrishtiTheme } from './types.ts';

export const DEFAULT_LIMIT = 8;
export const MAX_LIMIT = 48;

export function parseLang(value: string | null | undefined): DrishtiLang {
  return value?.trim().toLowerCase().startsWith('hi') ? 'hi' : 'en';
}

export function parseTheme(value: string | null | undefined): DrishtiTheme {
  return value?.trim().toLowerCase() === 'dark' ? 'dark' : 'light';
}

export function parseLimit(value: string | number | null | undefined): number {
  const n = typeof value === 'number' ? value : Number.parseInt(value ?? '', 10);
  if (!Number.isFinite(n) || n < 1) return DEFAULT_LIMIT;
  return Math.min(Math.floor(n), MAX_LIMIT);
}

/** Resolves a configured URL against the host page; returns undefined when it is empty or malformed. */
export function resolveUrl(value: string | null | undefined, base: string): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  try {
    const url = new URL(v, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
