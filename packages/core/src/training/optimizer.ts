/**
 * What the optimisers share: the {@link Optimizer} interface, validation of parameter and
 * gradient lists, and the device state they keep.
 *
 * Updates are pointwise kernels that run on the device (no host round trip). The pointwise
 * contract forbids an output that overlaps an input (except an `add`-mode output reading
 * itself), so:
 *  - a parameter is updated in place as an `add`-mode output receiving `Δθ`; it is bound as an
 *    input only when weight decay needs its value, and then `Δθ` goes to a scratch buffer first
 *    and a second launch adds it;
 *  - running state (momentum, moments) lives in two buffers per tensor used in turn (ping-pong):
 *    a step reads one and writes the other.
 */
import type { Backend, DeviceBuffer, MatrixView } from '../backend.js';
import { DisposedError, ShapeError, ValueError } from '../errors.js';
import { parameterNames } from '../layers/parameters.js';
import type { RecurrentLayer } from '../layers/recurrent-layer.js';
import type { LayerGradients } from '../layers/sequence-result.js';
import { matrixView } from '../matrix-view.js';
import { copyKernel } from '../sequence/utility-kernels.js';
import type { Tensor } from '../tensor.js';
import { describe } from '../validation.js';
import { featureCount } from './row-blocks.js';
import { assertDense, assertDeviceTensor } from './tensor-argument.js';

/** Updates a fixed list of parameter tensors in place from gradients given in the same order. */
export interface Optimizer {
  readonly parameters: readonly Tensor[];
  /** Number of {@link step} calls so far. */
  readonly stepCount: number;
  /** Applies one update; `gradients[k]` belongs to `parameters[k]`. Enqueues device work only. */
  step(gradients: readonly Tensor[]): void;
  /** Releases the optimiser's state buffers (not the parameters). */
  dispose(): void;
}

/**
 * Every parameter tensor of a recurrent layer in a fixed order (layer, direction, then
 * `inputWeights, recurrentWeights, inputBias, recurrentBias, peepholes`), for an optimiser.
 */
export function listParameters(layer: RecurrentLayer): Tensor[] {
  return flatten(layer.parameters);
}

/** The parameter gradients of a backward pass, in the order of {@link listParameters}. */
export function listGradients(gradients: LayerGradients): Tensor[] {
  return flatten(gradients.parameters);
}

function flatten(tensors: readonly (readonly Partial<Record<string, Tensor>>[])[]): Tensor[] {
  const list: Tensor[] = [];
  for (const layer of tensors) {
    for (const direction of layer) {
      for (const name of parameterNames) {
        const tensor = direction[name];
        if (tensor) {
          list.push(tensor);
        }
      }
    }
  }
  return list;
}

/** Checks a hyper-parameter is a finite number in a range. */
export function assertInRange(
  where: string,
  name: string,
  value: unknown,
  low: number,
  high: number,
  highIncluded = true,
): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < low ||
    (highIncluded ? value > high : value >= high)
  ) {
    const range =
      high === Number.POSITIVE_INFINITY ? `≥ ${low}` : `in [${low}, ${high}${highIncluded ? ']' : ')'}`;
    throw new ValueError(where, `${name} is ${describe(value)}; expected a finite number ${range}`);
  }
  return value;
}

/**
 * The device memory and checks of an optimiser: `stateCount` running-state tensors per
 * parameter (each twice, ping-pong) and one scratch buffer for the largest parameter.
 */
export class OptimizerState {
  readonly backend: Backend;
  readonly parameters: readonly Tensor[];
  /** `buffers[parameter][state][0 | 1]`. */
  private readonly buffers: DeviceBuffer[][][];
  private readonly scratch: DeviceBuffer | undefined;
  /** Which of the two buffers of every state holds the current value. */
  private current = 0;
  private disposed = false;

