import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.js';
import { buildDashboard, type DashboardBuild, type DashboardServer } from './dashboard-server.js';

// One browser, one page, driven through the views in order: each step builds on the last
// (the live run's rows must show up in the Throughput view afterwards).

const fixtures = new URL('./fixtures/reports/', import.meta.url);
const artefacts = fileURLToPath(new URL('../test-results/', import.meta.url));

let dashboard: DashboardBuild | undefined;
let server: DashboardServer | undefined;
let browser: Browser | undefined;
let page: Page;
const pageErrors: string[] = [];

async function screenshot(name: string) {
  await page.screenshot({ path: `${artefacts}${name}.png`, fullPage: true });
}

async function openView(view: string) {
  await page.click(`nav a[data-view="${view}"]`);
  await page.waitForSelector(`main[data-view="${view}"]`);
}

beforeAll(async () => {
  await mkdir(artefacts, { recursive: true });
  browser = await launchChromium();
  dashboard = await buildDashboard(fixtures);
  server = await dashboard.serve(fixtures);
  page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(server.url);
  await page.waitForSelector('#app[data-ready="true"]', { timeout: 30_000 });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await dashboard?.remove();
});

describe('dashboard in headless Chromium', () => {
  it('names each unusable report file and its problem, and loads the rest', async () => {
    const problems = await page.$$eval('[data-testid="report-problems"] li', (items) =>
      items.map((item) => item.textContent ?? ''),
    );
    expect(problems).toHaveLength(3);
    expect(problems.find((text) => text.includes('old-schema.json'))).toMatch(
      /report version 0 is not supported; expected version 1/,
    );
    expect(problems.find((text) => text.includes('truncated.json'))).toMatch(/not valid JSON/);
    // Experiments reports are validated against their own schema.
    expect(
      problems.find((text) => text.includes('experiments-2025-12-03T00-00-00.000Z-unknown-version.json')),
    ).toMatch(/experiments report version 2 is not supported; expected version 1/);
    // latest.json duplicates the newest report and is left out; the two good reports load.
    const options = await page.$$eval('[data-testid="report-select"] option', (items) =>
      items.map((item) => item.textContent),
    );
    expect(options).toEqual(['2026-02-10T09-00-00.000Z.json', '2026-01-10T09-00-00.000Z.json']);
    expect(await page.$('[data-testid="sample-banner"]')).toBeNull();
  });

  it('draws the conformance matrix with pass, fail, error and not-applicable cells', async () => {
    const matrix = page.locator('[data-testid="conformance-matrix"]');
    const backends = await matrix.locator('th.backend-heading').allTextContents();
    expect(backends).toEqual(['cpu', 'gpujs']);
    // 7 cell variants plus backend.info, 6 check groups per backend.
    expect(await matrix.locator('tbody tr').count()).toBe(8);
    expect(await matrix.locator('th.group-heading').count()).toBe(12);
    const statuses = await matrix
      .locator('td.matrix-cell')
      .evaluateAll((cells) => cells.map((cell) => (cell as HTMLElement).dataset.status ?? 'empty'));
    const count = (status: string) => statuses.filter((value) => value === status).length;
    expect(count('fail')).toBe(1);
    expect(count('error')).toBe(1);
    expect(count('not-applicable')).toBe(2 * 7 + 2 * 2); // float64 gradient ×7, ONNX vectors ×2, per backend
    const failing = matrix.locator('td[data-status="fail"]');
    expect(await failing.getAttribute('title')).toContain('worst error 7.30e-5 (tolerance 2.40e-5)');
    const notApplicable = matrix.locator('td[data-status="not-applicable"]').first();
    expect(await notApplicable.getAttribute('title')).toMatch(/not applicable: .+/);
    expect(await page.locator('[data-testid="unavailable-backends"]').textContent()).toBe(
      'gpujs-webgl2 not run — unavailable: mode "webgl2" is not implemented by this version',
    );
    await failing.click();
    await expect.poll(() => page.locator('.matrix-details tbody tr').count()).toBe(2);
    expect(await page.locator('.matrix-details').textContent()).toContain('beyond the float32 bound');
    await screenshot('conformance');
  });

  it('shows every runner per workload and a scaling chart with peers side by side', async () => {
    await openView('throughput');
    const cards = page.locator('[data-testid="workloads"] article');
    expect(await cards.count()).toBe(5);
    const standardRunners = await page
      .locator('article[data-workload="standard · gru · forward"] tbody tr')
      .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.runner));
    expect(standardRunners).toEqual(['cpu', 'gpujs', 'tfjs-wasm', 'onnxruntime-node']);
    const chart = page.locator('[data-chart="scaling-hiddenSize"]');
    await chart.locator('canvas').waitFor();
    expect(await chart.getAttribute('data-series')).toBe('cpu|gpujs|tfjs-wasm|onnxruntime-node');
    expect(await chart.getAttribute('data-points')).toBe('16');
    const legend = await chart.locator('.u-legend .u-series th').allTextContents();
    expect(legend.map((label) => label.trim())).toEqual([
      'hidden size',
      'cpu',
      'gpujs',
      'tfjs-wasm',
      'onnxruntime-node',
    ]);
    await screenshot('throughput');
  });

  it('plots history across reports and highlights the regression', async () => {
    await openView('history');
    const chart = page.locator('[data-chart="history"]');
    await chart.locator('canvas').waitFor();
    expect(await chart.getAttribute('data-series')).toBe('cpu|gpujs|tfjs-wasm|onnxruntime-node');
    expect(await chart.getAttribute('data-points')).toBe('8');
    const regressions = await page.locator('[data-testid="regressions"] tr.regression').allTextContents();
    expect(regressions).toHaveLength(1);
    expect(regressions[0]).toContain('standard · gru · forward');
    expect(regressions[0]).toContain('-33.3%');
    await screenshot('history');
  });

  it('lists each report environment and this browser', async () => {
    await openView('environment');
    expect(await page.locator('[data-testid="environment-table"] tbody tr').count()).toBe(2);
    expect(await page.locator('[data-testid="environment-table"]').textContent()).toContain(
      'gpujs: webgpu, float32',
    );
    expect(await page.locator('[data-testid="browser-environment"]').textContent()).toContain('Chrome/');
    await screenshot('environment');
  });

  it('shows the experiments: gradient flow on a log axis, training bands, findings and parameter counts', async () => {
    // The real `--quick` run (newest) and a small constructed report that has a trained phase.
    const quickFile = 'experiments-2026-11-25T07-31-06-951Z.json';
    const quick = JSON.parse(await readFile(new URL(quickFile, fixtures), 'utf8')) as {
      config: { cells: string[] };
      findings: string[];
    };
    const cells = quick.config.cells;
    await openView('experiments');
    expect(await page.locator('[data-testid="experiments-select"] option').allTextContents()).toEqual([
      quickFile,
      'experiments-2026-01-05T09-00-00.000Z-constructed.json',
    ]);
    expect(await page.locator('[data-testid="experiments-sample-banner"]').count()).toBe(0);

    const flow = page.locator('[data-chart="gradient-flow"]');
    await flow.locator('canvas').waitFor();
    expect(await flow.getAttribute('data-phase')).toBe('initialisation');
    expect(await flow.getAttribute('data-series')).toBe(cells.join('|'));
    expect(await flow.getAttribute('data-series-points')).toBe(cells.map(() => '60').join('|'));
    expect(await flow.getAttribute('data-y-scale')).toBe('log');
    expect(await page.locator('input[name="flow-phase"][value="trained"]').isDisabled()).toBe(true);

    const training = page.locator('[data-testid="training-charts"] article');
    expect(
      await training.evaluateAll((cards) => cards.map((card) => (card as HTMLElement).dataset.training)),
    ).toEqual(['adding-20 · same-hidden', 'recall-10 · same-hidden']);
    const adding = page.locator('[data-chart="training-adding-20 · same-hidden"]');
    await adding.locator('canvas').waitFor();
    expect(await adding.getAttribute('data-series')).toBe([...cells, 'predict the mean'].join('|'));
    expect(await adding.getAttribute('data-series-points')).toBe(
      [...cells, 'mean'].map(() => '21').join('|'),
    );
    // The legend names the cells, not the invisible band edges.
    const legend = await adding.locator('.u-legend .u-series:visible th').allTextContents();
    expect(legend.map((label) => label.trim())).toEqual(['update step', ...cells, 'predict the mean']);
    const recall = page.locator('[data-chart="training-recall-10 · same-hidden"]');
    expect(await recall.getAttribute('data-series')).toBe(cells.join('|'));

    expect(await page.locator('[data-testid="findings"] li').allTextContents()).toEqual(quick.findings);
    expect(await page.locator('[data-testid="gates-explanation"]').textContent()).toContain(
      'The update gate z interpolates between keeping h and taking the candidate',
    );
    expect(await page.locator('[data-testid="parameter-counts"] tr[data-cell]').count()).toBe(
      2 * cells.length,
    );
    await screenshot('experiments');

    // An older report with a trained phase: the toggle switches the chart to it.
    await page.selectOption('[data-testid="experiments-select"]', { index: 1 });
    await page.setChecked('input[name="flow-phase"][value="trained"]', true);
    await expect.poll(() => flow.getAttribute('data-phase')).toBe('trained');
    expect(await page.locator('[data-chart="gradient-flow"]').getAttribute('data-series-points')).toBe('5|5');
  });

  it('runs a live benchmark on the CPU backend and on gpu.js (WebGL2, WebGPU) in a Web Worker', async () => {
    await openView('live');
    await page.selectOption('select[name="workload"]', { index: 0 });
    await page.fill('input[name="repetitions"]', '3');
    for (const backend of ['cpu', 'gpujs-webgl2', 'gpujs-webgpu']) {
      await page.setChecked(`input[name="backend"][value="${backend}"]`, true);
    }
    await page.click('button.primary');
    await expect.poll(() => page.locator('tr.live-result').count(), { timeout: 60_000 }).toBe(3);
    expect(await page.locator('[data-testid="live-status"]').textContent()).toBe('done');
    expect(
      await page
        .locator('[data-testid="live-progress"]')
        .evaluate((bar) => (bar as HTMLProgressElement).value),
    ).toBe(1);

    const cpu = page.locator('tr.live-result[data-backend="cpu"]');
    expect(await cpu.getAttribute('data-outcome')).toBe('done');
    expect(['cpu', 'wasm']).toContain(await cpu.locator('[data-field="mode"]').textContent());

    // The gpu.js WebGL2 row really ran on WebGL2 (never on gpu.js's CPU mode or anywhere else).
    const gpu = page.locator('tr.live-result[data-backend="gpujs-webgl2"]');
    expect(await gpu.getAttribute('data-outcome')).toBe('done');
    expect(await gpu.locator('[data-field="mode"]').textContent()).toBe('webgl2');
    // WebGPU, where the browser offers it (Chromium does with --enable-unsafe-webgpu), really runs.
    const webgpu = page.locator('tr.live-result[data-backend="gpujs-webgpu"]');
    expect(await webgpu.getAttribute('data-outcome')).toBe('done');
    expect(await webgpu.locator('[data-field="mode"]').textContent()).toBe('webgpu');
    await screenshot('live-run');

    await openView('throughput');
    const liveRunners = await page
      .locator('article[data-workload="live-tiny · gru · forward"] tbody tr')
      .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.runner));
    expect(liveRunners).toEqual(['browser cpu', 'browser gpujs-webgl2', 'browser gpujs-webgpu']);
    await screenshot('throughput-with-live-runs');
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('shows the bundled sample, labelled as such, when the reports folder is empty', async () => {
    const empty = await dashboard!.serve(new URL('./fixtures/no-reports/', import.meta.url));
    try {
      const fresh = await browser!.newPage({ viewport: { width: 1360, height: 900 } });
      await fresh.goto(empty.url);
      await fresh.waitForSelector('#app[data-ready="true"]');
      expect(await fresh.locator('[data-testid="sample-banner"]').textContent()).toMatch(
        /^Bundled sample\. .*a real quick run of the conformance CLI/,
      );
      expect(await fresh.locator('[data-testid="report-select"] option').allTextContents()).toEqual([
        'sample-report.json (bundled sample)',
      ]);
      expect(
        await fresh.locator('[data-testid="conformance-matrix"] td.matrix-cell').count(),
      ).toBeGreaterThan(0);
      expect(await fresh.$('[data-testid="report-problems"]')).toBeNull();
      await fresh.click('nav a[data-view="experiments"]');
      expect(await fresh.locator('[data-testid="experiments-sample-banner"]').textContent()).toMatch(
        /^Bundled sample from a --quick run\. /,
      );
      await fresh.locator('[data-chart="gradient-flow"] canvas').waitFor();
      await fresh.screenshot({ path: `${artefacts}sample-report.png`, fullPage: true });
      await fresh.close();
    } finally {
      await empty.close();
    }
  });
});
