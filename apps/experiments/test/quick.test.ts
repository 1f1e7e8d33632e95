import { createCpuBackend } from '@recurrent/backend-cpu';
import { cellVariant } from '@recurrent/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ExperimentResults,
  gradientNormAt,
  modelParameterCount,
  quickConfig,
  runExperiments,
} from '../src/index.js';

// The `--quick` experiment run, with the qualitative facts that must hold asserted on its
// measured output (float32 CPU backend, fixed seeds).
describe('quick experiments', () => {
  let results: ExperimentResults;
  beforeAll(async () => {
    results = await runExperiments(createCpuBackend({ dtype: 'float32' }), quickConfig);
  }, 240_000);

  const relativeAt = (cell: string, distance: number) =>
    gradientNormAt(results.gradientFlow, cell, 'initialisation', distance)! /
    gradientNormAt(results.gradientFlow, cell, 'initialisation', 0)!;

  it('measures a finite, positive gradient norm at every distance for every cell', () => {
    expect(results.gradientFlow.map((row) => row.cell).sort()).toEqual([...quickConfig.cells].sort());
    for (const row of results.gradientFlow) {
      expect(row.meanNorm).toHaveLength(quickConfig.flowSteps);
      for (const value of row.meanNorm) {
        expect(Number.isFinite(value) && value >= 0).toBe(true);
      }
      expect(row.meanNorm[0]).toBeGreaterThan(0);
    }
  });

  it('the vanilla RNN’s gradient at distance 50 is orders of magnitude below the LSTM’s', () => {
    expect(relativeAt('lstm', 50)).toBeGreaterThan(1e3 * relativeAt('rnn-tanh', 50));
  });

  it('removing the reset gate keeps the gradient path open (r ≡ 1 beats the full GRU at initialisation)', () => {
    expect(relativeAt('gru-no-reset', 50)).toBeGreaterThan(1e2 * relativeAt('gru-reset-after', 50));
  });

  it('removing the update gate (z ≡ 0) closes the direct path: far below the full GRU', () => {
    expect(relativeAt('gru-no-update', 50)).toBeLessThan(1e-6 * relativeAt('gru-reset-after', 50));
  });

  it('gradients shrink with distance for every cell at initialisation', () => {
    for (const cell of quickConfig.cells) {
      expect(relativeAt(cell, 50)).toBeLessThan(relativeAt(cell, 10));
    }
  });

  it('trains every cell on every task and reports curves that start near the baseline', () => {
    const tasks = new Set(results.training.map((row) => `${row.task}-${row.steps}`));
    expect(tasks).toEqual(new Set(['adding-20', 'recall-10']));
    for (const row of results.training) {
      expect(row.curves).toHaveLength(quickConfig.seeds);
      expect(row.finalLoss.every(Number.isFinite)).toBe(true);
    }
    // Chance on recall is 25%; at least one gated cell must clearly beat it within the budget.
    const recall = results.training.filter((row) => row.task === 'recall');
    const best = Math.max(...recall.map((row) => Math.min(...(row.finalAccuracy ?? [0]))));
    expect(best).toBeGreaterThan(0.6);
  });

  it('counts parameters as the lesson says: GRU 3×, LSTM 4× a vanilla RNN of the same sizes', () => {
    const count = (id: string) => modelParameterCount(cellVariant(id).create(), 2, 16, 0);
    expect(count('gru-reset-after')).toBe(3 * count('rnn-tanh'));
    expect(count('lstm')).toBe(4 * count('rnn-tanh'));
    expect(count('gru-no-reset')).toBe(2 * count('rnn-tanh'));
  });
});