  constructor(
    private readonly where: string,
    parameters: readonly Tensor[],
    stateCount: number,
    needsScratch: boolean,
  ) {
    if (!Array.isArray(parameters) || parameters.length === 0) {
      throw new ValueError(
        where,
        `parameters is ${describe(parameters)}; expected a non-empty array of Tensors`,
      );
    }
    parameters.forEach((parameter, index) => {
      assertDeviceTensor(where, `parameters[${index}]`, parameter, parameters[0]!.backend);
      assertDense(where, `parameters[${index}]`, parameter);
    });
    if (new Set(parameters.map((parameter) => parameter.buffer)).size !== parameters.length) {
      throw new ValueError(where, 'two parameters share one buffer; expected distinct tensors');
    }
    this.backend = parameters[0]!.backend;
    this.parameters = [...parameters];
    this.buffers = parameters.map((parameter) =>
      Array.from({ length: stateCount }, () => [
        this.backend.allocate(parameter.size),
        this.backend.allocate(parameter.size),
      ]),
    );
    const largest = Math.max(...parameters.map((parameter) => parameter.size));
    this.scratch = needsScratch ? this.backend.allocate(largest) : undefined;
  }

  /** Throws unless `gradients` match the parameters one to one (count, size, backend). */
  checkGradients(gradients: readonly Tensor[]): void {
    if (this.disposed) {
      throw new DisposedError(this.where, 'this optimiser was disposed');
    }
    if (!Array.isArray(gradients) || gradients.length !== this.parameters.length) {
      throw new ShapeError(
        this.where,
        `gradients is ${describe(gradients)}; expected ${this.parameters.length} tensors, one per parameter`,
      );
    }
    gradients.forEach((gradient, index) => {
      const parameter = this.parameters[index]!;
      parameter.assertLive(this.where);
      assertDeviceTensor(this.where, `gradients[${index}]`, gradient, this.backend);
      assertDense(this.where, `gradients[${index}]`, gradient);
      if (gradient.size !== parameter.size) {
        throw new ShapeError(
          this.where,
          `gradients[${index}] has ${gradient.size} elements; expected ${parameter.size} (parameters[${index}])`,
        );
      }
    });
  }

  /** A dense tensor as a `[rows, cols]` view shaped like `like` (a parameter of the same size). */
  view(tensor: Tensor, like: Tensor = tensor): MatrixView {
    const cols = featureCount(like);
    return matrixView(tensor.buffer, tensor.offset, like.size / cols, cols);
  }

  /** View of state `state` of parameter `index`: the current value (`next` false) or the one to write. */
  stateView(index: number, state: number, next: boolean): MatrixView {
    const parameter = this.parameters[index]!;
    const buffer = this.buffers[index]![state]![next ? 1 - this.current : this.current]!;
    const cols = featureCount(parameter);
    return matrixView(buffer, 0, parameter.size / cols, cols);
  }

  /** Scratch view shaped like parameter `index`. */
  scratchView(index: number): MatrixView {
    const parameter = this.parameters[index]!;
    const cols = featureCount(parameter);
    return matrixView(this.scratch!, 0, parameter.size / cols, cols);
  }

  /** `θ += scratch` for parameter `index` (the second launch of a weight-decay update). */
  addScratch(index: number): void {
    const target = this.view(this.parameters[index]!);
    this.backend.pointwise(copyKernel, {
      rows: target.rows,
      units: target.cols,
      inputs: [{ view: this.scratchView(index) }],
      outputs: [{ view: target, mode: 'add' }],
    });
  }

  /** After every parameter was updated: the written buffers become the current ones. */
  swap(): void {
    this.current = 1 - this.current;
  }

  /** Host copy of the current value of one state of one parameter (tests, checkpoints). */
  async read(index: number, state: number): Promise<Float32Array | Float64Array> {
    return this.backend.download(this.buffers[index]![state]![this.current]!);
  }

  dispose(): void {
    if (!this.disposed) {
      this.disposed = true;
      for (const states of this.buffers) {
        for (const pair of states) {
          for (const buffer of pair) {
            this.backend.dispose(buffer);
          }
        }
      }
      if (this.scratch) {
        this.backend.dispose(this.scratch);
      }
    }
  }
}
