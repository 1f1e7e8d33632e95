import type { BenchmarkResult } from '@recurrent/conformance';
import { renderLineChart } from '../charts/line-chart.js';
import { columnHeading, element } from '../dom.js';
import { formatRate } from '../format-number.js';
import { findScalingCharts, type ScalingChart, type SweepDimension } from '../scaling-series.js';
import { groupByWorkload, type WorkloadThroughput } from '../throughput-table.js';

const dimensionLabels: Record<SweepDimension, string> = {
  hiddenSize: 'hidden size',
  steps: 'sequence length',
  batch: 'batch',
};

/** What the runner states about itself; the browser's user agent is long, so it is left to the tooltip. */
function runnerDetail(result: BenchmarkResult): string {
  return Object.entries(result.runnerInfo)
    .filter(([name]) => name !== 'browser' && name !== 'deterministic')
    .map(([name, value]) => `${name} ${value}`)
    .join(' · ');
}

function throughputRow(result: BenchmarkResult, best: number) {
  const rate = result.sequencesPerSecond;
  const width = rate && best > 0 ? Math.max(1, (rate / best) * 100) : 0;
  const isLive = result.runner.startsWith('browser ');
  return element(
    'tr',
    { class: `${result.peer ? 'peer' : 'own'}${isLive ? ' live' : ''}`, 'data-runner': result.runner },
    element(
      'th',
      { scope: 'row', title: JSON.stringify(result.runnerInfo, null, 1) },
      result.runner,
      result.peer ? element('span', { class: 'tag' }, 'peer') : null,
      isLive ? element('span', { class: 'tag live-tag' }, 'this browser') : null,
      element('div', { class: 'runner-detail' }, runnerDetail(result)),
    ),
    result.status === 'ok'
      ? element(
          'td',
          { class: 'bar-cell' },
          element('div', { class: 'bar', style: `width: ${width.toFixed(1)}%` }),
          element('span', { class: 'bar-value' }, formatRate(rate)),
        )
      : element(
          'td',
          { class: `status-${result.status}`, title: result.message ?? '' },
          `${result.status}: ${result.message ?? ''}`,
        ),
    element('td', { class: 'number' }, formatRate(result.gflopsPerSecond)),
    element(
      'td',
      { class: 'number' },
      result.medianSeconds === null ? '—' : formatRate(result.medianSeconds * 1000),
    ),
  );
}

function workloadCard(group: WorkloadThroughput) {
  return element(
    'article',
    { class: 'card workload', 'data-workload': group.key },
    element('h3', {}, `${group.workload} · ${group.cell.toUpperCase()} · ${group.mode}`),
    element('p', { class: 'shape' }, group.shape),
    element(
      'table',
      { class: 'data-table throughput-table' },
      element(
        'thead',
        {},
        element(
          'tr',
          {},
          columnHeading('runner'),
          element('th', { scope: 'col' }, 'sequences/s'),
          columnHeading('GFLOP/s'),
          columnHeading('median ms'),
        ),
      ),
      element(
        'tbody',
        {},
        group.rows.map((row) => throughputRow(row, group.bestSequencesPerSecond)),
      ),
    ),
  );
}

function scalingCard(chart: ScalingChart) {
  const title = `${chart.cell.toUpperCase()} ${chart.mode}: throughput vs ${dimensionLabels[chart.dimension]} (${chart.fixed})`;
  const holder = element('div', { class: 'chart', 'data-chart': `scaling-${chart.dimension}` });
  const card = element('article', { class: 'card chart-card' }, holder);
  // uPlot measures its container, so the chart is drawn once the card is in the document.
  queueMicrotask(() =>
    renderLineChart(holder, {
      title,
      xLabel: dimensionLabels[chart.dimension],
      yLabel: 'sequences/s',
      xs: chart.xs,
      series: chart.series.map((line) => ({ label: line.runner, values: line.values, peer: line.peer })),
      logX: true,
      logY: true,
    }),
  );
  return card;
}

/** Every workload's runners side by side, then a chart per sweep found in the results. */
export function renderThroughputView(container: HTMLElement, results: readonly BenchmarkResult[]) {
  const groups = groupByWorkload(results);
  const charts = findScalingCharts(results);
  container.replaceChildren(
    element(
      'p',
      { class: 'hint' },
      'Median of the timed repetitions after warm-up. GFLOP/s counts the input and recurrent products ' +
        '(2·(I+H)·H·gates per step and sequence; training = 3× forward). Dashed lines and grey rows are peer baselines.',
    ),
    charts.length > 0
      ? element('section', { class: 'chart-grid', 'data-testid': 'scaling-charts' }, charts.map(scalingCard))
      : element(
          'p',
          { class: 'empty' },
          'No sweeps in this report: scaling charts need 3 or more sizes along one dimension.',
        ),
    groups.length > 0
      ? element('section', { class: 'workload-grid', 'data-testid': 'workloads' }, groups.map(workloadCard))
      : element('p', { class: 'empty' }, 'This report has no benchmark results.'),
  );
}
