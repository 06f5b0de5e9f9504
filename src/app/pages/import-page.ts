/**
 * Merchant import: drop a folder of product photos (plus an optional CSV with id, title, price,
 * attributes per image file) and the worker tags and embeds them on this device, with a progress
 * bar. The photos are stored in IndexedDB before processing, so a reload mid-import resumes.
 * Then teach your own categories ("Banarasi saree") from a few examples and see them applied.
 * Nothing leaves the device.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { getCatalogueClient } from '../../features/catalogue/client/catalogue-client.ts';
import { createImport, deleteImport, driveImport, listImports } from '../../features/catalogue/client/import-client.ts';
import { displayUrl, releaseDisplayUrls } from '../../features/catalogue/client/local-images.ts';
import { getEngine } from '../../features/engine/client/worker-bridge.ts';
import type { CategoryReport, ImportProgress } from '../../features/catalogue/shared/catalogue-api.ts';
import type { CatalogueInfo, CatalogueItem } from '../../features/catalogue/shared/catalogue-types.ts';
import { formatPrice, t } from '../../i18n/i18n.ts';
import { LocaleController } from '../../i18n/locale-controller.ts';
import { ensureModel } from '../services/photo-search.ts';
import { sharedStyles } from '../styles/shared-styles.ts';

const PAGE_SIZE = 60;

/** A message built when shown, so it follows a language switch made while it is on screen. */
type Text = () => string;

/** Reads a dropped folder recursively (DataTransfer entries), since a drop gives only the top level. */
async function filesFromDrop(items: DataTransferItemList): Promise<File[]> {
  const out: File[] = [];
  const walk = async (entry: FileSystemEntry): Promise<void> => {
    if (entry.isFile) {
      out.push(await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej)));
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
        if (batch.length === 0) break;
        for (const e of batch) await walk(e);
      }
    }
  };
  const entries = Array.from(items)
    .map((i) => i.webkitGetAsEntry())
    .filter((e): e is FileSystemEntry => e !== null);
  for (const e of entries) await walk(e);
  return out;
}

