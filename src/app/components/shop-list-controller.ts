/**
 * Keeps a page's copy of a local shop list (cart or wishlist) current: reads it when the page
 * connects and again whenever the shop store changes (in this tab or another), and holds the last
 * failure as a message to show. One place for what the cart and wishlist pages both need.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { shopChanges } from '../../features/shop/client/shop-store.ts';

export class ShopListController<T> implements ReactiveController {
  /** undefined until the first read finishes. */
  entries: T[] | undefined;
  failure = '';

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly read: () => Promise<T[]>,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    shopChanges.addEventListener('change', this.refresh);
    this.refresh();
  }

  hostDisconnected(): void {
    shopChanges.removeEventListener('change', this.refresh);
  }

  /** Runs a store write; a failure is shown like a failed read (the change event refreshes the list). */
  update(write: Promise<unknown>): void {
    write.catch((err: unknown) => this.fail(err));
  }

  private refresh = (): void => {
    this.read()
      .then((entries) => {
        this.entries = entries;
        this.host.requestUpdate();
      })
      .catch((err: unknown) => this.fail(err));
  };

  private fail(err: unknown): void {
    this.failure = err instanceof Error ? err.message : String(err);
    this.host.requestUpdate();
  }
}
