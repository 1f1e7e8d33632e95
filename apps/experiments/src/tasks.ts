/**
 * Long-dependency toy tasks, generated from a seed so every run sees the same data.
 *
 * Adding problem (Hochreiter & Schmidhuber 1997): two input channels per step, a value in
 * [0, 1) and a marker; exactly two markers are set, one in each half of the sequence. The
 * target is the sum of the two marked values. Predicting the mean (1.0) scores an MSE of
 * 1/6 ≈ 0.167, so a model that beats that has learnt to carry information across the gap.
 *
 * Delayed recall (a one-symbol copy task): a one-hot symbol out of `symbols` at step 0, then
 * `T − 1` steps of random distractor noise on a separate channel; at the end the model must
 * name the first symbol. Chance accuracy is 1/symbols.
 */
import type { Random } from '@recurrent/core';

export interface RegressionBatch {
  /** `[batch, steps, 2]`, batch-first. */
  readonly inputs: Float64Array;
  /** `[batch]` */
  readonly targets: Float64Array;
}

export interface ClassificationBatch {
  /** `[batch, steps, symbols + 1]`, batch-first. */
  readonly inputs: Float64Array;
  /** `[batch]` class indices. */
  readonly targets: Int32Array;
}

export const addingInputSize = 2;

/** The MSE of always predicting the mean target, 1/6. */
export const addingBaselineMse = 1 / 6;

export function addingBatch(random: Random, batch: number, steps: number): RegressionBatch {
  const inputs = new Float64Array(batch * steps * addingInputSize);
  const targets = new Float64Array(batch);
  const half = Math.floor(steps / 2);
  for (let sample = 0; sample < batch; sample++) {
    const first = random.integer(half);
    const second = half + random.integer(steps - half);
    let sum = 0;
    for (let step = 0; step < steps; step++) {
      const value = random.next();
      const base = (sample * steps + step) * addingInputSize;
      inputs[base] = value;
      if (step === first || step === second) {
        inputs[base + 1] = 1;
        sum += value;
      }
    }
    targets[sample] = sum;
  }
  return { inputs, targets };
}

export function recallInputSize(symbols: number): number {
  return symbols + 1;
}

export function recallBatch(
  random: Random,
  batch: number,
  steps: number,
  symbols: number,
): ClassificationBatch {
  const width = recallInputSize(symbols);
  const inputs = new Float64Array(batch * steps * width);
  const targets = new Int32Array(batch);
  for (let sample = 0; sample < batch; sample++) {
    const symbol = random.integer(symbols);
    targets[sample] = symbol;
    inputs[sample * steps * width + symbol] = 1;
    for (let step = 1; step < steps; step++) {
      inputs[(sample * steps + step) * width + symbols] = random.uniform(-1, 1);
    }
  }
  return { inputs, targets };
}
