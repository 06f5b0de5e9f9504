/**
 * Trusted Types: on a page that enforces `require-trusted-types-for 'script'`, `new Worker(url)`
 * only accepts a TrustedScriptURL. The widget's policy ("drishti-widget") admits exactly two kinds
 * of URL: files next to the widget's own script, and blob: URLs the widget itself created for its
 * worker bootstrap. Pages that list allowed policies add `trusted-types drishti-widget lit-html`.
 */

export const TRUSTED_TYPES_POLICY = 'drishti-widget';

/** An opaque TrustedScriptURL (TypeScript's DOM library does not declare Trusted Types yet). */
export type ScriptUrl = string | { readonly __trustedScriptUrl: unique symbol };

interface ScriptUrlPolicy {
  createScriptURL(url: string): ScriptUrl;
}

interface TrustedTypesFactory {
  createPolicy(name: string, rules: { createScriptURL(url: string): string }): ScriptUrlPolicy;
}

let policy: ScriptUrlPolicy | undefined;
const ownBlobUrls = new Set<string>();

/** Records a blob: URL the widget created, so the policy admits it once. */
export function admitBlobUrl(url: string): void {
  ownBlobUrls.add(url);
}

function checkUrl(url: string, widgetBase: string): string {
  if (ownBlobUrls.delete(url)) return url;
  const u = new URL(url);
  const base = new URL('./', widgetBase);
  if (u.origin === base.origin && u.pathname.startsWith(base.pathname)) return u.href;
  throw new TypeError(`Drishti widget: refusing to load script ${url}; only files next to the widget are allowed.`);
}

/** Returns `url` in the form `new Worker()` accepts on this page (a TrustedScriptURL where enforced). */
export function trustedScriptUrl(url: string, widgetBase: string): ScriptUrl {
  const tt = (globalThis as { trustedTypes?: TrustedTypesFactory }).trustedTypes;
  if (!tt) return checkUrl(url, widgetBase);
  policy ??= tt.createPolicy(TRUSTED_TYPES_POLICY, { createScriptURL: (u: string) => checkUrl(u, widgetBase) });
  return policy.createScriptURL(url);
}
