/**
 * The public sequence layer: any cell, stacked, optionally bidirectional, time-first or
 * batch-first, with initial states, per-sample lengths, seeded dropout, backpropagation
 * through time and a streaming `step`. Validates every argument before touching the device
 * (`layer-options.ts`, `call-arguments.ts`, `weights-argument.ts`), brings sequences into
 * time-major rows (`stack-inputs.ts`, `device-layout.ts`), then drives
 * `sequence/stack-forward.ts` and `sequence/stack-backward.ts`.
 */
import type { Backend } from '../backend.js';
import type { CellDefinition } from '../cells/cell-definition.js';
import { DisposedError } from '../errors.js';
import { Random } from '../random.js';
import { backwardStack } from '../sequence/stack-backward.js';
import { type MergeMode, outputWidth, type StackConfig } from '../sequence/stack-config.js';
import { forwardStack } from '../sequence/stack-forward.js';
import { disposeStackStorage } from '../sequence/stack-forward-result.js';
import { Tensor } from '../tensor.js';
import {
  type BackwardInput,
  checkBackwardArguments,
  checkForwardArguments,
  checkStepArguments,
  type ForwardOptions,
  type StepState,
  type TensorInput,
} from './call-arguments.js';
import { ownedStorage, releaseOwned, sequenceOfOne, sequenceTensor } from './device-layout.js';
import {
  type DirectionMode,
  type Layout,
  type RecurrentLayerOptions,
  resolveLayerOptions,
} from './layer-options.js';
import {
  createParameterTensors,
  disposeParameterTensors,
  type ParameterTensors,
  readParameterTensors,
  writeParameterTensors,
} from './parameter-tensors.js';
import type { CanonicalWeights, LayerGeometry } from './parameters.js';
import { type LayerGradients, layerGradientsOf, SequenceResult, type StepResult } from './sequence-result.js';
import { stackForwardInput, stackGradientInput } from './stack-inputs.js';
import { checkCanonicalWeights } from './weights-argument.js';

export class RecurrentLayer {
  /** The cell of the (first) direction. */
  readonly cell: CellDefinition;
  /** One cell per direction; they differ only in constants (e.g. ONNX per-direction activations). */
  readonly cells: readonly CellDefinition[];
  readonly direction: DirectionMode;
  readonly backend: Backend;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly directions: 1 | 2;
  readonly merge: MergeMode;
  readonly layout: Layout;
  readonly dropout: number;
  /** `parameters[layer][direction][name]`, canonical layout (see `parameters.ts`). */
  readonly parameters: ParameterTensors;
  private readonly dropoutRandom: Random;
  private disposed = false;

  /**
   * @param cell one cell for every direction, or one per direction (same kind and gates; only
   *   constants may differ)
   */
  constructor(
    backend: Backend,
    cell: CellDefinition | readonly CellDefinition[],
    options: RecurrentLayerOptions,
  ) {
    const settings = resolveLayerOptions(backend, cell, options);
    this.direction = settings.direction;
    this.directions = settings.directions;
    this.cells = settings.cells;
    this.cell = settings.cells[0]!;
    this.backend = backend;
    this.inputSize = settings.inputSize;
    this.hiddenSize = settings.hiddenSize;
    this.numLayers = settings.numLayers;
    this.merge = settings.merge;
    this.layout = settings.layout;
    this.dropout = settings.dropout;
    const random = new Random(settings.seed);
    this.dropoutRandom = new Random(settings.seed ^ 0x5eed);
    this.parameters = createParameterTensors(backend, this.cell, this.geometry(), random, options);
  }

  /** Class name for messages, e.g. `GRU`. */
  get name(): string {
    return this.cell.displayName;
  }

  /** Width of each output step: H, or 2H for a concatenating bidirectional layer. */
  get outputSize(): number {
    return outputWidth(this.config());
  }

