import { describe, expect, it } from 'vitest';
import {
  evaluationSteps,
  flowPhases,
  gradientFlowChart,
  parameterCountGroups,
  trainingCharts,
} from './experiments-series.js';
import { makeExperimentsReport, makeFlowRow, makeTrainingRow } from './test-experiments-builders.js';

describe('gradient flow', () => {
  it('has one series per cell with a value per distance, for the phases measured', () => {
    const report = makeExperimentsReport({
      gradientFlow: [
        makeFlowRow({ cell: 'rnn-tanh', ratio: 0.1 }),
        makeFlowRow({ cell: 'lstm' }),
        makeFlowRow({ cell: 'rnn-tanh', phase: 'trained', ratio: 0.2 }),
      ],
    });
    expect(flowPhases(report)).toEqual(['initialisation', 'trained']);
    const chart = gradientFlowChart(report, 'initialisation');
    expect(chart.distances).toEqual([0, 1, 2, 3]);
    expect(chart.series.map((line) => line.cell)).toEqual(['rnn-tanh', 'lstm']);
    expect(chart.series[0]!.values).toEqual([1, 0.1, 0.1 ** 2, 0.1 ** 3]);
    const trained = gradientFlowChart(report, 'trained');
    expect(trained.series.map((line) => line.cell)).toEqual(['rnn-tanh']);
    expect(trained.series[0]!.values[1]).toBe(0.2);
  });

  it('lists only initialisation when the run trained no model for it', () => {
    expect(flowPhases(makeExperimentsReport())).toEqual(['initialisation']);
  });

  it('leaves out zero and non-finite norms, which a log axis cannot place', () => {
    const report = makeExperimentsReport({
      gradientFlow: [makeFlowRow({ meanNorm: [1, 0, Number.NaN, 1e-30] })],
    });
    expect(gradientFlowChart(report, 'initialisation').series[0]!.values).toEqual([1, null, null, 1e-30]);
  });
});

describe('training curves', () => {
  it('places evaluations every evaluateEvery updates and the last one after all updates', () => {
    expect(evaluationSteps(4, 3, 10)).toEqual([0, 3, 6, 10]);
    expect(evaluationSteps(21, 3, 60).slice(-2)).toEqual([57, 60]);
  });

  it('groups per task, length and sizing, with mean and min–max across seeds per cell', () => {
    const report = makeExperimentsReport({
      training: [
        makeTrainingRow({ cell: 'rnn-tanh' }),
        makeTrainingRow({ cell: 'gru-reset-after', curves: [[0.3, 0.1, 0.2]] }),
        makeTrainingRow({ task: 'recall', steps: 10, finalAccuracy: [0.5, 0.75], baseline: 0.25 }),
        makeTrainingRow({ sizing: 'same-parameters', hiddenSize: 9 }),
      ],
    });
    const charts = trainingCharts(report);
    expect(charts.map((chart) => chart.key)).toEqual([
      'adding-20 · same-hidden',
      'recall-10 · same-hidden',
      'adding-20 · same-parameters',
    ]);
    const adding = charts[0]!;
    expect(adding.updates).toEqual([0, 4, 10]);
    expect(adding.bands.map((band) => band.cell)).toEqual(['rnn-tanh', 'gru-reset-after']);
    const rnn = adding.bands[0]!;
    expect(rnn.min).toEqual([0.2, 0.16, 0.15]);
    expect(rnn.max).toEqual([0.22, 0.18, 0.17]);
    expect(rnn.mean[0]).toBeCloseTo(0.21, 12);
    expect(rnn.mean[2]).toBeCloseTo(0.16, 12);
    expect(rnn.seeds).toBe(2);
    // One seed: the band collapses onto the line.
    expect(adding.bands[1]!.min).toEqual(adding.bands[1]!.max);
    expect(charts[1]!.bands[0]!.finalAccuracy).toEqual([0.5, 0.75]);
    expect(charts[1]!.baseline).toBe(0.25);
  });

  it('aligns seeds of different lengths by evaluation, averaging the seeds that have a value', () => {
    const report = makeExperimentsReport({ training: [makeTrainingRow({ curves: [[1, 2, 3], [3]] })] });
    const band = trainingCharts(report)[0]!.bands[0]!;
    expect(band.mean).toEqual([2, 2, 3]);
    expect(band.min).toEqual([1, 2, 3]);
  });
});

describe('parameter counts', () => {
  it('groups per task and sizing and compares recurrent parameters with the first cell', () => {
    const groups = parameterCountGroups(makeExperimentsReport());
    expect(groups).toHaveLength(1);
    expect(groups[0]!.relativeTo).toBe('rnn-tanh');
    expect(groups[0]!.rows.map((row) => [row.cell, row.relative])).toEqual([
      ['rnn-tanh', 1],
      ['gru-reset-after', 3],
    ]);
  });
});
