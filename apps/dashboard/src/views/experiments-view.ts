import type { ExperimentsReport } from '@recurrent/experiments';
import { columnHeading, element } from '../dom.js';
import { type ParameterCountGroup, parameterCountGroups, trainingCharts } from '../experiments-series.js';
import type { LoadedExperiments } from '../report-loading.js';
import { flowCard } from './experiments-flow.js';
import { trainingCard } from './experiments-training.js';
import { gatesExplanation } from './gates-explanation.js';

export interface ExperimentsViewOptions {
  /** Oldest first; the view shows `selected`. */
  readonly reports: readonly LoadedExperiments[];
  readonly selected: string;
  /** True when the folder had no experiments report and the bundled sample is shown. */
  readonly showingSample: boolean;
  readonly onSelect: (file: string) => void;
}

function summary(report: ExperimentsReport): string {
  const { config, environment } = report;
  return [
    report.quick ? 'quick run' : 'full run',
    `${environment.backend.name}/${environment.backend.dtype} on ${environment.cpu}`,
    `${config.seeds} seed${config.seeds === 1 ? '' : 's'}`,
    `hidden size ${config.hiddenSize}`,
    `${config.trainingSteps} updates per training run`,
    `made ${report.createdAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`,
  ].join(' · ');
}

function parameterTable(groups: readonly ParameterCountGroup[]) {
  return element(
    'table',
    { class: 'data-table compact parameter-table', 'data-testid': 'parameter-counts' },
    element(
      'thead',
      {},
      element(
        'tr',
        {},
        ['cell', 'hidden', 'recurrent parameters', 'model parameters', 'relative'].map(columnHeading),
      ),
    ),
    groups.map((group) =>
      element(
        'tbody',
        { 'data-group': `${group.task} · ${group.sizing}` },
        element(
          'tr',
          { class: 'group-row' },
          element('th', { colspan: 5, scope: 'rowgroup' }, `${group.task} · ${group.sizing}`),
        ),
        group.rows.map((row) =>
          element(
            'tr',
            { 'data-cell': row.cell },
            element('th', { scope: 'row' }, row.cell),
            element('td', { class: 'number' }, String(row.hiddenSize)),
            element('td', { class: 'number' }, row.recurrentParameters.toLocaleString('en-US')),
            element('td', { class: 'number' }, row.modelParameters.toLocaleString('en-US')),
            element(
              'td',
              { class: 'number', title: `recurrent parameters relative to ${group.relativeTo}` },
              `${row.relative.toFixed(2)}×`,
            ),
          ),
        ),
      ),
    ),
  );
}

/** The gate-ablation experiments: what the gates do, gradient flow, training curves, parameter counts. */
export function renderExperimentsView(container: HTMLElement, options: ExperimentsViewOptions) {
  const loaded = options.reports.find((entry) => entry.file === options.selected) ?? options.reports.at(-1);
  if (!loaded) {
    container.replaceChildren(
      element(
        'p',
        { class: 'empty' },
        'No experiments report could be loaded. Run `pnpm experiments` and reload.',
      ),
    );
    return;
  }
  const report = loaded.report;
  const picker =
    options.reports.length > 1
      ? element(
          'label',
          {},
          'Experiments report ',
          element(
            'select',
            {
              'aria-label': 'experiments report',
              'data-testid': 'experiments-select',
              onchange: (event: Event) => options.onSelect((event.target as HTMLSelectElement).value),
            },
            [...options.reports]
              .reverse()
              .map((entry) =>
                element('option', { value: entry.file, selected: entry.file === loaded.file }, entry.file),
              ),
          ),
        )
      : element('code', { 'data-testid': 'experiments-file' }, loaded.file);
  const sections = [
    options.showingSample
      ? element(
          'section',
          { class: 'banner sample', 'data-testid': 'experiments-sample-banner' },
          element('strong', {}, 'Bundled sample from a --quick run. '),
          'No experiments report was found in the reports folder, so the one bundled with the dashboard is shown: ' +
            'a real run of ',
          element('code', {}, 'pnpm experiments --quick'),
          ' (small models, few seeds and updates), on the machine named below. Run ',
          element('code', {}, 'pnpm experiments'),
          ' and reload to see a full run.',
        )
      : null,
    element(
      'div',
      { class: 'controls' },
      picker,
      element('span', { class: 'hint', 'data-testid': 'experiments-summary' }, summary(report)),
    ),
    element(
      'article',
      { class: 'card prose' },
      element('h3', {}, 'Why does a GRU need the reset gate?'),
      gatesExplanation(),
      element('h4', {}, 'What this run measured'),
      element(
        'ul',
        { class: 'findings', 'data-testid': 'findings' },
        report.findings.map((finding) => element('li', {}, finding)),
      ),
      element(
        'p',
        { class: 'hint' },
        'Generated from the numbers by the experiments run, not written by hand.',
      ),
    ),
    element('section', { class: 'chart-grid wide' }, flowCard(report)),
    element(
      'section',
      { class: 'chart-grid', 'data-testid': 'training-charts' },
      trainingCharts(report).map(trainingCard),
    ),
    element(
      'article',
      { class: 'card' },
      element('h3', {}, 'Parameter counts'),
      element(
        'p',
        { class: 'hint' },
        'Model = recurrent cell + linear read-out. “relative” compares recurrent parameters with the first cell of each group.',
      ),
      parameterTable(parameterCountGroups(report)),
    ),
  ];
  container.replaceChildren(...sections.filter((section) => section !== null));
}
