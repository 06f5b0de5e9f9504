/**
 * Launches Debian's Chromium (never a downloaded browser) through playwright-core with a fresh
 * profile. WebGPU is available headless through SwiftShader when `webgpu` is set. Shared by the
 * browser tests (re-exported from test/browser/chromium.ts) and `npm run bench`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface LaunchOptions {
  webgpu?: boolean;
  viewport?: { width: number; height: number };
  offline?: boolean;
}

export interface LaunchedBrowser {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far, for tests that assert a clean console. */
  errors: string[];
  close(): Promise<void>;
}

export async function launchChromium(options: LaunchOptions = {}): Promise<LaunchedBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'drishti-chromium-'));
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ];
  if (options.webgpu) args.push('--enable-unsafe-webgpu', '--enable-unsafe-swiftshader', '--enable-features=Vulkan');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args,
    headless: true,
    viewport: options.viewport ?? { width: 1280, height: 800 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
