import type { Tensor } from '../tensor.js';

/** What a loss function returns: the scalar on the host and its gradient on the device. */
export interface LossResult {
  /** The loss, reduced to one number (computed in float64 on the host). */
  readonly value: number;
  /** dLoss/dPrediction, a dense tensor of the prediction's shape; dispose it (or the result). */
  readonly gradient: Tensor;
  /** Releases {@link gradient}. */
  dispose(): void;
}

/** How per-element losses are combined: averaged (default, as PyTorch) or summed. */
export type Reduction = 'mean' | 'sum';

/** A {@link LossResult} that owns `gradient`. */
export function lossResult(value: number, gradient: Tensor): LossResult {
  return {
    value,
    gradient,
    dispose() {
      gradient.dispose();
    },
  };
}
