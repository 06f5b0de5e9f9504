/**
 * Bilingual names for attribute values (e.g. articleType "Kurtas" → कुर्ता), taken from the model
 * manifest's label lists so the UI, the model and the catalogue facets agree. Catalogue values the
 * model does not know are shown as they are.
 */
import { localName, type Locale } from '../../i18n/i18n.ts';
import { parseModelManifest, type LabelName, type ModelManifest } from '../../shared/model-manifest.ts';

export const MODEL_MANIFEST_URL = '/models/manifest.json';

let names = new Map<string, Map<string, LabelName>>();
let loading: Promise<ModelManifest | null> | undefined;

/** Loads the manifest once; resolves null (names stay as ids) when it is missing or invalid. */
export function loadLabelNames(url = MODEL_MANIFEST_URL): Promise<ModelManifest | null> {
  loading ??= (async () => {
    try {
      const res = await fetch(url);
      if (!res.ok) return null;
      const manifest = parseModelManifest(await res.json(), url);
      useManifestLabels(manifest);
      return manifest;
    } catch {
      loading = undefined; // e.g. offline before the first visit: try again next time
      return null;
    }
  })();
  return loading;
}

export function useManifestLabels(manifest: Pick<ModelManifest, 'heads'>): void {
  names = new Map(manifest.heads.map((h) => [h.name, new Map(h.labels.map((l) => [l.id, l]))]));
}

/** The value's name in the UI language; unknown values are returned unchanged. */
export function attributeValueName(head: string, value: string, locale?: Locale): string {
  const label = names.get(head)?.get(value);
  return label ? localName(label, locale) : value;
}
