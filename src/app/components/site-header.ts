/**
 * The header on every page: the name, the main navigation (with the cart count) and the language
 * switch. At 360 px the navigation wraps instead of scrolling sideways.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { cartTotals, shopChanges, shopStore } from '../../features/shop/client/shop-store.ts';
import { formatNumber, t, tn, type MessageKey } from '../../i18n/i18n.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import { sharedStyles } from '../styles/shared-styles.ts';
import './lang-switch.ts';

const NAV: { href: string; key: MessageKey }[] = [
  { href: '/', key: 'nav.snap' },
  { href: '/browse', key: 'nav.browse' },
  { href: '/wishlist', key: 'nav.wishlist' },
  { href: '/cart', key: 'nav.cart' },
  { href: '/settings', key: 'nav.settings' },
];

@customElement('drishti-site-header')
export class SiteHeader extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; background: #fff; border-bottom: 1px solid var(--line); }
      .bar { max-width: 960px; margin: 0 auto; padding: 0.3rem 12px; display: flex; flex-wrap: wrap; align-items: center; gap: 0.3rem 0.8rem; }
      .brand { font-weight: 800; font-size: 1.2rem; color: var(--brand); text-decoration: none; min-height: 44px; min-width: 44px; display: inline-flex; align-items: center; }
      drishti-lang-switch { margin-inline-start: auto; }
      nav { flex: 1 1 100%; }
      ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.2rem; }
      a.nav {
        display: inline-flex; align-items: center; justify-content: center; min-height: 44px; min-width: 44px; padding: 0 0.6rem; border-radius: 8px;
        color: var(--text); text-decoration: none; font-weight: 500;
      }
      a.nav:hover { background: var(--brand-soft); }
      a.nav[aria-current='page'] { color: var(--brand); box-shadow: inset 0 -3px 0 var(--brand); }
      .count { background: var(--brand); color: #fff; border-radius: 999px; padding: 0 0.45rem; margin-inline-start: 0.3rem; font-size: 0.8rem; }
      @media (min-width: 720px) { nav { flex: 1 1 auto; } }
    `,
  ];

  private readonly i18n = new LocaleController(this);
  @property() path = '/';
  @state() private cartCount = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    shopChanges.addEventListener('change', this.refreshCart);
    this.refreshCart();
  }

  override disconnectedCallback(): void {
    shopChanges.removeEventListener('change', this.refreshCart);
    super.disconnectedCallback();
  }

  private refreshCart = (): void => {
    shopStore()
      .cart()
      .then((entries) => (this.cartCount = cartTotals(entries).count))
      .catch(() => (this.cartCount = 0));
  };

  override render() {
    return html`<div class="bar">
      <a class="brand" href="/">${t('app.name')}</a>
      <drishti-lang-switch></drishti-lang-switch>
      <nav aria-label=${t('nav.label')}>
        <ul>
          ${NAV.map((n) => {
            const isCart = n.href === '/cart';
            const label = isCart && this.cartCount ? tn('nav.cartCount', this.cartCount) : undefined;
            return html`<li>
              <a class="nav" href=${n.href} aria-current=${this.path === n.href ? 'page' : 'false'} aria-label=${label ?? t(n.key)}>
                ${t(n.key)}${isCart && this.cartCount ? html`<span class="count" aria-hidden="true">${formatNumber(this.cartCount)}</span>` : ''}
              </a>
            </li>`;
          })}
        </ul>
      </nav>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drishti-site-header': SiteHeader;
  }
}
