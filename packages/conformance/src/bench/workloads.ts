/**
 * The benchmark grid (issue #5): three shapes × {rnn, gru, lstm} × {forward, train}, and the
 * FLOP convention every runner is measured with.
 */
import type { CellFamily } from '../cell-variants.js';

export interface Workload {
  readonly name: string;
  readonly batch: number;
  readonly steps: number;
  readonly inputSize: number;
  readonly hiddenSize: number;
}

export type BenchmarkMode = 'forward' | 'train';

export const workloads: readonly Workload[] = [
  { name: 'latency', batch: 1, steps: 100, inputSize: 32, hiddenSize: 64 },
  { name: 'standard', batch: 32, steps: 64, inputSize: 64, hiddenSize: 128 },
  { name: 'large', batch: 64, steps: 128, inputSize: 128, hiddenSize: 256 },
];

/** A small grid for CI (`--quick`). */
export const quickWorkloads: readonly Workload[] = [
  { name: 'quick-latency', batch: 1, steps: 20, inputSize: 16, hiddenSize: 32 },
  { name: 'quick-standard', batch: 8, steps: 16, inputSize: 32, hiddenSize: 64 },
];

export const benchmarkCells: readonly CellFamily[] = ['rnn', 'gru', 'lstm'];
export const benchmarkModes: readonly BenchmarkMode[] = ['forward', 'train'];

/** Gate count G of each family: 1, 3, 4. */
export const gateCount: Readonly<Record<CellFamily, number>> = { rnn: 1, gru: 3, lstm: 4 };

/**
 * Floating-point operations of one call by the convention: per step per batch row the matrix
 * products cost `2·(input + hidden)·hidden·G`; training (forward + backward) counts 3× forward.
 * Pointwise work is not counted.
 */
export function workloadFlops(workload: Workload, cell: CellFamily, mode: BenchmarkMode): number {
  const perStepRow = 2 * (workload.inputSize + workload.hiddenSize) * workload.hiddenSize * gateCount[cell];
  const forward = perStepRow * workload.steps * workload.batch;
  return mode === 'train' ? 3 * forward : forward;
}
