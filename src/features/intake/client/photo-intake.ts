/**
 * Where the shopper hands over a photo: camera, upload, paste or drop — with the privacy promise
 * next to it. It validates and decodes the photo (load-photo.ts) and emits `photo-ready` with the
 * decoded photo and the moment it was chosen, or shows a translated message for bad input.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { t } from '../../../i18n/i18n.ts';
import { LocaleController } from '../../../i18n/locale-controller.ts';
import { sharedStyles } from '../../../app/styles/shared-styles.ts';
import { IntakeError } from '../shared/intake-check.ts';
import { cameraSupported, type CameraCapture } from './camera-capture.ts';
import { intakeMessage } from './intake-messages.ts';
import { loadPhoto, type IntakePhoto } from './load-photo.ts';
import './camera-capture.ts';

export interface PhotoReadyDetail {
  photo: IntakePhoto;
  /** performance.now() when the shopper chose the photo (for the photo → results timing). */
  chosenAt: number;
}

@customElement('drishti-photo-intake')
export class PhotoIntake extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      .zone {
        border: 2px dashed #8a8a8a;
        border-radius: 14px;
        padding: 1rem;
        text-align: center;
        background: #fafafa;
      }
      .zone.dragging { border-color: var(--brand); background: var(--brand-soft); }
      .buttons { display: flex; gap: 0.6rem; justify-content: center; flex-wrap: wrap; }
      .privacy { display: flex; gap: 0.5rem; align-items: flex-start; text-align: start; margin: 0.8rem 0 0; font-size: 0.95rem; }
      .privacy svg { flex: none; margin-top: 0.15rem; }
      .hint { margin: 0.6rem 0 0; }
      input[type='file'] { display: none; }
      .error { margin-top: 0.8rem; text-align: start; }
    `,
  ];

  private readonly i18n = new LocaleController(this);
  /** Longest side the photo is decoded at. */
  @property({ type: Number, attribute: 'max-side' }) maxSide = 448;
  /** While the page is busy with a photo, new ones are still accepted (the newest wins). */
  @state() private dragging = false;
  @state() private problem: IntakeError | undefined;
  @state() private cameraProblem: string | undefined;
  @state() private reading = false;
  @query('#upload') private uploadInput!: HTMLInputElement;
  @query('#camera-input') private cameraInput!: HTMLInputElement;
  @query('drishti-camera-capture') private camera!: CameraCapture;
  private current: AbortController | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('paste', this.onPaste);
    // A photo dropped anywhere on the page is taken too (the browser would otherwise leave the app to show it).
    document.addEventListener('dragover', this.onPageDragOver);
    document.addEventListener('drop', this.onPageDrop);
  }

  override disconnectedCallback(): void {
    document.removeEventListener('paste', this.onPaste);
    document.removeEventListener('dragover', this.onPageDragOver);
    document.removeEventListener('drop', this.onPageDrop);
    this.current?.abort();
    super.disconnectedCallback();
  }

  /** Accepts a photo from any source; public so pages and tests can hand one in. */
  async takeFile(file: Blob): Promise<void> {
    const chosenAt = performance.now();
    this.current?.abort();
    const controller = new AbortController();
    this.current = controller;
    this.problem = undefined;
    this.cameraProblem = undefined;
    this.reading = true;
    this.dispatchEvent(new CustomEvent('photo-chosen', { detail: { chosenAt }, bubbles: true, composed: true }));
    try {
      const photo = await loadPhoto(file, { maxSide: this.maxSide, signal: controller.signal });
      if (controller.signal.aborted) {
        photo.bitmap.close();
        return;
      }
      const detail: PhotoReadyDetail = { photo, chosenAt };
      this.dispatchEvent(new CustomEvent('photo-ready', { detail, bubbles: true, composed: true }));
    } catch (err) {
      if (controller.signal.aborted) return;
      this.problem = err instanceof IntakeError ? err : new IntakeError('undecodable', String(err));
      this.dispatchEvent(new CustomEvent('photo-rejected', { detail: { code: this.problem.code }, bubbles: true, composed: true }));
    } finally {
      if (this.current === controller) this.reading = false;
    }
  }

  private onPaste = (event: ClipboardEvent): void => {
    const target = event.composedPath()[0];
    // Pasting text into a search box is not a photo search.
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) return;
    const file = Array.from(event.clipboardData?.files ?? [])[0];
    if (!file) return;
    event.preventDefault();
    void this.takeFile(file);
  };

  private onPageDragOver = (event: DragEvent): void => {
    if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
  };

  private onPageDrop = (event: DragEvent): void => {
    if (event.defaultPrevented) return; // the photo area handled it
    const file = event.dataTransfer?.files[0];
    if (!file) return;
    event.preventDefault();
    void this.takeFile(file);
  };

  private onDragOver(event: DragEvent): void {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    this.dragging = true;
  }

  private onDrop(event: DragEvent): void {
    event.preventDefault();
    this.dragging = false;
    const file = event.dataTransfer?.files[0];
    if (file) void this.takeFile(file);
  }

  private onInputChange(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = ''; // choosing the same file again must fire change again
    if (file) void this.takeFile(file);
  }

  private async openCamera(): Promise<void> {
    this.cameraProblem = undefined;
    if (cameraSupported()) {
      await this.camera.open();
    } else {
      this.cameraInput.click();
    }
  }

  override render() {
    return html`
      <div
        class="zone ${this.dragging ? 'dragging' : ''}"
        @dragover=${this.onDragOver}
        @dragleave=${() => (this.dragging = false)}
        @drop=${this.onDrop}
      >
        <div class="buttons">
          <button id="take" @click=${() => void this.openCamera()}>${t('snap.takePhoto')}</button>
          <button id="choose" class="secondary" @click=${() => this.uploadInput.click()}>${t('snap.uploadPhoto')}</button>
        </div>
        <p class="hint muted">${this.dragging ? t('snap.dropActive') : t('snap.dropHint')}</p>
        <p class="privacy" id="privacy">
          <svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true">
            <path fill="#1b6e3a" d="M12 2 4 5v6c0 5 3.4 9.7 8 11 4.6-1.3 8-6 8-11V5l-8-3Zm-1 14-4-4 1.4-1.4L11 13.2l4.6-4.6L17 10l-6 6Z" />
          </svg>
          <span>${t('snap.privacy')}</span>
        </p>
        <input id="upload" type="file" accept="image/*" aria-label=${t('snap.uploadPhoto')} @change=${this.onInputChange} />
        <input id="camera-input" type="file" accept="image/*" capture="environment" aria-label=${t('snap.takePhoto')} @change=${this.onInputChange} />
      </div>
      <div role="status" aria-live="polite" class="visually-hidden">${this.reading ? t('snap.reading') : ''}</div>
      ${this.problem ? html`<p class="error" role="alert" data-code=${this.problem.code}>${intakeMessage(this.problem)}</p>` : ''}
      ${this.cameraProblem ? html`<p class="error" role="alert">${t('camera.denied', { reason: this.cameraProblem })}</p>` : ''}
      <drishti-camera-capture
        @capture=${(e: CustomEvent<{ blob: Blob }>) => void this.takeFile(e.detail.blob)}
        @camera-error=${(e: CustomEvent<{ reason: string }>) => (this.cameraProblem = e.detail.reason)}
      ></drishti-camera-capture>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drishti-photo-intake': PhotoIntake;
  }
  interface HTMLElementEventMap {
    'photo-ready': CustomEvent<PhotoReadyDetail>;
  }
}
