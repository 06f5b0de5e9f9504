/**
 * The UI language: message lookup, the remembered language choice, and locale-aware formatting of
 * prices (₹ with Indian digit grouping), percentages and byte sizes. Pure apart from the
 * localStorage/document touches, which are guarded so the module also runs in Node tests.
 */
import { en, type MessageKey } from './messages/en.ts';
import { hi } from './messages/hi.ts';

export type Locale = 'en' | 'hi';
export type { MessageKey };
export type MessageParams = Record<string, string | number>;

export const LOCALES: readonly Locale[] = ['en', 'hi'];
export const LOCALE_STORAGE_KEY = 'drishti.locale';

const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { en, hi };
/** BCP 47 tags for Intl: both use the Indian numbering system's lakh/crore grouping. */
const INTL_LOCALE: Record<Locale, string> = { en: 'en-IN', hi: 'hi-IN' };

export function isLocale(value: unknown): value is Locale {
  return value === 'en' || value === 'hi';
}

function storage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined; // Access can throw (e.g. storage disabled): the choice is then only kept for this visit.
  }
}

/** The stored choice, else the browser's preference (Hindi if it is listed before English), else English. */
export function initialLocale(stored: string | null | undefined, preferred: readonly string[]): Locale {
  if (isLocale(stored)) return stored;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return 'en';
}

let current: Locale = initialLocale(
  storage()?.getItem(LOCALE_STORAGE_KEY),
  typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language],
);
const listeners = new Set<(locale: Locale) => void>();
applyToDocument(current);

function applyToDocument(locale: Locale): void {
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}

export function getLocale(): Locale {
  return current;
}

/** Switches the UI language, remembers it, and re-renders every subscribed element. */
export function setLocale(locale: Locale): void {
  if (!isLocale(locale)) throw new RangeError(`Unsupported language "${String(locale)}"; use one of ${LOCALES.join(', ')}.`);
  try {
    storage()?.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // Quota or privacy mode: the switch still applies to this visit.
  }
  if (locale === current) return;
  current = locale;
  applyToDocument(locale);
  for (const listener of listeners) listener(locale);
}

export function onLocaleChange(listener: (locale: Locale) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Fills {name} placeholders; a missing parameter stays visible as {name} rather than vanishing. */
export function interpolate(template: string, params: MessageParams = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function t(key: MessageKey, params?: MessageParams, locale: Locale = current): string {
  return interpolate(CATALOGUES[locale][key] ?? en[key], params);
}

/**
 * A count message: uses `<key>.one` when the language's plural rule says "one" and that key
 * exists, else `<key>` with {count}. The count is formatted for the language.
 */
export function tn(key: MessageKey, count: number, params: MessageParams = {}, locale: Locale = current): string {
  const one = `${key}.one`;
  const rule = new Intl.PluralRules(INTL_LOCALE[locale]).select(count);
  const chosen = rule === 'one' && count === 1 && one in CATALOGUES[locale] ? (one as MessageKey) : key;
  return t(chosen, { ...params, count: formatNumber(count, locale) }, locale);
}

export function messagesFor(locale: Locale): Readonly<Record<MessageKey, string>> {
  return CATALOGUES[locale];
}

const priceFormats = new Map<Locale, Intl.NumberFormat>();
/** Whole rupees with Indian grouping: 123456 → "₹1,23,456". */
export function formatPrice(rupees: number, locale: Locale = current): string {
  let f = priceFormats.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(INTL_LOCALE[locale], { style: 'currency', currency: 'INR', maximumFractionDigits: 0 });
    priceFormats.set(locale, f);
  }
  return f.format(rupees);
}

/** A probability 0..1 as a whole percentage ("87%"). */
export function formatPercent(fraction: number, locale: Locale = current): string {
  return new Intl.NumberFormat(INTL_LOCALE[locale], { style: 'percent', maximumFractionDigits: 0 }).format(fraction);
}

export function formatNumber(n: number, locale: Locale = current): string {
  return new Intl.NumberFormat(INTL_LOCALE[locale]).format(n);
}

/** Bytes in the largest unit that keeps the number ≥ 1 (decimal units, as phones show storage). */
export function formatBytes(bytes: number, locale: Locale = current): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = Math.max(0, bytes);
  let i = 0;
  while (value >= 1000 && i < units.length - 1) {
    value /= 1000;
    i++;
  }
  return new Intl.NumberFormat(INTL_LOCALE[locale], {
    style: 'unit',
    unit: units[i],
    unitDisplay: 'short',
    maximumFractionDigits: value < 10 && i > 0 ? 1 : 0,
  }).format(value);
}

/** A bilingual name (model labels, manifest heads) in the current language. */
export function localName(name: { en: string; hi: string }, locale: Locale = current): string {
  return locale === 'hi' ? name.hi || name.en : name.en;
}
