/**
 * Adam (Kingma & Ba 2015) in PyTorch's form (`torch.optim.Adam`, defaults lr 1e-3,
 * β = (0.9, 0.999), ε = 1e-8), with step count t ≥ 1 passed to the kernel as a constant:
 *   g ← g + λ θ                       (L2 weight decay; with `decoupledWeightDecay`, AdamW:
 *                                      θ ← θ − lr λ θ instead)
 *   m ← β₁ m + (1 − β₁) g
 *   v ← β₂ v + (1 − β₂) g²
 *   θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
 * One kernel launch per parameter tensor (two with weight decay, see `optimizer.ts`).
 */
import { ValueError } from '../errors.js';
import { defineKernel } from '../pointwise-kernel.js';
import type { Tensor } from '../tensor.js';
import { describe } from '../validation.js';
import { assertInRange, type Optimizer, OptimizerState } from './optimizer.js';

export interface AdamOptions {
  /** Default 1e-3. */
  readonly learningRate?: number;
  /** β₁ (default 0.9). */
  readonly beta1?: number;
  /** β₂ (default 0.999). */
  readonly beta2?: number;
  /** ε (default 1e-8). */
  readonly epsilon?: number;
  /** λ (default 0). */
  readonly weightDecay?: number;
  /** Decay the weights directly (AdamW) instead of adding λθ to the gradient (default false). */
  readonly decoupledWeightDecay?: boolean;
}

function adamGradient(gradient: number, parameter: number, weightDecay: number, decoupled: number): number {
  return decoupled > 0.5 ? gradient : gradient + weightDecay * parameter;
}
function adamFirstMoment(moment: number, gradient: number, beta1: number): number {
  return beta1 * moment + (1 - beta1) * gradient;
}
function adamSecondMoment(moment: number, gradient: number, beta2: number): number {
  return beta2 * moment + (1 - beta2) * gradient * gradient;
}
function adamDelta(
  first: number,
  second: number,
  learningRate: number,
  beta1: number,
  beta2: number,
  epsilon: number,
  step: number,
): number {
  const stepSize = learningRate / (1 - beta1 ** step);
  const denominator = Math.sqrt(second) / Math.sqrt(1 - beta2 ** step) + epsilon;
  return -stepSize * (first / denominator);
}
function adamDecoupledDelta(
  delta: number,
  parameter: number,
  learningRate: number,
  weightDecay: number,
  decoupled: number,
): number {
  return decoupled > 0.5 ? delta - learningRate * weightDecay * parameter : delta;
}

/** Emits the new first and second moments and `Δθ`. */
export const adamKernel = defineKernel(
  'training/adam',
  [
    'parameter',
    'gradient',
    'first',
    'second',
    'learningRate',
    'beta1',
    'beta2',
    'epsilon',
    'weightDecay',
    'decoupled',
    'step',
  ],
  [
    ['decayed', ['gradient', 'parameter', 'weightDecay', 'decoupled'], adamGradient],
    ['newFirst', ['first', 'decayed', 'beta1'], adamFirstMoment],
    ['newSecond', ['second', 'decayed', 'beta2'], adamSecondMoment],
    ['adamStep', ['newFirst', 'newSecond', 'learningRate', 'beta1', 'beta2', 'epsilon', 'step'], adamDelta],
    ['delta', ['adamStep', 'parameter', 'learningRate', 'weightDecay', 'decoupled'], adamDecoupledDelta],
  ],
  ['newFirst', 'newSecond', 'delta'],
  [],
);

/** Adam / AdamW; see the file header. */
export class Adam implements Optimizer {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  readonly decoupledWeightDecay: boolean;
  private readonly state: OptimizerState;
  private steps = 0;

  /**
   * @param parameters dense device tensors updated in place (e.g. `listParameters(layer)`)
   * @param options hyper-parameters; every one is checked (`ValueError`)
   */
  constructor(parameters: readonly Tensor[], options: AdamOptions = {}) {
    const where = 'Adam';
    if (typeof options !== 'object' || options === null) {
      throw new ValueError(where, `options is ${describe(options)}; expected { learningRate?, … }`);
    }
    this.learningRate = assertInRange(
      where,
      'learningRate',
      options.learningRate ?? 1e-3,
      0,
      Number.POSITIVE_INFINITY,
    );
    this.beta1 = assertInRange(where, 'beta1', options.beta1 ?? 0.9, 0, 1, false);
    this.beta2 = assertInRange(where, 'beta2', options.beta2 ?? 0.999, 0, 1, false);
    this.epsilon = assertInRange(where, 'epsilon', options.epsilon ?? 1e-8, 0, Number.POSITIVE_INFINITY);
    this.weightDecay = assertInRange(
      where,
      'weightDecay',
      options.weightDecay ?? 0,
      0,
      Number.POSITIVE_INFINITY,
    );
    this.decoupledWeightDecay = options.decoupledWeightDecay ?? false;
    this.state = new OptimizerState(where, parameters, 2, this.weightDecay !== 0);
  }

  /** The tensors this optimiser updates, in the order `step` expects their gradients. */
  get parameters(): readonly Tensor[] {
    return this.state.parameters;
  }

  /** Number of `step` calls so far. */
  get stepCount(): number {
    return this.steps;
  }

  /** One update of every parameter from `gradients[k]` (same order and sizes); device work only. */
  step(gradients: readonly Tensor[]): void {
    this.state.checkGradients(gradients);
    const backend = this.state.backend;
    const decay = this.weightDecay !== 0;
    const step = this.steps + 1;
    this.state.parameters.forEach((parameter, index) => {
      const target = this.state.view(parameter);
      const deltaOutput = decay
        ? { view: this.state.scratchView(index) }
        : { view: target, mode: 'add' as const };
      backend.pointwise(adamKernel, {
        rows: target.rows,
        units: target.cols,
        inputs: [
          decay ? { view: target } : 0,
          { view: this.state.view(gradients[index]!, parameter) },
          { view: this.state.stateView(index, 0, false) },
          { view: this.state.stateView(index, 1, false) },
          this.learningRate,
          this.beta1,
          this.beta2,
          this.epsilon,
          this.weightDecay,
          this.decoupledWeightDecay ? 1 : 0,
          step,
        ],
        outputs: [
          { view: this.state.stateView(index, 0, true) },
          { view: this.state.stateView(index, 1, true) },
          deltaOutput,
        ],
      });
      if (decay) {
        this.state.addScratch(index);
      }
    });
    this.state.swap();
    this.steps = step;
  }

  /** Host copies of the moments `[m, v]` of `parameters[index]`. */
  async readMoments(index: number): Promise<[Float32Array | Float64Array, Float32Array | Float64Array]> {
    return [await this.state.read(index, 0), await this.state.read(index, 1)];
  }

  /** Releases the optimiser's state buffers (not the parameters). Idempotent. */
  dispose(): void {
    this.state.dispose();
  }
}
