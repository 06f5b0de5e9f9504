/** The Chromium launcher lives in scripts/chromium.ts (shared with `npm run bench`); tests import it from here. */
export * from '../../scripts/chromium.ts';
