/**
 * Taking a photo with the camera (getUserMedia, rear camera asked for) and what happens when the
 * camera is refused. The camera is stood in for by a canvas stream: headless Chromium has none.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './chromium.ts';
import { PHONE, gotoApp, screenshot } from './shopper-helpers.ts';
import { en } from '../../src/i18n/messages/en.ts';

describe('shopper: camera', () => {
  let b: LaunchedBrowser;
  beforeAll(async () => {
    b = await launchChromium({ viewport: PHONE });
  });
  afterAll(async () => {
    await b?.close();
  });

  it('captures a frame from the camera into the photo flow', async () => {
    const { page } = b;
    await page.addInitScript(() => {
      const w = window as unknown as { __cameraAsked?: MediaStreamConstraints };
      navigator.mediaDevices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
        w.__cameraAsked = constraints ?? {};
        const canvas = document.createElement('canvas');
        canvas.width = 640;
        canvas.height = 480;
        const ctx = canvas.getContext('2d')!;
        const paint = (): void => {
          ctx.fillStyle = '#2050c0';
          ctx.fillRect(0, 0, 640, 480);
          ctx.fillStyle = '#f0d020';
          ctx.fillRect(200, 120, 240, 240);
          requestAnimationFrame(paint);
        };
        paint();
        return canvas.captureStream(30);
      };
    });
    await gotoApp(page, inject('baseUrl'));
    await page.locator('drishti-photo-intake #take').click();
    const dialog = page.locator('drishti-camera-capture dialog[open]');
    await dialog.waitFor();
    await page.waitForFunction(() => {
      const v = document.querySelector('drishti-app')?.shadowRoot?.querySelector('drishti-home-page')?.shadowRoot
        ?.querySelector('drishti-photo-intake')?.shadowRoot?.querySelector('drishti-camera-capture')?.shadowRoot?.querySelector('video');
      return !!v && v.videoWidth > 0;
    });
    expect(await page.locator('drishti-camera-capture .privacy').textContent()).toBe(en['snap.privacy']);
    await screenshot(page, 'camera-en');
    const asked = await page.evaluate(() => (window as unknown as { __cameraAsked?: { video?: { facingMode?: unknown } } }).__cameraAsked);
    expect(asked?.video?.facingMode).toEqual({ ideal: 'environment' });
    await page.getByRole('button', { name: en['camera.capture'] }).click();
    const canvas = page.locator('drishti-home-page figure canvas');
    await canvas.waitFor();
    expect(await dialog.count()).toBe(0);
    expect(await canvas.evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([448, 336]);
  });

  it('explains a refused camera and leaves upload available', async () => {
    const { page } = b;
    await page.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = async () => {
        throw new DOMException('Permission denied', 'NotAllowedError');
      };
    });
    await gotoApp(page, inject('baseUrl'));
    await page.locator('drishti-photo-intake #take').click();
    const alert = page.locator('drishti-photo-intake .error[role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain(en['camera.denied'].replace('{reason}', 'Permission denied'));
    expect(await page.locator('drishti-camera-capture dialog[open]').count()).toBe(0);
    expect(await page.locator('drishti-photo-intake #choose').isEnabled()).toBe(true);
  });
});
