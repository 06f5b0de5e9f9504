/** Re-renders a Lit element whenever the UI language changes. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { getLocale, onLocaleChange, type Locale } from './i18n.ts';

export class LocaleController implements ReactiveController {
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  get locale(): Locale {
    return getLocale();
  }

  hostConnected(): void {
    this.unsubscribe = onLocaleChange(() => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
