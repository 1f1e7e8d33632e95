import { renderBandChart } from '../charts/band-chart.js';
import { cellColor, translucent } from '../charts/cell-colors.js';
import { columnHeading, element } from '../dom.js';
import type { TrainingBand, TrainingChart } from '../experiments-series.js';
import { formatTick } from '../format-number.js';

const taskNames = { adding: 'Adding problem', recall: 'Delayed recall' } as const;
const lossNames = { adding: 'held-out MSE', recall: 'held-out cross-entropy' } as const;
const sizingNames = {
  'same-hidden': 'same hidden size',
  'same-parameters': 'same parameter budget',
} as const;

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** `0.160 (0.155–0.165)`: the mean over seeds, then the range. */
function meanAndRange(values: readonly number[], format: (value: number) => string): string {
  if (values.length === 0) return '—';
  const text = format(mean(values));
  return values.length > 1 ? `${text} (${format(Math.min(...values))}–${format(Math.max(...values))})` : text;
}

const percent = (value: number) => `${(value * 100).toFixed(0)}%`;

function finalTable(chart: TrainingChart) {
  const recall = chart.task === 'recall';
  const row = (band: TrainingBand, index: number) =>
    element(
      'tr',
      { 'data-cell': band.cell },
      element(
        'th',
        { scope: 'row' },
        element('span', { class: 'swatch', style: `background: ${cellColor(band.cell, index)}` }),
        band.cell,
      ),
      element('td', { class: 'number' }, String(band.hiddenSize)),
      element('td', { class: 'number' }, band.modelParameters.toLocaleString('en-US')),
      element('td', { class: 'number' }, meanAndRange(band.finalLoss, formatTick)),
      recall ? element('td', { class: 'number' }, meanAndRange(band.finalAccuracy ?? [], percent)) : null,
    );
  return element(
    'table',
    { class: 'data-table compact final-table' },
    element(
      'thead',
      {},
      element(
        'tr',
        {},
        columnHeading('cell'),
        columnHeading('hidden'),
        columnHeading('parameters'),
        columnHeading('final loss'),
        recall ? columnHeading('final accuracy') : null,
      ),
    ),
    element('tbody', {}, chart.bands.map(row)),
  );
}

/** One task's training curves (mean line, min–max band over seeds) and the final results. */
export function trainingCard(chart: TrainingChart) {
  const holder = element('div', { class: 'chart', 'data-chart': `training-${chart.key}` });
  const seeds = Math.max(0, ...chart.bands.map((band) => band.seeds));
  const card = element(
    'article',
    { class: 'card chart-card', 'data-training': chart.key },
    element('h3', {}, `${taskNames[chart.task]}, T = ${chart.steps}, ${sizingNames[chart.sizing]}`),
    element(
      'p',
      { class: 'hint' },
      `Line: mean of ${seeds} seed${seeds === 1 ? '' : 's'}; band: min–max across seeds; log axis. ` +
        (chart.task === 'adding'
          ? 'Dashed: the MSE of always predicting the mean.'
          : `Chance accuracy is ${percent(chart.baseline)}.`),
    ),
    holder,
    finalTable(chart),
  );
  queueMicrotask(() =>
    renderBandChart(holder, {
      title: `${chart.task}-${chart.steps} · ${chart.sizing}: ${lossNames[chart.task]}`,
      xLabel: 'update step',
      yLabel: lossNames[chart.task],
      xs: chart.updates,
      formatY: formatTick,
      series: chart.bands.map((band, index) => ({
        label: band.cell,
        color: cellColor(band.cell, index),
        fill: translucent(cellColor(band.cell, index), 0.14),
        mean: band.mean,
        min: band.min,
        max: band.max,
      })),
      // The adding baseline is an MSE, comparable with the curves; recall's is an accuracy, not a loss.
      ...(chart.task === 'adding' ? { reference: { label: 'predict the mean', value: chart.baseline } } : {}),
    }),
  );
  return card;
}
