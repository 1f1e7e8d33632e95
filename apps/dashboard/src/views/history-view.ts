import { renderLineChart } from '../charts/line-chart.js';
import { columnHeading, element } from '../dom.js';
import { formatChange, formatRate } from '../format-number.js';
import { buildHistory, findRegressions, type LoadedReport, type Regression } from '../history-series.js';

/** Slowdowns beyond this fraction are flagged unless the visitor picks another threshold. */
export const defaultRegressionThreshold = 0.1;

function regressionTable(regressions: readonly Regression[]) {
  if (regressions.length === 0) {
    return element(
      'p',
      { class: 'ok-note', 'data-testid': 'regressions' },
      'No regressions beyond the threshold.',
    );
  }
  return element(
    'table',
    { class: 'data-table regressions', 'data-testid': 'regressions' },
    element(
      'thead',
      {},
      element('tr', {}, ['workload', 'runner', 'report', 'before', 'after', 'change'].map(columnHeading)),
    ),
    element(
      'tbody',
      {},
      regressions.map((regression) =>
        element(
          'tr',
          { class: 'regression' },
          element('td', {}, regression.workload),
          element('td', {}, regression.runner),
          element('td', { title: `compared with ${regression.previousFile}` }, regression.file),
          element('td', { class: 'number' }, formatRate(regression.previous)),
          element('td', { class: 'number' }, formatRate(regression.current)),
          element('td', { class: 'number change' }, formatChange(regression.change)),
        ),
      ),
    ),
  );
}

/** Throughput of each workload across all reports, in time order, with regressions highlighted. */
export function renderHistoryView(container: HTMLElement, reports: readonly LoadedReport[]) {
  const history = buildHistory(reports);
  if (history.files.length < 2) {
    container.replaceChildren(
      element(
        'p',
        { class: 'empty' },
        `History needs two or more reports; the reports folder has ${history.files.length}.`,
      ),
    );
    return;
  }
  let threshold = defaultRegressionThreshold;
  // Open on a workload that regressed, if any: that is what a reader comes to the history for.
  let workload = findRegressions(history, threshold)[0]?.workload ?? history.workloads[0] ?? '';
  const chartHolder = element('div', { class: 'chart', 'data-chart': 'history' });
  const checksHolder = element('div', { class: 'chart', 'data-chart': 'history-checks' });
  const regressionsHolder = element('section', {});

  const draw = () => {
    chartHolder.replaceChildren();
    renderLineChart(chartHolder, {
      title: `${workload}: sequences/s per report`,
      xLabel: 'report time',
      yLabel: 'sequences/s',
      xs: history.times,
      time: true,
      logY: true,
      series: history.series
        .filter((entry) => entry.workload === workload)
        .map((entry) => ({ label: entry.runner, values: entry.sequencesPerSecond, peer: entry.peer })),
    });
    regressionsHolder.replaceChildren(
      element('h3', {}, `Regressions beyond ${Math.round(threshold * 100)}% (all workloads)`),
      regressionTable(findRegressions(history, threshold)),
    );
  };

  const workloadSelect = element(
    'select',
    {
      'aria-label': 'workload',
      onchange: (event: Event) => {
        workload = (event.target as HTMLSelectElement).value;
        draw();
      },
    },
    history.workloads.map((name) => element('option', { value: name, selected: name === workload }, name)),
  );
  const thresholdInput = element('input', {
    type: 'number',
    min: 1,
    max: 90,
    step: 1,
    value: Math.round(threshold * 100),
    'aria-label': 'regression threshold in percent',
    onchange: (event: Event) => {
      const percent = Number((event.target as HTMLInputElement).value);
      if (Number.isFinite(percent) && percent > 0) {
        threshold = percent / 100;
        draw();
      }
    },
  });
  container.replaceChildren(
    element(
      'div',
      { class: 'controls' },
      element('label', {}, 'Workload ', workloadSelect),
      element('label', {}, 'Regression threshold ', thresholdInput, ' %'),
      element('span', { class: 'hint' }, `${history.files.length} reports, oldest first`),
    ),
    element(
      'div',
      { class: 'chart-grid' },
      element('article', { class: 'card chart-card' }, chartHolder),
      element('article', { class: 'card chart-card' }, checksHolder),
    ),
    regressionsHolder,
  );
  queueMicrotask(() => {
    draw();
    renderLineChart(checksHolder, {
      title: 'Conformance checks per report',
      xLabel: 'report time',
      yLabel: 'checks',
      xs: history.times,
      time: true,
      series: [
        { label: 'passed', values: history.passed },
        { label: 'failed', values: history.failed },
      ],
    });
  });
}
