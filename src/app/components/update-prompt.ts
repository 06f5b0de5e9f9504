/**
 * "A new version is ready — reload": shown when a newer service worker has installed and waits.
 * Reloading is the person's choice so a search or an upload in progress is never cut off.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { startOfflineSupport } from '../../features/delivery/client/offline-support.ts';
import { applyUpdate, onSwState } from '../../features/delivery/client/sw-registration.ts';
import { t } from '../../i18n/i18n.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';

@customElement('drishti-update-prompt')
export class UpdatePrompt extends LitElement {
  static override styles = css`
    :host { position: fixed; inset: auto 0 0 0; display: flex; justify-content: center; pointer-events: none; z-index: 10; }
    .bar {
      pointer-events: auto; margin: 12px; padding: 8px 8px 8px 16px; border-radius: 12px; background: #2b0a16; color: #fff7ec;
      display: flex; gap: 8px; align-items: center; flex-wrap: wrap; box-shadow: 0 4px 16px rgb(0 0 0 / 0.25); max-width: 560px;
    }
    p { margin: 0; flex: 1 1 200px; }
    button { min-height: 44px; min-width: 44px; padding: 0 16px; border-radius: 8px; border: 2px solid #fff7ec; font: inherit; cursor: pointer; }
    .primary { background: #fff7ec; color: #2b0a16; font-weight: 600; }
    .secondary { background: transparent; color: #fff7ec; }
  `;

  private readonly locale = new LocaleController(this);
  @state() private visible = false;
  private unsubscribe: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    startOfflineSupport();
    this.unsubscribe = onSwState((s) => {
      if (s.kind === 'update-ready') this.visible = true;
    });
  }

  override disconnectedCallback(): void {
    this.unsubscribe?.();
    super.disconnectedCallback();
  }

  override render() {
    void this.locale.locale;
    if (!this.visible) return nothing;
    return html`<div class="bar" role="status">
      <p>${t('update.ready')}</p>
      <button class="primary" @click=${() => applyUpdate()}>${t('update.reload')}</button>
      <button class="secondary" @click=${() => (this.visible = false)}>${t('update.later')}</button>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drishti-update-prompt': UpdatePrompt;
  }
}
