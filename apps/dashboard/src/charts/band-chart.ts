import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatTick } from '../format-number.js';
import { describeChart } from './line-chart.js';

/** A mean line with a shaded min–max band around it. */
export interface BandSeries {
  readonly label: string;
  readonly color: string;
  /** The band's fill, usually the line colour made translucent. */
  readonly fill: string;
  readonly mean: readonly (number | null)[];
  readonly min: readonly (number | null)[];
  readonly max: readonly (number | null)[];
}

/** A flat reference line (a baseline), drawn dashed in grey. */
export interface ReferenceLine {
  readonly label: string;
  readonly value: number;
}

export interface BandChartSpec {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xs: readonly number[];
  readonly series: readonly BandSeries[];
  readonly reference?: ReferenceLine;
  readonly formatY: (value: number | null) => string;
}

/** Rounds to one significant digit in the given direction (`0.14` → `0.1`, `2.9` → `3`), so the axis starts on a tick. */
function roundToOneDigit(value: number, round: (value: number) => number): number {
  if (!(value > 0)) return value;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return round(value / magnitude) * magnitude;
}

/** Band edges stay out of the legend and the hover values: the legend names the mean lines. */
const edgeClass = 'band-edge';

/**
 * Draws mean lines with min–max bands (uPlot bands between two invisible edge series). Clicking
 * a cell in the legend hides its band with its line. Records the mean lines (and the reference
 * line) in the container's data attributes, like {@link renderLineChart}.
 */
export function renderBandChart(container: HTMLElement, spec: BandChartSpec): uPlot {
  const series: uPlot.Series[] = [{ label: spec.xLabel }];
  const data: (number | null)[][] = [Array.from(spec.xs)];
  const bands: uPlot.Band[] = [];
  /** For each mean line's series index, the indices of its two edges. */
  const edgesOf = new Map<number, [number, number]>();
  for (const line of spec.series) {
    const meanIndex = series.length;
    series.push(
      {
        label: line.label,
        stroke: line.color,
        width: 2,
        points: { show: false },
        spanGaps: true,
        value: (_chart, value) => spec.formatY(value),
      },
      {
        label: `${line.label} max`,
        class: edgeClass,
        stroke: 'transparent',
        width: 0,
        points: { show: false },
      },
      {
        label: `${line.label} min`,
        class: edgeClass,
        stroke: 'transparent',
        width: 0,
        points: { show: false },
      },
    );
    data.push(Array.from(line.mean), Array.from(line.max), Array.from(line.min));
    bands.push({ series: [meanIndex + 1, meanIndex + 2], fill: line.fill });
    edgesOf.set(meanIndex, [meanIndex + 1, meanIndex + 2]);
  }
  const described = spec.series.map((line) => ({ label: line.label, values: line.mean }));
  if (spec.reference) {
    const { label, value } = spec.reference;
    series.push({ label, stroke: '#8a8f98', width: 1.5, dash: [6, 4], points: { show: false } });
    data.push(spec.xs.map(() => value));
    described.push({ label, values: spec.xs.map(() => value) });
  }
  const width = Math.max(360, Math.min(container.clientWidth || 640, 900));
  const chart = new uPlot(
    {
      title: spec.title,
      width,
      height: 260,
      series,
      bands,
      // Losses fall by decades early in training: a log axis keeps the later, slower part readable.
      // The range hugs the data (uPlot's log range would round out to whole decades).
      scales: {
        x: { time: false },
        y: {
          distr: 3,
          range: (_chart, min, max) => [roundToOneDigit(min, Math.floor), roundToOneDigit(max, Math.ceil)],
        },
      },
      axes: [
        { label: spec.xLabel, values: (_chart, ticks) => ticks.map(formatTick) },
        { label: spec.yLabel, size: 70, values: (_chart, ticks) => ticks.map(spec.formatY) },
      ],
      legend: { live: true },
      hooks: {
        setSeries: [
          (self, index, options) => {
            const edges = index === null ? undefined : edgesOf.get(index);
            if (!edges || options.show === undefined) return;
            for (const edge of edges) {
              if (self.series[edge]?.show !== options.show) self.setSeries(edge, { show: options.show });
            }
          },
        ],
      },
    },
    data as uPlot.AlignedData,
    container,
  );
  describeChart(container, chart, described);
  return chart;
}
