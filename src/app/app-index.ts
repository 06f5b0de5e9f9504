/** The app shell: renders the page for the current path and handles in-app navigation. */
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { unsafeStatic, html as staticHtml } from 'lit/static-html.js';
import { matchRoute, type Route } from './routes.ts';

@customElement('drishti-app')
export class DrishtiApp extends LitElement {
  static override styles = css`
    :host { display: block; min-height: 100vh; font-family: system-ui, 'Noto Sans', 'Noto Sans Devanagari', sans-serif; color: #1d1d1f; }
    main { max-width: 960px; margin: 0 auto; padding: 12px; box-sizing: border-box; }
  `;

  @state() private route: Route = matchRoute(location.pathname);
  @state() private loaded = false;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.onPopState);
    document.addEventListener('click', this.onLinkClick);
    void this.loadRoute();
  }

  override disconnectedCallback(): void {
    window.removeEventListener('popstate', this.onPopState);
    document.removeEventListener('click', this.onLinkClick);
    super.disconnectedCallback();
  }

  private onPopState = (): void => {
    this.route = matchRoute(location.pathname);
    void this.loadRoute();
  };

  /** Same-origin links navigate without a reload (composedPath reaches into shadow roots). */
  private onLinkClick = (event: MouseEvent): void => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const anchor = event.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
    if (!anchor || anchor.target || anchor.hasAttribute('download') || anchor.origin !== location.origin) return;
    event.preventDefault();
    history.pushState(null, '', anchor.href);
    this.onPopState();
  };

  private async loadRoute(): Promise<void> {
    this.loaded = false;
    await this.route.load();
    this.loaded = true;
  }

  override render() {
    if (!this.loaded) return html`<main aria-busy="true"></main>`;
    const tag = unsafeStatic(this.route.tag);
    return html`<main>${staticHtml`<${tag}></${tag}>`}</main>`;
  }
}
