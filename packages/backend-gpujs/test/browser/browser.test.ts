import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.js';
import type { Harness, HarnessError, HarnessResult, PrimitiveCheck } from './harness.js';
import { bundleHarness, type HarnessServer, serveHarness } from './harness-server.js';

/**
 * The backend in a real browser: headless Chromium loads this package's browser bundle and runs
 * a bidirectional GRU forward and backward on it and on core's float64 reference, in the page.
 * It fails, never skips, when Chromium or a WebGPU adapter is missing.
 *
 * Tolerance: the same float32 budget as `src/sequence.test.ts` (max |a − r| / max |r| < 1e-5 per
 * tensor, T = 10, H = 16); see the README's precision section for why.
 */
const tolerance = 1e-5;

let browser: Browser | undefined;
let server: HarnessServer | undefined;
const pageErrors: string[] = [];

async function openHarness(
  options: { readonly hideWebGpu?: boolean; readonly hideWebGl2?: boolean | 'offscreen-only' } = {},
): Promise<Page> {
  const page = await browser!.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  if (options.hideWebGpu) {
    // A browser without WebGPU: `navigator.gpu` is undefined, as in browsers that do not ship it.
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'gpu', { configurable: true, get: () => undefined });
    });
  }
  if (options.hideWebGl2) {
    // A browser or GPU without WebGL2: getContext('webgl2') returns null, as the spec says.
    await page.addInitScript((offscreenOnly) => {
      for (const canvas of offscreenOnly ? [OffscreenCanvas] : [HTMLCanvasElement, OffscreenCanvas]) {
        const original = canvas.prototype.getContext as (this: unknown, ...args: unknown[]) => unknown;
        Object.defineProperty(canvas.prototype, 'getContext', {
          configurable: true,
          value(this: unknown, kind: string, ...rest: unknown[]) {
            return kind === 'webgl2' ? null : original.call(this, kind, ...rest);
          },
        });
      }
    }, options.hideWebGl2 === 'offscreen-only');
  }
  await page.goto(server!.url);
  await page.waitForFunction(() => 'recurrentHarness' in globalThis, undefined, { timeout: 20_000 });
  return page;
}

function harness(page: Page) {
  type Global = { recurrentHarness: Harness };
  return {
    compareWithReference: (mode?: string) =>
      page.evaluate(
        (chosen) => (globalThis as unknown as Global).recurrentHarness.compareWithReference(chosen as never),
        mode,
      ) as Promise<HarnessResult>,
    compareInWorker: (mode?: string) =>
      page.evaluate(
        (chosen) => (globalThis as unknown as Global).recurrentHarness.compareInWorker(chosen as never),
        mode,
      ) as Promise<HarnessResult>,
    comparePrimitives: (mode: string) =>
      page.evaluate(
        (chosen) => (globalThis as unknown as Global).recurrentHarness.comparePrimitives(chosen as never),
        mode,
      ) as Promise<Record<string, PrimitiveCheck>>,
    compareCellKernels: (mode: string) =>
      page.evaluate(
        (chosen) => (globalThis as unknown as Global).recurrentHarness.compareCellKernels(chosen as never),
        mode,
      ) as Promise<Record<string, number>>,
    creationError: (mode?: string) =>
      page.evaluate(
        (chosen) => (globalThis as unknown as Global).recurrentHarness.creationError(chosen as never),
        mode,
      ) as Promise<HarnessError | null>,
  };
}

function expectAgreement(result: HarnessResult) {
  const names = Object.keys(result.errors);
  // output, hidden, dInput, dInitialHidden and 4 parameter gradients × 2 directions.
  expect(names).toHaveLength(12);
  for (const name of names) expect(result.errors[name], name).toBeLessThan(tolerance);
  expect(result.leakedBuffers).toBe(0);
  const worst = Math.max(...Object.values(result.errors));
  console.info(
    `browser ${result.info.device} (${result.info.adapter}): worst relative error ${worst.toExponential(2)}; ` +
      `create ${result.createMs.toFixed(0)} ms, first pass ${result.firstPassMs.toFixed(0)} ms, ` +
      `second pass ${result.secondPassMs.toFixed(0)} ms`,
  );
}

