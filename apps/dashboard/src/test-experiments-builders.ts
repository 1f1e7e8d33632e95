import type { ExperimentsReport, GradientFlowRow, TrainingRow } from '@recurrent/experiments';

/** A gradient-flow row whose norms fall by `ratio` per step; override any field. */
export function makeFlowRow(overrides: Partial<GradientFlowRow> & { ratio?: number } = {}): GradientFlowRow {
  const { ratio = 0.5, ...rest } = overrides;
  const meanNorm = Array.from({ length: 4 }, (_, distance) => ratio ** distance);
  return {
    cell: 'gru-reset-after',
    phase: 'initialisation',
    steps: 4,
    meanNorm,
    seedNorms: [meanNorm],
    ...rest,
  };
}

/** A training row of two seeds with curves of three evaluations; override any field. */
export function makeTrainingRow(overrides: Partial<TrainingRow> = {}): TrainingRow {
  return {
    task: 'adding',
    steps: 20,
    sizing: 'same-hidden',
    cell: 'gru-reset-after',
    hiddenSize: 16,
    modelParameters: 977,
    curves: [
      [0.2, 0.18, 0.15],
      [0.22, 0.16, 0.17],
    ],
    evaluateEvery: 4,
    finalLoss: [0.15, 0.17],
    baseline: 1 / 6,
    ...overrides,
  };
}

/** A small, valid experiments report; override any field. */
export function makeExperimentsReport(overrides: Partial<ExperimentsReport> = {}): ExperimentsReport {
  return {
    schema: 'recurrent-experiments',
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    quick: true,
    environment: {
      node: 'v20.0.0',
      platform: 'linux-x64',
      cpu: 'Test CPU',
      cores: 2,
      backend: { name: 'cpu', dtype: 'float32', device: 'wasm' },
    },
    config: {
      cells: ['rnn-tanh', 'gru-reset-after'],
      seeds: 2,
      hiddenSize: 16,
      batch: 16,
      flowSteps: 4,
      flowTrainingSteps: 0,
      addingLengths: [20],
      recallLength: 10,
      recallSymbols: 4,
      trainingSteps: 10,
      learningRate: 0.01,
      clipNorm: 1,
      sizings: ['same-hidden'],
    },
    parameterCounts: [
      {
        cell: 'rnn-tanh',
        task: 'adding-20',
        sizing: 'same-hidden',
        hiddenSize: 16,
        recurrentParameters: 320,
        modelParameters: 337,
      },
      {
        cell: 'gru-reset-after',
        task: 'adding-20',
        sizing: 'same-hidden',
        hiddenSize: 16,
        recurrentParameters: 960,
        modelParameters: 977,
      },
    ],
    gradientFlow: [makeFlowRow({ cell: 'rnn-tanh', ratio: 0.1 }), makeFlowRow()],
    training: [makeTrainingRow({ cell: 'rnn-tanh', modelParameters: 337 }), makeTrainingRow()],
    findings: ['A finding computed from the numbers.'],
    durationSeconds: 1,
    ...overrides,
  };
}
