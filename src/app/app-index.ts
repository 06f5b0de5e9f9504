/**
 * The app shell: header (navigation, language), the page for the current path, in-app navigation
 * without reloads, focus moved to the new page's heading for keyboard and screen-reader users, and
 * an offline notice. Pages are loaded lazily (routes.ts).
 */
import './styles/devanagari-font.css';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { unsafeStatic, html as staticHtml } from 'lit/static-html.js';
import { t } from '../i18n/i18n.ts';
import { LocaleController } from '../i18n/locale-controller.ts';
import './components/site-header.ts';
import './components/update-prompt.ts';
import './components/data-saver-prompt.ts';
import { matchRoute, type Route } from './routes.ts';
import { FONT_STACK } from './styles/shared-styles.ts';

@customElement('drishti-app')
export class DrishtiApp extends LitElement {
  static override styles = css`
    :host { display: block; min-height: 100vh; font-family: ${FONT_STACK}; color: #1d1d1f; background: #fff; overflow-wrap: anywhere; }
    main { max-width: 960px; margin: 0 auto; padding: 12px; box-sizing: border-box; outline: none; }
    .skip { position: absolute; left: -9999px; top: 0; background: #7a1f3d; color: #fff; padding: 0.8rem 1rem; z-index: 10; border-radius: 0 0 8px 0; }
    .skip:focus { left: 0; }
    .offline { background: #fff4d6; color: #3d2e00; padding: 0.5rem 12px; text-align: center; margin: 0; }
  `;

  private readonly i18n = new LocaleController(this);
  @state() private route: Route = matchRoute(location.pathname);
  @state() private loaded = false;
  @state() private online = navigator.onLine;
  /** Changes on every navigation so a page is recreated even when the path stays (product → product). */
  @state() private visit = 0;
  private firstRender = true;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.onPopState);
    window.addEventListener('online', this.onConnectivity);
    window.addEventListener('offline', this.onConnectivity);
    document.addEventListener('click', this.onLinkClick);
    void this.loadRoute();
  }

  override disconnectedCallback(): void {
    window.removeEventListener('popstate', this.onPopState);
    window.removeEventListener('online', this.onConnectivity);
    window.removeEventListener('offline', this.onConnectivity);
    document.removeEventListener('click', this.onLinkClick);
    super.disconnectedCallback();
  }

  private onConnectivity = (): void => {
    this.online = navigator.onLine;
  };

  private onPopState = (): void => {
    this.route = matchRoute(location.pathname);
    this.visit++;
    void this.loadRoute();
  };

  /** Same-origin links navigate without a reload (composedPath reaches into shadow roots). */
  private onLinkClick = (event: MouseEvent): void => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = event.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
    if (!anchor || anchor.target || anchor.hasAttribute('download') || anchor.origin !== location.origin) return;
    event.preventDefault();
    if (anchor.href === location.href) return;
    history.pushState(null, '', anchor.href);
    this.onPopState();
    window.scrollTo(0, 0);
  };

  private async loadRoute(): Promise<void> {
    this.loaded = false;
    await this.route.load();
    this.loaded = true;
    await this.updateComplete;
    document.title = t('app.name');
    if (this.firstRender) {
      this.firstRender = false;
      return;
    }
    // After a navigation, put focus on the new page's heading so screen readers announce it.
    const page = this.renderRoot.querySelector('main')?.firstElementChild as LitElement | null;
    await page?.updateComplete;
    const heading = page?.shadowRoot?.querySelector<HTMLElement>('h1');
    heading?.focus({ preventScroll: true });
  }

  override render() {
    const tag = unsafeStatic(this.route.tag);
    return html`
      <a class="skip" href="#main" @click=${(e: Event) => {
        e.preventDefault();
        (this.renderRoot.querySelector('main') as HTMLElement | null)?.focus();
      }}>${t('app.skipToContent')}</a>
      <drishti-site-header .path=${this.route.path}></drishti-site-header>
      ${this.online ? nothing : html`<p class="offline" role="status">${t('common.offline')}</p>`}
      <drishti-data-saver-prompt></drishti-data-saver-prompt>
      <main id="main" tabindex="-1" aria-busy=${this.loaded ? 'false' : 'true'}>
        ${this.loaded ? keyed(this.visit, staticHtml`<${tag}></${tag}>`) : nothing}
      </main>
      <drishti-update-prompt></drishti-update-prompt>
    `;
  }
}
