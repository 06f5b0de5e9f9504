/**
 * What `<drishti-similar>` and `<drishti-lens>` share: the settings (attributes and properties),
 * the lazy start (IntersectionObserver, or first use), loading the heavy runtime chunk on demand,
 * and dispatching the host-facing events.
 */
import { LitElement, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { stringsFor, type WidgetStrings } from './i18n.ts';
import type { BackendSource, WidgetBackend, WidgetRuntimeModule } from './widget-backend.ts';
import { DEFAULT_LIMIT, parseLang, parseLimit, parseTheme, resolveUrl } from './widget-config.ts';
import { WidgetError, toWidgetError } from './widget-error.ts';
import type { DrishtiErrorDetail, DrishtiLang, DrishtiProduct, DrishtiTheme, DrishtiWidgetSettings } from './types.ts';

/** One runtime chunk per page, shared by every element (a module-scoped promise, not a global). */
let runtimeModule: Promise<WidgetRuntimeModule> | undefined;
function loadRuntime(): Promise<WidgetRuntimeModule> {
  runtimeModule ??= import('./runtime/widget-runtime.ts');
  return runtimeModule;
}

export abstract class DrishtiElement extends LitElement implements DrishtiWidgetSettings {
  @property({ attribute: 'pack-url' }) packUrl = '';
  @property({ attribute: 'manifest-url' }) manifestUrl = '';
  /** Reflected, so assistive technology reads the widget's Hindi as Hindi. */
  @property({ reflect: true, converter: { fromAttribute: parseLang } }) override lang: DrishtiLang = 'en';
  @property({ reflect: true, converter: { fromAttribute: parseTheme } }) theme: DrishtiTheme = 'light';
  @property({ converter: { fromAttribute: parseLimit } }) limit = DEFAULT_LIMIT;
  @property() loading: 'lazy' | 'eager' = 'lazy';

  private observer: IntersectionObserver | undefined;
  /** Set once the element has been on screen or used; until then nothing heavy is fetched. */
  protected activated = false;

  protected get t(): WidgetStrings {
    return stringsFor(parseLang(this.lang));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.activated) return;
    if (this.loading === 'eager' || typeof IntersectionObserver === 'undefined') {
      queueMicrotask(() => this.activate());
      return;
    }
    // Start a little before the element scrolls into view so results are ready when it arrives.
    this.observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          this.observer?.disconnect();
          this.observer = undefined;
          this.onVisible();
        }
      },
      { rootMargin: '200px' },
    );
    this.observer.observe(this);
  }

  override disconnectedCallback(): void {
    this.observer?.disconnect();
    this.observer = undefined;
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Properties set from script bypass the attribute converters; normalise them the same way.
    if (changed.has('limit')) this.limit = parseLimit(this.limit);
    if (changed.has('lang')) this.lang = parseLang(this.lang);
    if (changed.has('theme')) this.theme = parseTheme(this.theme);
  }

  /** First time on screen: by default that starts the element's work; `<drishti-lens>` waits for a click. */
  protected onVisible(): void {
    this.activate();
  }

  /** Marks the element visible/used; subclasses start their work in `onActivate`. */
  protected activate(): void {
    this.observer?.disconnect();
    this.observer = undefined;
    if (this.activated) return;
    this.activated = true;
    this.onActivate();
  }

  protected abstract onActivate(): void;

  protected source(needsModel: boolean): BackendSource {
    const base = document.baseURI;
    const packUrl = resolveUrl(this.packUrl, base);
    if (!packUrl) throw new WidgetError('config', 'Set pack-url to the URL of your catalogue pack (pack.json).');
    const manifestUrl = resolveUrl(this.manifestUrl, base);
    if (needsModel && !manifestUrl) throw new WidgetError('config', 'Set manifest-url to the URL of the model manifest (manifest.json).');
    return manifestUrl ? { packUrl, manifestUrl } : { packUrl };
  }

  protected async backend(needsModel: boolean): Promise<WidgetBackend> {
    const src = this.source(needsModel);
    const runtime = await loadRuntime().catch((err: unknown) => {
      runtimeModule = undefined; // let a later attempt retry a failed chunk download
      throw new WidgetError('engine', `Could not load the Drishti widget's search code: ${(err as Error).message}`);
    });
    return runtime.backendFor(src);
  }

  protected emitProduct(type: 'drishti-select' | 'drishti-add-to-cart', product: DrishtiProduct): void {
    this.dispatchEvent(new CustomEvent(type, { detail: { productId: product.id, product }, bubbles: true, composed: true }));
  }

  /** Reports a failure to the host page as an event (never to the console: a guest keeps it clean). */
  protected emitError(err: unknown, fallback: DrishtiErrorDetail['code']): WidgetError {
    const e = toWidgetError(err, fallback);
    this.dispatchEvent(new CustomEvent('drishti-error', { detail: { code: e.code, message: e.message }, bubbles: true, composed: true }));
    return e;
  }
}
