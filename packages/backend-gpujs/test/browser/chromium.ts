import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium, installed by the repository's set-up; `CHROMIUM_PATH` points elsewhere. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags for headless Chromium on a machine without a GPU, checked with Chromium 156:
 * - `--enable-unsafe-webgpu`: exposes WebGPU on an adapter Chromium does not trust by default,
 *   here Dawn on SwiftShader's Vulkan (the adapter reports vendor `google`, architecture
 *   `swiftshader`); without it `navigator.gpu.requestAdapter()` returns null.
 * - `--use-angle=gl-egl --ignore-gpu-blocklist`: WebGL2 on Mesa's llvmpipe through EGL instead of
 *   SwiftShader (faster; WebGPU stays on SwiftShader either way).
 */
export const chromiumArgs = [
  '--headless=new',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--enable-unsafe-webgpu',
  '--use-angle=gl-egl',
  '--ignore-gpu-blocklist',
] as const;

/**
 * Launches headless Chromium. A missing browser is a failure with the fix in the message, never
 * a skip: a green run must mean the backend ran in a real browser.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `backend-gpujs browser test: Chromium not found at ${chromiumPath}; expected Debian's chromium ` +
        'package (run `pnpm setup`, or `apt-get install -y --no-install-recommends chromium`, or set CHROMIUM_PATH)',
    );
  }
  return chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs] });
}