beforeAll(async () => {
  const code = await bundleHarness();
  server = await serveHarness(code);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('backend-gpujs in headless Chromium', () => {
  it('runs a GRU forward and backward on WebGPU and agrees with the float64 reference', async () => {
    const page = await openHarness();
    const result = await harness(page).compareWithReference('webgpu');
    expect(result.info).toMatchObject({ name: 'gpujs', dtype: 'float32', device: 'webgpu' });
    expect(result.info.adapter).toMatch(/\S/);
    expectAgreement(result);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('chooses WebGPU by default when navigator.gpu gives an adapter', async () => {
    const page = await openHarness();
    const result = await harness(page).compareWithReference();
    expect(result.info.device).toBe('webgpu');
    expectAgreement(result);
    await page.close();
  });

  it('runs a GRU forward and backward on WebGL2 and agrees with the float64 reference', async () => {
    const page = await openHarness();
    const result = await harness(page).compareWithReference('webgl2');
    expect(result.info).toMatchObject({ name: 'gpujs', dtype: 'float32', device: 'webgl2' });
    expect(result.info.adapter).toMatch(/\S/);
    expectAgreement(result);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('runs in a Web Worker on webgl2 and on webgpu, as the dashboard does', async () => {
    const page = await openHarness();
    for (const mode of ['webgl2', 'webgpu']) {
      const result = await harness(page).compareInWorker(mode);
      expect(result.info.device).toBe(mode);
      expectAgreement(result);
    }
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  for (const mode of ['webgpu', 'webgl2']) {
    it(`${mode}: GEMM, row sums, pointwise add and writes on strided views across texture rows match the reference`, async () => {
      const page = await openHarness();
      const checks = await harness(page).comparePrimitives(mode);
      expect(Object.keys(checks)).toEqual([
        'write',
        'gemm NN',
        'gemm TN',
        'gemm NT',
        'gemm TT',
        'sumRows',
        'pointwiseAdd',
      ]);
      for (const [name, check] of Object.entries(checks))
        expect(check.error, name).toBeLessThan(check.tolerance);
      console.info(
        `browser ${mode} primitives: ${Object.entries(checks)
          .map(
            ([name, check]) =>
              `${name} ${check.error.toExponential(1)} (< ${check.tolerance.toExponential(1)})`,
          )
          .join(', ')}`,
      );
      await page.close();
    });
  }

  for (const mode of ['webgpu', 'webgl2']) {
    it(`${mode}: every kernel of every core cell variant, plus extra activations, matches the reference`, async () => {
      const page = await openHarness();
      const errors = await harness(page).compareCellKernels(mode);
      // 7 variants and 4 extra cells, 2 to 4 kernels each, 2 input scales.
      expect(Object.keys(errors).length).toBeGreaterThanOrEqual(44);
      // A few float32 roundings per step through exp/tanh: well under 1e-5 relative.
      for (const [name, error] of Object.entries(errors)) expect(error, name).toBeLessThan(1e-5);
      console.info(
        `browser ${mode} cell kernels: ${Object.keys(errors).length} runs, worst ${Math.max(...Object.values(errors)).toExponential(1)}`,
      );
      await page.close();
    });
  }

  it('without WebGPU, refuses the webgpu mode with an error naming navigator.gpu, never running on the CPU', async () => {
    const page = await openHarness({ hideWebGpu: true });
    const error = await harness(page).creationError('webgpu');
    expect(error).toMatchObject({ name: 'GpuJsBackendError', mode: 'webgpu' });
    expect(error!.message).toMatch(/navigator\.gpu/);
    await page.close();
  });

  it('without WebGPU, chooses WebGL2 by default', async () => {
    const page = await openHarness({ hideWebGpu: true });
    const result = await harness(page).compareWithReference();
    expect(result.info.device).toBe('webgl2');
    expectAgreement(result);
    await page.close();
  });

  it('falls back to a document canvas where OffscreenCanvas has no WebGL2', async () => {
    const page = await openHarness({ hideWebGl2: 'offscreen-only' });
    const result = await harness(page).compareWithReference('webgl2');
    expect(result.info.device).toBe('webgl2');
    expectAgreement(result);
    await page.close();
  });

  it('without WebGPU and WebGL2, the default rejects naming both, and the cpu mode runs only by name', async () => {
    const page = await openHarness({ hideWebGpu: true, hideWebGl2: true });
    const error = await harness(page).creationError();
    expect(error).toMatchObject({ name: 'GpuJsBackendError', mode: 'auto' });
    expect(error!.message).toMatch(/webgpu: .*navigator\.gpu/);
    expect(error!.message).toMatch(/webgl2: .*getContext\("webgl2"\) returned null/);
    expect(await harness(page).creationError('webgl2')).toMatchObject({
      name: 'GpuJsBackendError',
      mode: 'webgl2',
    });
    expect(await harness(page).creationError('cpu')).toBeNull();
    await page.close();
  });
});
