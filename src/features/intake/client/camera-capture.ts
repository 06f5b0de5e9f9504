/**
 * A live camera view (getUserMedia, rear camera preferred) in a modal dialog with a shutter button.
 * Emits `capture` with a JPEG Blob, or `camera-error` with a reason; the caller falls back to the
 * file input (which opens the phone's own camera app via capture="environment").
 */
import { LitElement, css, html } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { t } from '../../../i18n/i18n.ts';
import { LocaleController } from '../../../i18n/locale-controller.ts';
import { sharedStyles } from '../../../app/styles/shared-styles.ts';

export function cameraSupported(): boolean {
  return typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia && window.isSecureContext;
}

@customElement('drishti-camera-capture')
export class CameraCapture extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      dialog { border: none; border-radius: 12px; padding: 0.8rem; width: min(96vw, 560px); max-height: 96vh; }
      dialog::backdrop { background: rgb(0 0 0 / 0.7); }
      video { width: 100%; max-height: 70vh; background: #000; border-radius: 8px; display: block; }
      .actions { display: flex; gap: 0.6rem; justify-content: space-between; margin-top: 0.6rem; flex-wrap: wrap; }
      h2 { margin-top: 0; }
      .privacy { font-size: 0.9rem; margin: 0.5rem 0 0; color: #1b6e3a; }
    `,
  ];

  private readonly i18n = new LocaleController(this);
  @query('dialog') private dialog!: HTMLDialogElement;
  @query('video') private video!: HTMLVideoElement;
  @state() private starting = false;
  private stream: MediaStream | undefined;

  /** Opens the dialog and starts the camera; resolves once the stream plays or the error is emitted. */
  async open(): Promise<void> {
    await this.updateComplete;
    this.dialog.showModal();
    this.starting = true;
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 1280 } },
        audio: false,
      });
      this.video.srcObject = this.stream;
      await this.video.play();
    } catch (err) {
      this.close();
      const reason = err instanceof Error ? err.message || err.name : String(err);
      this.dispatchEvent(new CustomEvent('camera-error', { detail: { reason }, bubbles: true, composed: true }));
    } finally {
      this.starting = false;
    }
  }

  close(): void {
    this.stream?.getTracks().forEach((track) => track.stop());
    this.stream = undefined;
    if (this.video) this.video.srcObject = null;
    if (this.dialog?.open) this.dialog.close();
  }

  override disconnectedCallback(): void {
    this.close();
    super.disconnectedCallback();
  }

  private async capture(): Promise<void> {
    const { videoWidth: w, videoHeight: h } = this.video;
    if (!w || !h) return;
    const canvas = new OffscreenCanvas(w, h);
    canvas.getContext('2d')?.drawImage(this.video, 0, 0, w, h);
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
    this.close();
    this.dispatchEvent(new CustomEvent('capture', { detail: { blob }, bubbles: true, composed: true }));
  }

  override render() {
    return html`<dialog aria-labelledby="camera-title" @cancel=${() => this.close()}>
      <h2 id="camera-title">${t('camera.title')}</h2>
      <video playsinline muted aria-label=${t('camera.title')}></video>
      ${this.starting ? html`<p role="status">${t('camera.starting')}</p>` : ''}
      <p class="privacy">${t('snap.privacy')}</p>
      <div class="actions">
        <button class="secondary" @click=${() => this.close()}>${t('camera.cancel')}</button>
        <button @click=${() => void this.capture()} ?disabled=${this.starting}>${t('camera.capture')}</button>
      </div>
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drishti-camera-capture': CameraCapture;
  }
}
