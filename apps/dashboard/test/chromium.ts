import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium, installed by `tooling/setup`; `CHROMIUM_PATH` points elsewhere. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Launches headless Chromium. A missing browser is a failure with the fix in the message, never
 * a skip: a green run must mean the dashboard was rendered and driven in a real browser.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `dashboard e2e: Chromium not found at ${chromiumPath}; expected Debian's chromium package ` +
        '(run `pnpm setup`, or `apt-get install -y --no-install-recommends chromium`, or set CHROMIUM_PATH)',
    );
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      // WebGL2 on Mesa's llvmpipe through EGL: about 8× faster than the default SwiftShader.
      '--use-angle=gl-egl',
      '--ignore-gpu-blocklist',
      // WebGPU on a machine without a GPU runs on a software adapter, which Chromium hides by default.
      '--enable-unsafe-webgpu',
    ],
  });
}