  /** Runs the whole sequence. Asynchronous only at the boundary: read results with `toArray()`. */
  forward(input: TensorInput, options: ForwardOptions = {}): SequenceResult {
    const where = `${this.name}.forward`;
    this.assertLive(where);
    const checked = checkForwardArguments(this, where, input, options);
    const { steps, batch } = checked;
    const owned = ownedStorage();
    try {
      const training = options.training ?? false;
      const stackInput = stackForwardInput(this, this.dropoutRandom, input, checked, training, owned);
      const pass = forwardStack(this.config(), stackInput);
      const stateShape = [this.numLayers * this.directions, batch, this.hiddenSize];
      const output = sequenceTensor(this, pass.output, pass.mergedOutput, steps, batch, this.outputSize);
      const hidden = Tensor.fromBuffer(this.backend, pass.finalStates.hidden!, stateShape);
      const cell = pass.finalStates.cell
        ? Tensor.fromBuffer(this.backend, pass.finalStates.cell, stateShape)
        : undefined;
      if (!training) {
        // Inference hands the output's storage to the result: release everything else now.
        disposeStackStorage(pass, output.buffer);
        releaseOwned(this.backend, owned);
        return new SequenceResult(output, hidden, cell, pass, this, () => {});
      }
      return new SequenceResult(output, hidden, cell, pass, this, () => {
        disposeStackStorage(pass);
        releaseOwned(this.backend, owned);
      });
    } catch (error) {
      releaseOwned(this.backend, owned);
      throw error;
    }
  }

  /** Backpropagation through time for a `forward(…, { training: true })` result. */
  backward(result: SequenceResult, upstream: BackwardInput = {}): LayerGradients {
    const where = `${this.name}.backward`;
    this.assertLive(where);
    checkBackwardArguments(this, where, result, upstream);
    const { steps, batch } = result.pass.input;
    const owned = ownedStorage();
    try {
      const gradients = backwardStack(result.pass, stackGradientInput(this, upstream, steps, batch, owned));
      return layerGradientsOf(this, gradients, steps, batch);
    } finally {
      releaseOwned(this.backend, owned);
    }
  }

  /**
   * One time step for streaming inference: `x` is `[B, inputSize]`, `state` the previous
   * step's `hidden`/`cell` (`[L, B, H]`; zeros when absent). Gives the same numbers as the
   * full-sequence `forward`.
   */
  step(input: TensorInput, state?: StepState): StepResult {
    const where = `${this.name}.step`;
    this.assertLive(where);
    const batch = checkStepArguments(this, where, input, state);
    const sequence = sequenceOfOne(input, batch, this.inputSize, this.layout);
    let result: SequenceResult;
    try {
      result = this.forward(sequence, {
        ...(state?.hidden !== undefined ? { initialHidden: state.hidden } : {}),
        ...(state?.cell !== undefined ? { initialCell: state.cell } : {}),
      });
    } finally {
      // The one-step view holds a reference to the caller's storage: release it on every path.
      if (sequence instanceof Tensor && sequence !== input) {
        sequence.dispose();
      }
    }
    const output = result.output.view(
      [batch, this.outputSize],
      [result.output.strides[this.layout === 'batch-first' ? 0 : 1]!, 1],
      result.output.offset,
    );
    result.output.dispose();
    const cell = result.cell;
    return {
      output,
      hidden: result.hidden,
      ...(cell ? { cell } : {}),
      dispose() {
        output.dispose();
        result.hidden.dispose();
        cell?.dispose();
      },
    };
  }

  /** Host copies of every parameter in the canonical layout. */
  async getWeights(): Promise<CanonicalWeights> {
    this.assertLive(`${this.name}.getWeights`);
    return readParameterTensors(this.parameters);
  }

  /** Replaces every parameter; validates all shapes and values before writing any. */
  setWeights(weights: CanonicalWeights): void {
    const where = `${this.name}.setWeights`;
    this.assertLive(where);
    checkCanonicalWeights(where, this.cell, this.geometry(), weights);
    writeParameterTensors(this.backend, this.parameters, weights);
  }

  /** Releases every parameter buffer. The layer cannot be used afterwards. */
  dispose(): void {
    if (!this.disposed) {
      this.disposed = true;
      disposeParameterTensors(this.parameters);
    }
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  private assertLive(where: string): void {
    if (this.disposed) {
      throw new DisposedError(where, `this ${this.name} layer was disposed`);
    }
  }

  private geometry(): LayerGeometry {
    return {
      inputSize: this.inputSize,
      hiddenSize: this.hiddenSize,
      numLayers: this.numLayers,
      directions: this.directions,
    };
  }

  private config(): StackConfig {
    return {
      backend: this.backend,
      cells: this.cells,
      reversed: this.direction === 'bidirectional' ? [false, true] : [this.direction === 'reverse'],
      ...this.geometry(),
      merge: this.merge,
    };
  }
}
