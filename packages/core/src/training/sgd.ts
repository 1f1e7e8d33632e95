/**
 * Stochastic gradient descent with momentum, PyTorch's convention (`torch.optim.SGD`):
 *   g ← g + λ θ                                   (weight decay λ, L2)
 *   v ← g on the first step, else μ v + (1 − τ) g  (momentum μ, dampening τ)
 *   d ← g + μ v (Nesterov) or v
 *   θ ← θ − lr · d
 * Without momentum no state is kept and `d = g`. One kernel launch per parameter tensor
 * (two with weight decay, see `optimizer.ts`); everything stays on the device.
 */

import { ValueError } from '../errors.js';
import { defineKernel } from '../pointwise-kernel.js';
import type { Tensor } from '../tensor.js';
import { describe } from '../validation.js';
import { assertInRange, type Optimizer, OptimizerState } from './optimizer.js';

export interface SgdOptions {
  /** Step size lr ≥ 0 (required). */
  readonly learningRate: number;
  /** μ (default 0: plain SGD, no state). */
  readonly momentum?: number;
  /** τ (default 0). */
  readonly dampening?: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0, as PyTorch). */
  readonly nesterov?: boolean;
  /** L2 penalty λ added to the gradient (default 0). */
  readonly weightDecay?: number;
}

function decayedGradient(gradient: number, parameter: number, weightDecay: number): number {
  return gradient + weightDecay * parameter;
}
function sgdVelocity(
  gradient: number,
  velocity: number,
  momentum: number,
  dampening: number,
  first: number,
): number {
  return first > 0.5 ? gradient : momentum * velocity + (1 - dampening) * gradient;
}
function sgdDirection(gradient: number, velocity: number, momentum: number, nesterov: number): number {
  return nesterov > 0.5 ? gradient + momentum * velocity : velocity;
}
function descentDelta(direction: number, learningRate: number): number {
  return -learningRate * direction;
}

/** With momentum: emits the new velocity and `Δθ`. */
export const sgdMomentumKernel = defineKernel(
  'training/sgd-momentum',
  [
    'parameter',
    'gradient',
    'velocity',
    'learningRate',
    'momentum',
    'dampening',
    'weightDecay',
    'nesterov',
    'first',
  ],
  [
    ['decayed', ['gradient', 'parameter', 'weightDecay'], decayedGradient],
    ['newVelocity', ['decayed', 'velocity', 'momentum', 'dampening', 'first'], sgdVelocity],
    ['direction', ['decayed', 'newVelocity', 'momentum', 'nesterov'], sgdDirection],
    ['delta', ['direction', 'learningRate'], descentDelta],
  ],
  ['newVelocity', 'delta'],
  [],
);

/** Without momentum: emits `Δθ = −lr (g + λ θ)`. */
export const sgdPlainKernel = defineKernel(
  'training/sgd',
  ['parameter', 'gradient', 'learningRate', 'weightDecay'],
  [
    ['decayed', ['gradient', 'parameter', 'weightDecay'], decayedGradient],
    ['delta', ['decayed', 'learningRate'], descentDelta],
  ],
  ['delta'],
  [],
);

/** SGD with optional momentum, Nesterov and weight decay; see the file header. */
export class Sgd implements Optimizer {
  readonly learningRate: number;
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  private readonly state: OptimizerState;
  private steps = 0;

  /**
   * @param parameters dense device tensors updated in place (e.g. `listParameters(layer)`)
   * @param options hyper-parameters; every one is checked (`ValueError`)
   */
  constructor(parameters: readonly Tensor[], options: SgdOptions) {
    const where = 'Sgd';
    if (typeof options !== 'object' || options === null) {
      throw new ValueError(where, `options is ${describe(options)}; expected { learningRate, … }`);
    }
    this.learningRate = assertInRange(
      where,
      'learningRate',
      options.learningRate,
      0,
      Number.POSITIVE_INFINITY,
    );
    this.momentum = assertInRange(where, 'momentum', options.momentum ?? 0, 0, Number.POSITIVE_INFINITY);
    this.dampening = assertInRange(where, 'dampening', options.dampening ?? 0, 0, 1);
    this.weightDecay = assertInRange(
      where,
      'weightDecay',
      options.weightDecay ?? 0,
      0,
      Number.POSITIVE_INFINITY,
    );
    this.nesterov = options.nesterov ?? false;
    if (this.nesterov && (this.momentum === 0 || this.dampening !== 0)) {
      throw new ValueError(
        where,
        `nesterov with momentum ${this.momentum} and dampening ${this.dampening}; expected momentum > 0 and dampening 0`,
      );
    }
    this.state = new OptimizerState(where, parameters, this.momentum > 0 ? 1 : 0, this.weightDecay !== 0);
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
    this.state.parameters.forEach((parameter, index) => {
      const target = this.state.view(parameter);
      // Without weight decay the parameter is not an input, so Δθ can be added to it directly.
      const deltaOutput = decay
        ? { view: this.state.scratchView(index) }
        : { view: target, mode: 'add' as const };
      const parameterInput = decay ? { view: target } : 0;
      const gradient = { view: this.state.view(gradients[index]!, parameter) };
      if (this.momentum > 0) {
        backend.pointwise(sgdMomentumKernel, {
          rows: target.rows,
          units: target.cols,
          inputs: [
            parameterInput,
            gradient,
            { view: this.state.stateView(index, 0, false) },
            this.learningRate,
            this.momentum,
            this.dampening,
            this.weightDecay,
            this.nesterov ? 1 : 0,
            this.steps === 0 ? 1 : 0,
          ],
          outputs: [{ view: this.state.stateView(index, 0, true) }, deltaOutput],
        });
      } else {
        backend.pointwise(sgdPlainKernel, {
          rows: target.rows,
          units: target.cols,
          inputs: [parameterInput, gradient, this.learningRate, this.weightDecay],
          outputs: [deltaOutput],
        });
      }
      if (decay) {
        this.state.addScratch(index);
      }
    });
    this.state.swap();
    this.steps++;
  }

  /** Host copy of the momentum buffer of `parameters[index]` (zeros before the first step). */
  async readVelocity(index: number): Promise<Float32Array | Float64Array> {
    return this.state.read(index, 0);
  }

  /** Releases the optimiser's state buffers (not the parameters). Idempotent. */
  dispose(): void {
    this.state.dispose();
  }
}