@customElement('drishti-import-page')
export class ImportPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      .drop { border: 2px dashed var(--line); border-radius: var(--radius); padding: 1.2rem; text-align: center; }
      .drop.over { border-color: var(--brand); background: var(--brand-soft); }
      label.button, button { display: inline-flex; align-items: center; min-height: 44px; padding: 0 1rem; margin: 0.25rem; border-radius: 8px; border: 1px solid var(--brand); background: #fff; color: var(--brand); cursor: pointer; font: inherit; }
      button.primary { background: var(--brand); color: #fff; }
      input[type='file'] { position: absolute; width: 1px; height: 1px; opacity: 0; }
      input[type='text'] { min-height: 44px; padding: 0 0.6rem; font: inherit; border: 1px solid var(--line); border-radius: 8px; }
      progress { width: 100%; height: 1.2rem; }
      .error { color: var(--danger); }
      .muted { color: var(--muted); }
      ul.grid { list-style: none; padding: 0; margin: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(140px, 1fr)); gap: 0.6rem; }
      ul.grid li { border: 1px solid var(--line); border-radius: var(--radius); padding: 0.4rem; font-size: 0.9rem; }
      ul.grid li.example { outline: 3px solid var(--brand); }
      ul.grid img { width: 100%; aspect-ratio: 1; object-fit: contain; background: #f4f4f4; border-radius: 6px; }
      .title { overflow-wrap: anywhere; }
      .tags { color: var(--muted); font-size: 0.8rem; }
      .custom { color: var(--ok); font-weight: 600; }
      button.pick { all: unset; cursor: pointer; display: block; width: 100%; border-radius: 6px; }
      button.pick:focus-visible { outline: 3px solid var(--brand); outline-offset: 2px; }
      table { border-collapse: collapse; }
      td, th { padding: 0.2rem 0.6rem; text-align: left; border-bottom: 1px solid var(--line); }
    `,
  ];

  private readonly client = getCatalogueClient();
  private readonly i18n = new LocaleController(this);
  @state() private catalogueTitle = t('import.defaultTitle');
  @state() private dragging = false;
  @state() private catalogueId: string | null = null;
  @state() private progress: ImportProgress | null = null;
  @state() private running = false;
  @state() private message: Text | null = null;
  @state() private error: Text | null = null;
  @state() private info: CatalogueInfo | null = null;
  @state() private items: CatalogueItem[] = [];
  @state() private images = new Map<string, string>();
  @state() private category = '';
  @state() private examples = new Map<string, string>();
  @state() private report: CategoryReport | null = null;
  private abort: AbortController | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.restore();
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
    super.disconnectedCallback();
  }

  /** On load: reopen the latest import, and resume it when files are still pending. */
  private async restore(): Promise<void> {
    try {
      const imports = await listImports();
      const latest = imports[0];
      if (!latest) return;
      this.catalogueId = latest.id;
      this.catalogueTitle = latest.title;
      if (latest.pending > 0) {
        this.message = () => t('import.resuming', { title: latest.title, done: latest.done, total: latest.total });
        this.progress = { catalogueId: latest.id, total: latest.total, done: latest.done, pending: latest.pending, failed: [], rate: 0, finished: false };
        await this.run(latest.id);
      } else {
        await this.openAndShow(latest.id);
      }
    } catch (err) {
      const detail = (err as Error).message;
      this.error = () => t('import.readFailed', { detail });
    }
  }

  private async openAndShow(id: string): Promise<void> {
    this.info = await this.client.openImport(id);
    await this.loadItems();
  }

  private async loadItems(): Promise<void> {
    if (!this.info) return;
    const { items } = await this.client.browse({ catalogueId: this.info.id, limit: PAGE_SIZE });
    this.items = items;
    const images = new Map(this.images);
    await Promise.all(items.map(async (it) => images.set(it.id, await displayUrl(it.thumbnailUrl))));
    this.images = images;
  }

  private async start(files: File[]): Promise<void> {
    this.error = null;
    this.report = null;
    this.examples = new Map();
    try {
      const created = await createImport(files, this.catalogueTitle);
      this.catalogueId = created.catalogueId;
      const ignored = created.ignored.length;
      this.message = () =>
        ignored ? t('import.storedIgnored', { count: created.files, ignored }) : t('import.stored', { count: created.files });
      await this.run(created.catalogueId);
    } catch (err) {
      const detail = (err as Error).message;
      this.error = () => detail;
    }
  }

  private async run(id: string): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.error = null;
    this.abort = new AbortController();
    try {
      // `?model=<manifest URL>` imports with another model (developers, tests); default: the app's model.
      const modelUrl = new URLSearchParams(location.search).get('model');
      const engine = getEngine();
      if (modelUrl && /^https?:\/\//.test(new URL(modelUrl, location.href).href)) {
        if (!engine.lastLoad) await engine.load({ manifestUrl: modelUrl }, { signal: this.abort.signal });
      } else {
        await ensureModel(undefined, this.abort.signal);
      }
      const final = await driveImport(this.client, id, (p) => (this.progress = p), this.abort.signal);
      const failed = final.failed.length;
      this.message = () => (failed ? t('import.doneFailed', { done: final.done, failed }) : t('import.done', { done: final.done }));
      await this.openAndShow(id);
    } catch (err) {
      const detail = (err as Error).message;
      if ((err as Error).name !== 'AbortError') this.error = () => t('import.stopped', { detail });
    } finally {
      this.running = false;
    }
  }

  private onDrop = async (e: DragEvent): Promise<void> => {
    e.preventDefault();
    this.dragging = false;
    if (!e.dataTransfer) return;
    const files = await filesFromDrop(e.dataTransfer.items);
    await this.start(files.length ? files : Array.from(e.dataTransfer.files));
  };

  private onPick = (e: Event): void => {
    const input = e.target as HTMLInputElement;
    const files = Array.from(input.files ?? []);
    input.value = '';
    if (files.length) void this.start(files);
  };

  private toggleExample(item: CatalogueItem): void {
    const name = this.category.trim();
    const next = new Map(this.examples);
    if (next.has(item.id)) next.delete(item.id);
    else if (name) next.set(item.id, name);
    else {
      this.error = () => t('import.needCategory');
      return;
    }
    this.error = null;
    this.examples = next;
  }

  private async teach(): Promise<void> {
    if (!this.info) return;
    try {
      this.error = null;
      this.report = await this.client.teachCategories(
        this.info.id,
        [...this.examples].map(([itemId, category]) => ({ itemId, category })),
      );
      await this.loadItems();
    } catch (err) {
      const detail = (err as Error).message;
      this.error = () => detail;
    }
  }

  /** Deletes the import (photos, tags, categories) from this device. */
  private async deleteThisImport(): Promise<void> {
    const id = this.catalogueId;
    if (!id || this.running || !confirm(t('import.deleteConfirm'))) return;
    try {
      await this.client.unload(id).catch(() => undefined);
      await deleteImport(id);
      releaseDisplayUrls(id);
      Object.assign(this, { catalogueId: null, info: null, items: [], progress: null, report: null, message: () => t('import.deleted') });
      this.examples = new Map();
    } catch (err) {
      const detail = (err as Error).message;
      this.error = () => t('import.deleteFailed', { detail });
    }
  }

  private renderProgress() {
    const p = this.progress;
    if (!p) return nothing;
    const eta = p.rate > 0 ? Math.ceil(p.pending / p.rate) : null;
    return html`<section aria-live="polite">
      <progress max=${p.total} .value=${p.done + p.failed.length} aria-label=${t('import.progressLabel')}></progress>
      <p data-testid="import-status">${t('import.processed', { processed: p.done + p.failed.length, total: p.total })}${p.rate > 0 ? t('import.rate', { rate: p.rate.toFixed(1) }) : nothing}${eta !== null && p.pending > 0 ? t('import.eta', { seconds: eta }) : nothing}</p>
      ${p.failed.length
        ? html`<details open><summary>${t('import.failedCount', { count: p.failed.length })}</summary>
            <ul data-testid="import-failures">${p.failed.map((f) => html`<li><span class="title">${f.fileName}</span>: ${f.reason}</li>`)}</ul>
          </details>`
        : nothing}
    </section>`;
  }

  private renderCategories() {
    if (!this.info || this.items.length === 0) return nothing;
    const counts = new Map<string, number>();
    for (const c of this.examples.values()) counts.set(c, (counts.get(c) ?? 0) + 1);
    return html`<section>
      <h2>${t('import.teachHeading')}</h2>
      <p class="muted">${t('import.teachIntro')}</p>
      <label>${t('import.category')} <input type="text" .value=${this.category} @input=${(e: Event) => (this.category = (e.target as HTMLInputElement).value)} placeholder=${t('import.categoryPlaceholder')} /></label>
      <button class="primary" ?disabled=${this.examples.size === 0} @click=${() => this.teach()}>${t('import.teach', { count: counts.size })}</button>
      ${counts.size ? html`<p>${[...counts].map(([c, n]) => html`<span>${t('import.exampleCount', { category: c, count: n })}</span> `)}</p>` : nothing}
      ${this.report
        ? html`<div data-testid="category-report">
            <p>${t('import.heldOutAccuracy')} <strong>${this.report.heldOutAccuracy === null ? t('import.needsTwoCategories') : `${Math.round(this.report.heldOutAccuracy * 100)}%`}</strong></p>
            <table>
              <tr><th>${t('import.col.category')}</th><th>${t('import.col.examples')}</th><th>${t('import.col.heldOutCorrect')}</th><th>${t('import.col.assigned')}</th></tr>
              ${this.report.categories.map((c) => html`<tr><td>${c.name}</td><td>${c.examples}</td><td>${c.heldOutCorrect}</td><td>${c.assigned}</td></tr>`)}
            </table>
          </div>`
        : nothing}
    </section>`;
  }

  private renderItems() {
    if (!this.info) return nothing;
    return html`<section>
      <h2>${t('import.itemsHeading', { title: this.info.title, count: this.info.itemCount })}</h2>
      <button @click=${() => this.deleteThisImport()}>${t('import.delete')}</button>
      <ul class="grid" data-testid="import-items">
        ${this.items.map(
          (it) => html`<li class=${this.examples.has(it.id) ? 'example' : ''}>
            <button class="pick" aria-pressed=${this.examples.has(it.id) ? 'true' : 'false'} @click=${() => this.toggleExample(it)}>
              <img src=${this.images.get(it.id) ?? ''} alt="" loading="lazy" />
              <div class="title">${it.title}</div>
            </button>
            <div class="tags">${Object.values(it.attributes).join(' · ')}</div>
            ${it.priceInr !== null ? html`<div>${formatPrice(it.priceInr)}</div>` : nothing}
            ${it.customCategory ? html`<div class="custom" data-custom-category=${it.customCategory.name}>${it.customCategory.name}</div>` : nothing}
          </li>`,
        )}
      </ul>
    </section>`;
  }

  override render() {
    void this.i18n.locale;
    return html`<h1>${t('import.title')}</h1>
      <p class="muted">${t('import.privacy')}</p>
      <label>${t('import.catalogueName')} <input type="text" .value=${this.catalogueTitle} @input=${(e: Event) => (this.catalogueTitle = (e.target as HTMLInputElement).value)} /></label>
      <div
        class="drop ${this.dragging ? 'over' : ''}"
        @dragover=${(e: DragEvent) => {
          e.preventDefault();
          this.dragging = true;
        }}
        @dragleave=${() => (this.dragging = false)}
        @drop=${this.onDrop}
      >
        <p>${t('import.dropHint')} <code>image,id,title,price,gender,articleType,usage,colour,season</code>.</p>
        <label class="button">${t('import.chooseFolder')}<input type="file" data-testid="folder-input" webkitdirectory multiple ?disabled=${this.running} @change=${this.onPick} /></label>
        <label class="button">${t('import.choosePhotos')}<input type="file" data-testid="files-input" multiple accept="image/*,.csv" ?disabled=${this.running} @change=${this.onPick} /></label>
      </div>
      ${this.message ? html`<p data-testid="import-message">${this.message()}</p>` : nothing}
      ${this.error ? html`<p class="error" role="alert">${this.error()}</p>` : nothing}
      ${!this.running && this.catalogueId && this.progress && !this.progress.finished
        ? html`<button class="primary" @click=${() => this.run(this.catalogueId!)}>${t('import.resume')}</button>`
        : nothing}
      ${this.renderProgress()} ${this.renderItems()} ${this.renderCategories()}`;
  }
}
