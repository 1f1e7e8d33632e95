import type { BenchmarkResult } from '@recurrent/conformance';
import { element } from './dom.js';
import { parseExperimentsReport } from './experiments-validation.js';
import { type LoadedReport, orderByTime } from './history-series.js';
import { LiveRunClient } from './live/live-run-client.js';
import { type LoadedExperiments, loadReports, type ReportProblem } from './report-loading.js';
import { parseReport } from './report-validation.js';
import './styles.css';
import { renderEnvironmentView } from './views/environment-view.js';
import { renderExperimentsView } from './views/experiments-view.js';
import { renderHistoryView } from './views/history-view.js';
import { renderLiveRunView } from './views/live-run-view.js';
import { renderMatrixView } from './views/matrix-view.js';
import { renderThroughputView } from './views/throughput-view.js';

const views = {
  matrix: 'Conformance',
  throughput: 'Throughput',
  history: 'History',
  environment: 'Environment',
  live: 'Live run',
  experiments: 'Experiments',
} as const;
type ViewName = keyof typeof views;

interface State {
  reports: LoadedReport[];
  problems: ReportProblem[];
  /** True when the folder had no usable report and the bundled sample is shown. */
  showingSample: boolean;
  selectedFile: string;
  liveResults: BenchmarkResult[];
  /** Experiments reports, oldest first. */
  experiments: LoadedExperiments[];
  /** True when the folder had no usable experiments report and the bundled one is shown. */
  showingExperimentsSample: boolean;
  selectedExperiments: string;
}

const sampleFile = 'sample-report.json (bundled sample)';
const experimentsSampleFile = 'sample-experiments.json (bundled sample, --quick run)';

function byCreatedAt<T extends { file: string; report: { createdAt: string } }>(entries: readonly T[]): T[] {
  return [...entries].sort(
    (a, b) => Date.parse(a.report.createdAt) - Date.parse(b.report.createdAt) || a.file.localeCompare(b.file),
  );
}

function currentView(): ViewName {
  const name = location.hash.slice(1);
  return name in views ? (name as ViewName) : 'matrix';
}

function problemBanner(problems: readonly ReportProblem[]) {
  if (problems.length === 0) return null;
  return element(
    'section',
    { class: 'banner problems', role: 'alert', 'data-testid': 'report-problems' },
    element(
      'strong',
      {},
      `${problems.length} report file${problems.length === 1 ? '' : 's'} could not be used:`,
    ),
    element(
      'ul',
      {},
      problems.map((entry) =>
        element('li', { 'data-file': entry.file }, element('code', {}, entry.file), `: ${entry.problem}`),
      ),
    ),
  );
}

async function start(root: HTMLElement) {
  const loaded = await loadReports((url) => fetch(url));
  const state: State = {
    reports: orderByTime(loaded.reports),
    problems: loaded.problems,
    showingSample: false,
    selectedFile: '',
    liveResults: [],
    experiments: byCreatedAt(loaded.experiments),
    showingExperimentsSample: false,
    selectedExperiments: '',
  };
  if (state.reports.length === 0) {
    // Loaded only when needed: with reports of its own, the sample is dead weight.
    const { default: sampleReport } = await import('./sample/sample-report.json');
    const sample = parseReport(sampleFile, JSON.stringify(sampleReport));
    if (sample.ok) state.reports = [{ file: sample.file, report: sample.report }];
    else state.problems.push({ file: sampleFile, problem: sample.problem });
    state.showingSample = true;
  }
  state.selectedFile = state.reports.at(-1)?.file ?? '';
  if (state.experiments.length === 0) {
    const { default: sampleExperiments } = await import('./sample/sample-experiments.json');
    const sample = parseExperimentsReport(experimentsSampleFile, JSON.stringify(sampleExperiments));
    if (sample.ok) state.experiments = [{ file: sample.file, report: sample.report }];
    else state.problems.push({ file: experimentsSampleFile, problem: sample.problem });
    state.showingExperimentsSample = true;
  }
  state.selectedExperiments = state.experiments.at(-1)?.file ?? '';
  const client = new LiveRunClient();

  const reportSelect = element(
    'select',
    { 'aria-label': 'report', 'data-testid': 'report-select' },
    [...state.reports].reverse().map((entry) => element('option', { value: entry.file }, entry.file)),
  );
  const nav = element(
    'nav',
    { class: 'tabs', 'aria-label': 'views' },
    (Object.keys(views) as ViewName[]).map((name) =>
      element('a', { href: `#${name}`, 'data-view': name }, views[name]),
    ),
  );
  const main = element('main', { id: 'view' });
  const reportPicker = element('label', { class: 'report-picker' }, 'Report ', reportSelect);
  root.replaceChildren(
    ...[
      element(
        'header',
        { class: 'top' },
        element(
          'h1',
          {},
          'Recurrent ',
          element('span', { class: 'subtitle' }, 'conformance, benchmarks & experiments'),
        ),
        reportPicker,
      ),
      nav,
      state.showingSample
        ? element(
            'section',
            { class: 'banner sample', 'data-testid': 'sample-banner' },
            element('strong', {}, 'Bundled sample. '),
            'No reports were found in the reports folder, so the sample bundled with the dashboard is shown: a real ' +
              'quick run of the conformance CLI on the machine listed under Environment, not on this one. Run ',
            element('code', {}, 'pnpm conformance'),
            ' and reload to see your own results.',
          )
        : null,
      problemBanner(state.problems),
      main,
    ].filter((node) => node !== null),
  );

  let liveView: HTMLElement | undefined;
  const selected = () => state.reports.find((entry) => entry.file === state.selectedFile)?.report;
  const render = () => {
    const view = currentView();
    for (const link of nav.querySelectorAll('a')) link.classList.toggle('active', link.dataset.view === view);
    main.dataset.view = view;
    // The conformance report picker means nothing to the experiments, which have their own.
    reportPicker.hidden = view === 'experiments';
    // The experiments have their own reports and picker; they do not need a conformance report.
    if (view === 'experiments') {
      renderExperimentsView(main, {
        reports: state.experiments,
        selected: state.selectedExperiments,
        showingSample: state.showingExperimentsSample,
        onSelect: (file) => {
          state.selectedExperiments = file;
          render();
        },
      });
      return;
    }
    const report = selected();
    if (!report) {
      main.replaceChildren(element('p', { class: 'empty' }, 'No report could be loaded.'));
      return;
    }
    const results = [...report.benchmarks, ...state.liveResults];
    switch (view) {
      case 'matrix':
        return renderMatrixView(main, report);
      case 'throughput':
        return renderThroughputView(main, results);
      case 'history':
        return renderHistoryView(main, state.reports);
      case 'environment':
        return renderEnvironmentView(main, state.reports);
      case 'live':
        // Kept across view switches so a run in progress keeps its progress bar and rows.
        if (liveView?.dataset.report !== state.selectedFile) {
          liveView = element('div', { 'data-report': state.selectedFile });
          renderLiveRunView(liveView, {
            client,
            results,
            onResult: (result) => state.liveResults.push(result),
          });
        }
        main.replaceChildren(liveView);
        return;
    }
  };
  reportSelect.addEventListener('change', () => {
    state.selectedFile = reportSelect.value;
    render();
  });
  window.addEventListener('hashchange', render);
  render();
  root.dataset.ready = 'true';
}

const root = document.getElementById('app');
if (root) {
  start(root).catch((cause: unknown) => {
    root.replaceChildren(
      element('p', { class: 'banner problems' }, `The dashboard failed to start: ${String(cause)}`),
    );
  });
}
