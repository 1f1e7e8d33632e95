import { describe, expect, it } from 'vitest';
import { findScalingCharts } from './scaling-series.js';
import { makeBenchmark } from './test-report-builders.js';

describe('findScalingCharts', () => {
  it('finds a hidden-size sweep and aligns every runner on its sizes', () => {
    const results = [32, 64, 128].flatMap((size) => [
      makeBenchmark({
        workload: `h${size}`,
        inputSize: size,
        hiddenSize: size,
        sequencesPerSecond: 1000 / size,
      }),
      ...(size === 64
        ? []
        : [
            makeBenchmark({
              runner: 'tfjs',
              peer: true,
              workload: `h${size}`,
              inputSize: size,
              hiddenSize: size,
            }),
          ]),
    ]);
    const charts = findScalingCharts(results);
    expect(charts).toHaveLength(1);
    const chart = charts[0]!;
    expect(chart.dimension).toBe('hiddenSize');
    expect(chart.fixed).toBe('B8 · T16');
    expect(chart.xs).toEqual([32, 64, 128]);
    expect(chart.series).toEqual([
      { runner: 'cpu', peer: false, values: [1000 / 32, 1000 / 64, 1000 / 128] },
      { runner: 'tfjs', peer: true, values: [800, null, 800] },
    ]);
  });

  it('needs three sizes and measured results', () => {
    const two = [16, 32].map((steps) => makeBenchmark({ steps }));
    expect(findScalingCharts(two)).toEqual([]);
    const unmeasured = [16, 32, 64].map((steps) =>
      makeBenchmark({ steps, status: 'error', sequencesPerSecond: null }),
    );
    expect(findScalingCharts(unmeasured)).toEqual([]);
  });

  it('keeps cells and modes apart, and finds batch and length sweeps', () => {
    const results = [1, 2, 4].flatMap((batch) => [
      makeBenchmark({ batch }),
      makeBenchmark({ batch, cell: 'lstm' }),
      makeBenchmark({ batch: 8, steps: batch * 10 }),
    ]);
    const charts = findScalingCharts(results);
    expect(charts.map((chart) => `${chart.dimension} ${chart.cell} ${chart.xs.join(',')}`)).toEqual([
      'steps gru 10,20,40',
      'batch gru 1,2,4',
      'batch lstm 1,2,4',
    ]);
  });
});
