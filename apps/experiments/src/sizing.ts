import { type CellDefinition, parameterCount } from '@recurrent/core';

/** Trainable scalars of a one-layer cell plus a linear read-out `[outputs, H] + [outputs]`. */
export function modelParameterCount(
  cell: CellDefinition,
  inputSize: number,
  hiddenSize: number,
  outputs: number,
): number {
  return parameterCount(cell, { inputSize, hiddenSize }) + outputs * hiddenSize + outputs;
}

/**
 * The hidden size whose model has the parameter count closest to `target`, so that cells with
 * fewer gates get more units ("same parameter budget").
 */
export function hiddenSizeForBudget(
  cell: CellDefinition,
  inputSize: number,
  outputs: number,
  target: number,
): number {
  let best = 1;
  let bestGap = Number.POSITIVE_INFINITY;
  for (let hidden = 1; hidden <= 1024; hidden++) {
    const gap = Math.abs(modelParameterCount(cell, inputSize, hidden, outputs) - target);
    if (gap < bestGap) {
      best = hidden;
      bestGap = gap;
    }
  }
  return best;
}
