/** The widget's own strings in English and Hindi (catalogue text comes from the pack as is). */
import type { DrishtiLang } from './types.ts';

const STRINGS = {
  en: {
    similarHeading: 'Similar products',
    lensButton: 'Search by photo',
    lensTitle: 'Find this look',
    lensPick: 'Choose or take a photo',
    lensHint: 'Your photo stays on this device.',
    close: 'Close',
    addToCart: 'Add to cart',
    loading: 'Loading…',
    loadingModel: 'Preparing on-device search…',
    searching: 'Searching…',
    noResults: 'No similar products found.',
    error: 'Something went wrong',
    results: (n: number) => `${n} products`,
  },
  hi: {
    similarHeading: 'मिलते-जुलते उत्पाद',
    lensButton: 'फ़ोटो से खोजें',
    lensTitle: 'यह लुक ढूँढें',
    lensPick: 'फ़ोटो चुनें या लें',
    lensHint: 'आपकी फ़ोटो इसी डिवाइस पर रहती है।',
    close: 'बंद करें',
    addToCart: 'कार्ट में डालें',
    loading: 'लोड हो रहा है…',
    loadingModel: 'डिवाइस पर खोज तैयार हो रही है…',
    searching: 'खोज रहे हैं…',
    noResults: 'कोई मिलता-जुलता उत्पाद नहीं मिला।',
    error: 'कुछ गड़बड़ हो गई',
    results: (n: number) => `${n} उत्पाद`,
  },
} satisfies Record<DrishtiLang, Record<string, string | ((n: number) => string)>>;

export type WidgetStrings = (typeof STRINGS)['en'];

export function stringsFor(lang: DrishtiLang): WidgetStrings {
  return STRINGS[lang];
}

const priceFormats = new Map<DrishtiLang, Intl.NumberFormat>();

/** ₹ with Indian digit grouping (₹1,23,456). */
export function formatInr(value: number, lang: DrishtiLang): string {
  let f = priceFormats.get(lang);
  if (!f) {
    f = new Intl.NumberFormat(lang === 'hi' ? 'hi-IN' : 'en-IN', { style: 'currency', currency: 'INR', maximumFractionDigits: 0 });
    priceFormats.set(lang, f);
  }
  return f.format(value);
}
