import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatRate, formatTick } from '../format-number.js';
import { decadeSplits } from './decade-splits.js';
import { seriesColor } from './series-colors.js';

export interface LineSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
  /** Peer baselines are drawn dashed in muted colours. */
  readonly peer?: boolean;
  /** A fixed colour (the same cell in several charts); default: the next colour of the palette. */
  readonly color?: string;
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
  /**
   * Label every n-th whole decade of the log y axis (see {@link decadeSplits}): for ranges of
   * tens of decades, where uPlot's own log splits are slow and crowded.
   */
  readonly decadeTicks?: boolean;
  /** Widest the chart may grow to fill its container, in CSS pixels (default 900). */
  readonly maxWidth?: number;
  /** Plot height in CSS pixels (default 280). */
  readonly height?: number;
  /** Dots on each value (default true); long series read better as plain lines. */
  readonly points?: boolean;
  /** Formats y ticks and legend values; default {@link formatTick} and {@link formatRate}. */
  readonly formatY?: (value: number | null) => string;
}

/**
 * Records what a chart plotted in data attributes (`data-series`, `data-points` in all,
 * `data-series-points` per series, `data-y-scale` as uPlot built it) so tests and readers can
 * check the chart without pixels.
 */
export function describeChart(
  container: HTMLElement,
  chart: uPlot,
  series: readonly { readonly label: string; readonly values: readonly (number | null)[] }[],
) {
  const counts = series.map((line) => line.values.filter((value) => value !== null).length);
  container.dataset.series = series.map((line) => line.label).join('|');
  container.dataset.points = String(counts.reduce((total, count) => total + count, 0));
  container.dataset.seriesPoints = counts.join('|');
  container.dataset.yScale = chart.scales.y?.distr === 3 ? 'log' : 'linear';
}

/** Draws a uPlot line chart into `container`; see {@link describeChart} for what it records. */
export function renderLineChart(container: HTMLElement, spec: LineChartSpec): uPlot {
  let ownIndex = 0;
  let peerIndex = 0;
  const series: uPlot.Series[] = [
    { label: spec.xLabel },
    ...spec.series.map((line) => {
      const paletteColor = seriesColor(line.peer ? peerIndex++ : ownIndex++, line.peer ?? false);
      const color = line.color ?? paletteColor;
      return {
        label: line.label,
        stroke: color,
        width: 2,
        ...(line.peer ? { dash: [6, 4] } : {}),
        points: { show: spec.points ?? true, size: 6, fill: color },
        spanGaps: true,
        value: (_chart: uPlot, value: number | null) => (spec.formatY ?? formatRate)(value),
      };
    }),
  ];
  const data = [
    Array.from(spec.xs),
    ...spec.series.map((line) => Array.from(line.values)),
  ] as uPlot.AlignedData;
  const width = Math.max(360, Math.min(container.clientWidth || 640, spec.maxWidth ?? 900));
  const chart = new uPlot(
    {
      title: spec.title,
      width,
      height: spec.height ?? 280,
      series,
      scales: {
        x: spec.logX ? { time: false, distr: 3, log: 2 } : { time: spec.time ?? false },
        y: spec.logY ? { distr: 3 } : {},
      },
      axes: [
        { label: spec.xLabel, ...(spec.time ? {} : { values: (_chart, ticks) => ticks.map(formatTick) }) },
        {
          label: spec.yLabel,
          size: 70,
          values: (_chart, ticks) => ticks.map(spec.formatY ?? formatTick),
          // Every decade split is labelled (uPlot's log filter would drop most of them).
          ...(spec.logY && spec.decadeTicks
            ? {
                splits: (_chart, _axis, min, max) => decadeSplits(min, max),
                filter: (_chart, splits) => splits,
              }
            : {}),
        },
      ],
      legend: { live: true },
    },
    data,
    container,
  );
  describeChart(container, chart, spec.series);
  return chart;
}
