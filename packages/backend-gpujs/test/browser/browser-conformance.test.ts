import { bundledOnnxVectors } from '@recurrent/conformance/node';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.js';
import type { Harness, SuiteCheck } from './harness.js';
import { bundleHarness, type HarnessServer, serveHarness } from './harness-server.js';

/**
 * The shared conformance suite in headless Chromium, on each mode a browser runs: every check
 * must pass or be declared not applicable by the suite itself (the float64 finite-difference
 * checks, for a float32 backend). Fails, never skips, when Chromium or a mode is missing.
 */
let browser: Browser | undefined;
let server: HarnessServer | undefined;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  server = await serveHarness(await bundleHarness());
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(server.url);
  await page.waitForFunction(() => 'recurrentHarness' in globalThis, undefined, { timeout: 20_000 });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe.each(['webgpu', 'webgl2'] as const)('conformance suite in headless Chromium on %s', (mode) => {
  it('passes every check that applies to a float32 backend', { timeout: 600_000 }, async () => {
    const vectors = bundledOnnxVectors();
    expect(vectors.length).toBeGreaterThan(0);
    const started = Date.now();
    const checks = (await page.evaluate(
      ({ chosen, onnxVectors }) =>
        (globalThis as unknown as { recurrentHarness: Harness }).recurrentHarness.runSuite(
          chosen,
          onnxVectors,
        ),
      { chosen: mode, onnxVectors: vectors },
    )) as SuiteCheck[];
    const count = (status: string) => checks.filter((check) => check.status === status).length;
    console.info(
      `browser conformance on ${mode}: ${checks.length} checks, ${count('pass')} pass, ` +
        `${count('not-applicable')} not applicable, ${checks.length - count('pass') - count('not-applicable')} ` +
        `other, ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    const failures = checks.filter((check) => check.status !== 'pass' && check.status !== 'not-applicable');
    expect(failures.map((check) => `${check.id} [${check.status}]: ${check.message}`)).toEqual([]);
    const notApplicable = checks.filter((check) => check.status === 'not-applicable');
    // Only the float64 finite-difference group may be declared not applicable on float32.
    expect([...new Set(notApplicable.map((check) => check.group))]).toEqual(['gradient']);
    expect(pageErrors).toEqual([]);
  });
});
