import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatRate, formatTick } from '../format-number.js';
import { seriesColor } from './series-colors.js';

export interface LineSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
  /** Peer baselines are drawn dashed in muted colours. */
  readonly peer?: boolean;
}

export interface LineChartSpec {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xs: readonly number[];
  readonly series: readonly LineSeries[];
  /** x values are Unix seconds (history). */
  readonly time?: boolean;
  /** Throughput spans decades: log scale keeps slow and fast runners readable together. */
  readonly logY?: boolean;
  /** Sizes in sweeps double from point to point: a base-2 log axis spaces them evenly. */
  readonly logX?: boolean;
}

/**
 * Draws a uPlot line chart into `container` and records what it plotted in data attributes
 * (`data-series`, `data-points`) so tests and readers can check the chart without pixels.
 */
export function renderLineChart(container: HTMLElement, spec: LineChartSpec): uPlot {
  let ownIndex = 0;
  let peerIndex = 0;
  const series: uPlot.Series[] = [
    { label: spec.xLabel },
    ...spec.series.map((line) => {
      const color = seriesColor(line.peer ? peerIndex++ : ownIndex++, line.peer ?? false);
      return {
        label: line.label,
        stroke: color,
        width: 2,
        ...(line.peer ? { dash: [6, 4] } : {}),
        points: { show: true, size: 6, fill: color },
        spanGaps: true,
        value: (_chart: uPlot, value: number | null) => formatRate(value),
      };
    }),
  ];
  const data = [
    Array.from(spec.xs),
    ...spec.series.map((line) => Array.from(line.values)),
  ] as uPlot.AlignedData;
  container.dataset.series = spec.series.map((line) => line.label).join('|');
  container.dataset.points = String(
    spec.series.reduce((total, line) => total + line.values.filter((value) => value !== null).length, 0),
  );
  const width = Math.max(360, Math.min(container.clientWidth || 640, 900));
  return new uPlot(
    {
      title: spec.title,
      width,
      height: 280,
      series,
      scales: {
        x: spec.logX ? { time: false, distr: 3, log: 2 } : { time: spec.time ?? false },
        y: spec.logY ? { distr: 3 } : {},
      },
      axes: [
        { label: spec.xLabel, ...(spec.time ? {} : { values: (_chart, ticks) => ticks.map(formatTick) }) },
        { label: spec.yLabel, size: 70, values: (_chart, ticks) => ticks.map(formatTick) },
      ],
      legend: { live: true },
    },
    data,
    container,
  );
}
