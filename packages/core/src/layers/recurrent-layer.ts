/**
 * The public sequence layer: any cell, stacked, optionally bidirectional, time-first or
 * batch-first, with initial states, per-sample lengths, seeded dropout, backpropagation
 * through time and a streaming `step`. Validates every argument before touching the device,
 * then drives `sequence/stack-pass.ts`.
 */
import type { Backend, DeviceBuffer, MatrixView } from '../backend.js';
import type { CellDefinition, StateName } from '../cells/cell-definition.js';
import { DisposedError, ShapeError, UnsupportedError, ValueError } from '../errors.js';
import { matrixView } from '../matrix-view.js';
import { Random } from '../random.js';
import type { DirectionParameters } from '../sequence/direction-pass.js';
import {
  backwardStack,
  disposeStackStorage,
  forwardStack,
  type MergeMode,
  outputWidth,
  type StackConfig,
  type StackForward,
} from '../sequence/stack-pass.js';
import { copyKernel } from '../sequence/utility-kernels.js';
import { type HostTensor, Tensor } from '../tensor.js';
import {
  assertBackend,
  assertFiniteNumber,
  assertNonNegativeNumber,
  assertOneOf,
  assertOptionalBoolean,
  assertOptionsObject,
  assertPositiveInteger,
  checkCellOptions,
  checkHostValues,
  checkTensorArgument,
  describe,
  isCellDefinition,
} from '../validation.js';
import { type InitializerName, initialValues } from './initializers.js';
import {
  type CanonicalWeights,
  type DirectionWeights,
  type ParameterName,
  parameterNames,
  parameterShapes,
} from './parameters.js';

export type Layout = 'batch-first' | 'time-first';

export type DirectionMode = 'forward' | 'reverse' | 'bidirectional';

export interface RecurrentLayerOptions {
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** Stacked layers (default 1). */
  readonly numLayers?: number;
  /** Shorthand for `direction: 'bidirectional'` (default false). */
  readonly bidirectional?: boolean;
  /** `forward` (default), `reverse` (time runs backwards, as ONNX) or `bidirectional`. */
  readonly direction?: DirectionMode;
  /** How the final layer combines directions (default `concat`); inner layers always concat. */
  readonly merge?: MergeMode;
  /** `batch-first` `[B, T, F]` (default) or `time-first` `[T, B, F]`. */
  readonly layout?: Layout;
  /** Dropout probability on the outputs of every layer but the last, in training (default 0). */
  readonly dropout?: number;
  /** Seed for initialisation and dropout (default 0). */
  readonly seed?: number;
  readonly initializer?: InitializerName;
  /** LSTM only: initial forget-gate bias (default 1). */
  readonly forgetBias?: number;
}

export type TensorInput = HostTensor | Tensor;

export interface ForwardOptions {
  /** `[numLayers · directions, B, H]`; zeros when absent. */
  readonly initialHidden?: TensorInput;
  /** LSTM only, like `initialHidden`. */
  readonly initialCell?: TensorInput;
  /** Valid length of each sample (right-padded batches), integers in 1..T. */
  readonly sequenceLengths?: ArrayLike<number>;
  /** Keep what backward needs, and apply dropout (default false). */
  readonly training?: boolean;
  /** Reject NaN/Infinity in host inputs (default true). */
  readonly checkFinite?: boolean;
}

/** Output of a forward pass; dispose it (or let `backward` read it first, then dispose). */
export class SequenceResult {
  /** @internal */
  constructor(
    /** `[B, T, W]` or `[T, B, W]` per the layer's layout; W = H, or 2H for concat bidirectional. */
    readonly output: Tensor,
    /** `[L·D, B, H]`: the state at each sample's last valid step. */
    readonly hidden: Tensor,
    /** LSTM only: final cell states `[L·D, B, H]`. */
    readonly cell: Tensor | undefined,
    /** @internal */
    readonly pass: StackForward,
    /** @internal */
    readonly owner: RecurrentLayer,
    private readonly release: () => void,
  ) {}
  private disposed = false;
  get isDisposed(): boolean {
    return this.disposed;
  }
  dispose(): void {
    if (!this.disposed) {
      this.disposed = true;
      this.output.dispose();
      this.hidden.dispose();
      this.cell?.dispose();
      this.release();
    }
  }
}

export interface BackwardInput {
  /** Gradient of the loss w.r.t. `output` (same shape); zeros when absent. */
  readonly output?: TensorInput;
  /** Gradient w.r.t. the final hidden states `[L·D, B, H]`. */
  readonly hidden?: TensorInput;
  /** Gradient w.r.t. the final cell states (LSTM). */
  readonly cell?: TensorInput;
  /** Compute the input gradient (default true). */
  readonly inputGradient?: boolean;
  /**
   * Also return `∂L/∂h_t` for every step and layer (`LayerGradients.hiddenStates`), e.g. to
   * measure how gradients vanish with distance (default false).
   */
  readonly hiddenStateGradients?: boolean;
  readonly checkFinite?: boolean;
}

/** Gradients of one backward pass, as device tensors. */
export class LayerGradients {
  /** @internal */
  constructor(
    /** Same shape and layout as the forward input. */
    readonly input: Tensor | undefined,
    readonly initialHidden: Tensor,
    readonly initialCell: Tensor | undefined,
    /** `parameters[layer][direction][name]`, canonical layout. */
    readonly parameters: readonly (readonly Partial<Record<ParameterName, Tensor>>[])[],
    /**
     * When asked for: per layer, the total gradient w.r.t. that layer's hidden state at every
     * step, shaped like the layer's (concatenated) output in the layer's layout.
     */
    readonly hiddenStates: readonly Tensor[] = [],
  ) {}
  dispose(): void {
    this.input?.dispose();
    for (const tensor of this.hiddenStates) {
      tensor.dispose();
    }
    this.initialHidden.dispose();
    this.initialCell?.dispose();
    for (const layer of this.parameters) {
      for (const direction of layer) {
        for (const tensor of Object.values(direction)) {
          tensor?.dispose();
        }
      }
    }
  }
}

export interface StepState {
  readonly hidden: TensorInput;
  readonly cell?: TensorInput;
}

export interface StepResult {
  /** `[B, H]` output of the top layer at this step. */
  readonly output: Tensor;
  /** `[L, B, H]` states to pass to the next `step`. */
  readonly hidden: Tensor;
  readonly cell?: Tensor;
  dispose(): void;
}

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
  readonly parameters: readonly (readonly Partial<Record<ParameterName, Tensor>>[])[];
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
    const cells = Array.isArray(cell) ? (cell as readonly CellDefinition[]) : [cell as CellDefinition];
    if (cells.length === 0 || !cells.every(isCellDefinition)) {
      throw new ValueError(
        'RecurrentLayer',
        `cell is ${describe(cell)}; expected gruCell(), lstmCell(), rnnCell() (or one per direction)`,
      );
    }
    const first = cells[0]!;
    const where = `${first.displayName}`;
    assertBackend(where, backend);
    if (typeof options !== 'object' || options === null) {
      throw new ValueError(where, `options is ${describe(options)}; expected { inputSize, hiddenSize, … }`);
    }
    assertPositiveInteger(where, 'inputSize', options.inputSize);
    assertPositiveInteger(where, 'hiddenSize', options.hiddenSize);
    assertPositiveInteger(where, 'numLayers', options.numLayers ?? 1);
    assertOneOf(where, 'merge', options.merge ?? 'concat', ['concat', 'sum', 'mul', 'average']);
    assertOneOf(where, 'layout', options.layout ?? 'batch-first', ['batch-first', 'time-first']);
    assertOneOf(where, 'initializer', options.initializer ?? 'pytorch', ['pytorch', 'glorot']);
    assertNonNegativeNumber(where, 'dropout', options.dropout ?? 0, 1);
    assertOptionalBoolean(where, 'bidirectional', options.bidirectional);
    if (options.forgetBias !== undefined) {
      assertFiniteNumber(where, 'forgetBias', options.forgetBias);
    }
    for (const each of cells) {
      checkCellOptions(where, each);
    }
    if (options.seed !== undefined && !Number.isInteger(options.seed)) {
      throw new ValueError(where, `seed is ${describe(options.seed)}; expected an integer`);
    }
    assertOneOf(where, 'direction', options.direction ?? 'forward', ['forward', 'reverse', 'bidirectional']);
    if (options.bidirectional !== undefined && options.direction !== undefined) {
      if (options.bidirectional !== (options.direction === 'bidirectional')) {
        throw new ValueError(
          where,
          `bidirectional is ${options.bidirectional} but direction is '${options.direction}'`,
        );
      }
    }
    this.direction = options.direction ?? (options.bidirectional ? 'bidirectional' : 'forward');
    this.directions = this.direction === 'bidirectional' ? 2 : 1;
    if (cells.length !== 1 && cells.length !== this.directions) {
      throw new ValueError(
        where,
        `got ${cells.length} cells; expected 1 or ${this.directions} (one per direction)`,
      );
    }
    if (
      cells.some(
        (other) =>
          other.kind !== first.kind ||
          other.gates.join() !== first.gates.join() ||
          other.split !== first.split ||
          other.peepholes.join() !== first.peepholes.join(),
      )
    ) {
      throw new ValueError(where, 'per-direction cells must share kind, gates and peepholes');
    }
    this.cells =
      cells.length === this.directions ? cells : Array.from({ length: this.directions }, () => first);
    this.cell = first;
    const cell0 = first;
    this.backend = backend;
    this.inputSize = options.inputSize;
    this.hiddenSize = options.hiddenSize;
    this.numLayers = options.numLayers ?? 1;
    this.merge = options.merge ?? 'concat';
    this.layout = options.layout ?? 'batch-first';
    this.dropout = options.dropout ?? 0;
    const random = new Random(options.seed ?? 0);
    this.dropoutRandom = new Random((options.seed ?? 0) ^ 0x5eed);
    const layers: Partial<Record<ParameterName, Tensor>>[][] = [];
    for (let layer = 0; layer < this.numLayers; layer++) {
      const shapes = parameterShapes(cell0, this.geometry(), layer);
      const directions: Partial<Record<ParameterName, Tensor>>[] = [];
      for (let direction = 0; direction < this.directions; direction++) {
        const tensors: Partial<Record<ParameterName, Tensor>> = {};
        for (const name of parameterNames) {
          const shape = shapes[name];
          if (shape) {
            const values = initialValues(cell0, name, shape, this.hiddenSize, random, options);
            tensors[name] = Tensor.fromHost(backend, { data: values, shape });
          }
        }
        directions.push(tensors);
      }
      layers.push(directions);
    }
    this.parameters = layers;
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
    assertOptionsObject(
      where,
      'options',
      options,
      '{ initialHidden?, initialCell?, sequenceLengths?, training? }',
    );
    assertOptionalBoolean(where, 'training', options.training);
    assertOptionalBoolean(where, 'checkFinite', options.checkFinite);
    const { steps, batch } = this.checkInput(where, 'x', input, options.checkFinite);
    const lengths = this.checkLengths(where, options.sequenceLengths, steps, batch);
    const initialStates = this.checkInitialStates(where, options, batch);
    const owned: DeviceBuffer[] = [];
    const ownedTensors: Tensor[] = [];
    try {
      const inputView = this.toTimeMajor(input, steps, batch, this.inputSize, owned, ownedTensors);
      const mask = lengths ? this.uploadMask(lengths, steps, batch, owned) : undefined;
      const training = options.training ?? false;
      const dropoutFactors =
        training && this.dropout > 0 ? this.dropoutFactors(steps, batch, owned) : undefined;
      const initial: Partial<Record<StateName, MatrixView>> = {};
      for (const [state, value] of Object.entries(initialStates) as [StateName, TensorInput][]) {
        initial[state] = this.toMatrix(
          value,
          this.numLayers * this.directions * batch,
          this.hiddenSize,
          owned,
          ownedTensors,
        );
      }
      const pass = forwardStack(this.config(), {
        steps,
        batch,
        input: inputView,
        initialStates: initial,
        ...(mask ? { mask } : {}),
        ...(dropoutFactors ? { dropoutFactors } : {}),
        parameters: this.directionParameters(),
        keepTape: training,
      });
      const stateShape = [this.numLayers * this.directions, batch, this.hiddenSize];
      const output = this.sequenceTensor(pass.output, pass.mergedOutput, steps, batch);
      const hidden = Tensor.fromBuffer(this.backend, pass.finalStates.hidden!, stateShape);
      const cell = pass.finalStates.cell
        ? Tensor.fromBuffer(this.backend, pass.finalStates.cell, stateShape)
        : undefined;
      if (!training) {
        disposeStackStorageExceptOutput(pass, output);
        this.release(owned, ownedTensors);
        return new SequenceResult(output, hidden, cell, pass, this, () => {});
      }
      return new SequenceResult(output, hidden, cell, pass, this, () => {
        disposeStackStorage(pass);
        this.release(owned, ownedTensors);
      });
    } catch (error) {
      this.release(owned, ownedTensors);
      throw error;
    }
  }

  /** Backpropagation through time for a `forward(…, { training: true })` result. */
  backward(result: SequenceResult, upstream: BackwardInput = {}): LayerGradients {
    const where = `${this.name}.backward`;
    this.assertLive(where);
    if (!(result instanceof SequenceResult) || result.owner !== this) {
      throw new ValueError(
        where,
        `result is ${describe(result)}; expected a SequenceResult of this layer's forward`,
      );
    }
    if (result.isDisposed) {
      throw new DisposedError(where, 'result was disposed before backward');
    }
    if (!result.pass.input.keepTape) {
      throw new ValueError(
        where,
        'result comes from an inference forward; expected the result of forward(x, { training: true })',
      );
    }
    assertOptionsObject(where, 'upstream', upstream, '{ output?, hidden?, cell?, inputGradient? }');
    assertOptionalBoolean(where, 'inputGradient', upstream.inputGradient);
    assertOptionalBoolean(where, 'checkFinite', upstream.checkFinite);
    const { steps, batch } = result.pass.input;
    const stateShape = [this.numLayers * this.directions, batch, this.hiddenSize];
    const outputShape =
      this.layout === 'batch-first' ? [batch, steps, this.outputSize] : [steps, batch, this.outputSize];
    const labels =
      this.layout === 'batch-first' ? ['batch', 'steps', 'outputSize'] : ['steps', 'batch', 'outputSize'];
    const finite = { backend: this.backend, checkFinite: upstream.checkFinite ?? true };
    if (upstream.output !== undefined) {
      checkTensorArgument(where, 'output gradient', upstream.output, outputShape, labels, finite);
    }
    if (upstream.hidden !== undefined) {
      checkTensorArgument(
        where,
        'hidden gradient',
        upstream.hidden,
        stateShape,
        ['layers·directions', 'batch', 'hiddenSize'],
        finite,
      );
    }
    if (upstream.cell !== undefined) {
      if (!this.cell.states.includes('cell')) {
        throw new ValueError(where, `cell gradient given, but ${this.name} has no cell state`);
      }
      checkTensorArgument(
        where,
        'cell gradient',
        upstream.cell,
        stateShape,
        ['layers·directions', 'batch', 'hiddenSize'],
        finite,
      );
    }
    const owned: DeviceBuffer[] = [];
    const ownedTensors: Tensor[] = [];
    try {
      const outputGradient =
        upstream.output === undefined
          ? undefined
          : this.toTimeMajor(upstream.output, steps, batch, this.outputSize, owned, ownedTensors);
      const finalStates: Partial<Record<StateName, MatrixView>> = {};
      if (upstream.hidden !== undefined) {
        finalStates.hidden = this.toMatrix(
          upstream.hidden,
          stateShape[0]! * batch,
          this.hiddenSize,
          owned,
          ownedTensors,
        );
      }
      if (upstream.cell !== undefined) {
        finalStates.cell = this.toMatrix(
          upstream.cell,
          stateShape[0]! * batch,
          this.hiddenSize,
          owned,
          ownedTensors,
        );
      }
      const gradients = backwardStack(result.pass, {
        ...(outputGradient ? { output: outputGradient } : {}),
        finalStates,
        wantInputGradient: upstream.inputGradient ?? true,
        keepStateGradients: upstream.hiddenStateGradients ?? false,
      });
      const width = this.directions * this.hiddenSize;
      const hiddenStates = (gradients.hiddenStateGradients ?? []).map((buffer) =>
        this.layoutTensor(
          Tensor.fromBuffer(this.backend, buffer, [buffer.length]),
          steps,
          batch,
          width,
          width,
          batch * width,
        ),
      );
      const input = gradients.input
        ? this.layoutTensor(
            Tensor.fromBuffer(this.backend, gradients.input, [steps * batch * this.inputSize]),
            steps,
            batch,
            this.inputSize,
            this.inputSize,
          )
        : undefined;
      const parameters = gradients.parameters.map((layer, layerIndex) =>
        layer.map((direction) => {
          const shapes = parameterShapes(this.cell, this.geometry(), layerIndex);
          const tensors: Partial<Record<ParameterName, Tensor>> = {};
          for (const name of parameterNames) {
            const buffer = direction[name];
            if (buffer) {
              tensors[name] = Tensor.fromBuffer(this.backend, buffer, shapes[name]!);
            }
          }
          return tensors;
        }),
      );
      return new LayerGradients(
        input,
        Tensor.fromBuffer(this.backend, gradients.initialStates.hidden!, stateShape),
        gradients.initialStates.cell
          ? Tensor.fromBuffer(this.backend, gradients.initialStates.cell, stateShape)
          : undefined,
        parameters,
        hiddenStates,
      );
    } finally {
      this.release(owned, ownedTensors);
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
    if (this.direction !== 'forward') {
      throw new UnsupportedError(where, `a ${this.direction} layer needs the whole sequence; use forward`);
    }
    const shape = checkTensorArgument(
      where,
      'x',
      input,
      [undefined, this.inputSize],
      ['batch', `inputSize`],
      {
        backend: this.backend,
      },
    );
    const batch = shape[0]!;
    this.checkStepState(where, state, batch);
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
    const layers = [];
    for (const layer of this.parameters) {
      const directions = [];
      for (const direction of layer) {
        const values: Partial<Record<ParameterName, Float32Array | Float64Array>> = {};
        for (const name of parameterNames) {
          const tensor = direction[name];
          if (tensor) {
            values[name] = await tensor.toArray();
          }
        }
        directions.push(values);
      }
      layers.push(directions);
    }
    return { layers };
  }

  /** Replaces every parameter; validates all shapes and values before writing any. */
  setWeights(weights: CanonicalWeights): void {
    const where = `${this.name}.setWeights`;
    this.assertLive(where);
    if (!weights || !Array.isArray(weights.layers) || weights.layers.length !== this.numLayers) {
      throw new ShapeError(
        where,
        `weights.layers has ${describe(weights?.layers)}; expected ${this.numLayers} layers`,
      );
    }
    weights.layers.forEach((layer, layerIndex) => {
      if (!Array.isArray(layer) || layer.length !== this.directions) {
        throw new ShapeError(
          where,
          `weights.layers[${layerIndex}] has ${describe(layer)}; expected ${this.directions} directions`,
        );
      }
      const shapes = parameterShapes(this.cell, this.geometry(), layerIndex);
      layer.forEach((direction, directionIndex) => {
        const prefix = `weights.layers[${layerIndex}][${directionIndex}]`;
        assertOptionsObject(
          where,
          prefix,
          direction,
          `{ ${parameterNames.filter((name) => shapes[name]).join(', ')} }`,
        );
        for (const key of Object.keys(direction)) {
          if (!(parameterNames as readonly string[]).includes(key)) {
            throw new ValueError(
              where,
              `${prefix}.${key} is not a parameter; expected only ${parameterNames.filter((name) => shapes[name]).join(', ')}`,
            );
          }
        }
        for (const name of parameterNames) {
          const shape = shapes[name];
          const values = direction[name];
          const label = `${prefix}.${name}`;
          if (!shape) {
            if (values !== undefined) {
              throw new ShapeError(where, `${label} given, but this ${this.name} has no ${name}`);
            }
            continue;
          }
          checkHostValues(
            where,
            label,
            values,
            shape.reduce((a, b) => a * b, 1),
            shape.join('×'),
          );
        }
      });
    });
    weights.layers.forEach((layer: readonly DirectionWeights[], layerIndex: number) => {
      layer.forEach((direction: DirectionWeights, directionIndex: number) => {
        for (const name of parameterNames) {
          const tensor = this.parameters[layerIndex]![directionIndex]![name];
          const values = direction[name];
          if (tensor && values) {
            this.backend.write(tensor.buffer, values);
          }
        }
      });
    });
  }

  /** Releases every parameter buffer. The layer cannot be used afterwards. */
  dispose(): void {
    if (!this.disposed) {
      this.disposed = true;
      for (const layer of this.parameters) {
        for (const direction of layer) {
          for (const tensor of Object.values(direction)) {
            tensor?.dispose();
          }
        }
      }
    }
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  private release(buffers: DeviceBuffer[], tensors: Tensor[]): void {
    for (const buffer of buffers) {
      this.backend.dispose(buffer);
    }
    for (const tensor of tensors) {
      tensor.dispose();
    }
  }

  private assertLive(where: string): void {
    if (this.disposed) {
      throw new DisposedError(where, `this ${this.name} layer was disposed`);
    }
  }

  private geometry() {
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

  private directionParameters(): DirectionParameters[][] {
    return this.parameters.map((layer) =>
      layer.map((tensors) => ({
        inputWeights: tensors.inputWeights!.buffer,
        recurrentWeights: tensors.recurrentWeights!.buffer,
        inputBias: tensors.inputBias!.buffer,
        recurrentBias: tensors.recurrentBias!.buffer,
        ...(tensors.peepholes ? { peepholes: tensors.peepholes.buffer } : {}),
      })),
    );
  }

  private checkInput(where: string, name: string, input: TensorInput, checkFinite = true) {
    const labels =
      this.layout === 'batch-first' ? ['batch', 'steps', 'inputSize'] : ['steps', 'batch', 'inputSize'];
    const shape = checkTensorArgument(where, name, input, [undefined, undefined, this.inputSize], labels, {
      backend: this.backend,
      checkFinite,
    });
    return this.layout === 'batch-first'
      ? { batch: shape[0]!, steps: shape[1]! }
      : { steps: shape[0]!, batch: shape[1]! };
  }

  /** `step`'s state is `[numLayers, B, H]` per state, checked under `step`'s own name. */
  private checkStepState(where: string, state: StepState | undefined, batch: number): void {
    if (state === undefined) {
      return;
    }
    assertOptionsObject(where, 'state', state, "{ hidden, cell? } (the previous step's result)");
    const shape = [this.numLayers, batch, this.hiddenSize];
    const labels = ['numLayers', 'batch', 'hiddenSize'];
    checkTensorArgument(where, 'state.hidden', state.hidden, shape, labels, { backend: this.backend });
    if (state.cell !== undefined) {
      if (!this.cell.states.includes('cell')) {
        throw new ValueError(where, `state.cell given, but ${this.name} has no cell state`);
      }
      checkTensorArgument(where, 'state.cell', state.cell, shape, labels, { backend: this.backend });
    }
  }

  private checkLengths(where: string, lengths: ArrayLike<number> | undefined, steps: number, batch: number) {
    if (lengths === undefined) {
      return undefined;
    }
    if (typeof lengths !== 'object' || lengths === null || typeof lengths.length !== 'number') {
      throw new ValueError(
        where,
        `sequenceLengths is ${describe(lengths)}; expected an array of ${batch} integers`,
      );
    }
    if (lengths.length !== batch) {
      throw new ShapeError(where, `sequenceLengths has length ${lengths.length}; expected batch=${batch}`);
    }
    for (let index = 0; index < batch; index++) {
      const length = lengths[index];
      if (typeof length !== 'number' || !Number.isInteger(length) || length < 1 || length > steps) {
        throw new ValueError(
          where,
          `sequenceLengths[${index}] is ${describe(length)}; expected an integer in 1..${steps}`,
        );
      }
    }
    return Array.from(lengths);
  }

  private checkInitialStates(
    where: string,
    options: ForwardOptions,
    batch: number,
  ): Partial<Record<StateName, TensorInput>> {
    const shape = [this.numLayers * this.directions, batch, this.hiddenSize];
    const labels = ['layers·directions', 'batch', 'hiddenSize'];
    const check = { backend: this.backend, checkFinite: options.checkFinite ?? true };
    const states: Partial<Record<StateName, TensorInput>> = {};
    if (options.initialHidden !== undefined) {
      checkTensorArgument(where, 'initialHidden', options.initialHidden, shape, labels, check);
      states.hidden = options.initialHidden;
    }
    if (options.initialCell !== undefined) {
      if (!this.cell.states.includes('cell')) {
        throw new ValueError(where, `initialCell given, but ${this.name} has no cell state`);
      }
      checkTensorArgument(where, 'initialCell', options.initialCell, shape, labels, check);
      states.cell = options.initialCell;
    }
    return states;
  }

  /** A `[rows, cols]` matrix view of a dense host or device tensor. */
  private toMatrix(
    value: TensorInput,
    rows: number,
    cols: number,
    owned: DeviceBuffer[],
    ownedTensors: Tensor[],
  ): MatrixView {
    if (value instanceof Tensor) {
      if (value.isDense) {
        return matrixView(value.buffer, value.offset, rows, cols);
      }
      const copy = this.backend.allocate(rows * cols);
      owned.push(copy);
      const strided = value;
      // A strided [.., .., cols] tensor: copy row blocks through the pointwise path.
      this.copyStrided(strided, copy, rows, cols);
      return matrixView(copy, 0, rows, cols);
    }
    const tensor = Tensor.fromHost(this.backend, value);
    ownedTensors.push(tensor);
    return matrixView(tensor.buffer, 0, rows, cols);
  }

  private copyStrided(source: Tensor, target: DeviceBuffer, rows: number, cols: number): void {
    const outer = source.shape.length === 3 ? source.shape[0]! : 1;
    const inner = rows / outer;
    const strides = source.shape.length === 3 ? source.strides : [0, ...source.strides];
    for (let block = 0; block < outer; block++) {
      this.backend.pointwise(copyKernel, {
        rows: inner,
        units: cols,
        inputs: [
          { view: matrixView(source.buffer, source.offset + block * strides[0]!, inner, cols, strides[1]!) },
        ],
        outputs: [{ view: matrixView(target, block * inner * cols, inner, cols) }],
      });
    }
  }

  /** Time-major `[T·B, width]` view of a sequence given in this layer's layout. */
  private toTimeMajor(
    value: TensorInput,
    steps: number,
    batch: number,
    width: number,
    owned: DeviceBuffer[],
    ownedTensors: Tensor[],
  ): MatrixView {
    if (this.layout === 'time-first') {
      return this.toMatrix(value, steps * batch, width, owned, ownedTensors);
    }
    if (value instanceof Tensor) {
      // [B, T, W] → [T, B, W] on the device: one strided copy per time step.
      const copy = this.backend.allocate(steps * batch * width);
      owned.push(copy);
      const [batchStride, stepStride] = value.strides as [number, number, number];
      for (let step = 0; step < steps; step++) {
        this.backend.pointwise(copyKernel, {
          rows: batch,
          units: width,
          inputs: [
            { view: matrixView(value.buffer, value.offset + step * stepStride, batch, width, batchStride) },
          ],
          outputs: [{ view: matrixView(copy, step * batch * width, batch, width) }],
        });
      }
      return matrixView(copy, 0, steps * batch, width);
    }
    const permuted = new Float64Array(steps * batch * width);
    for (let sample = 0; sample < batch; sample++) {
      for (let step = 0; step < steps; step++) {
        for (let feature = 0; feature < width; feature++) {
          permuted[(step * batch + sample) * width + feature] =
            value.data[(sample * steps + step) * width + feature]!;
        }
      }
    }
    const tensor = Tensor.fromHost(this.backend, { data: permuted, shape: [steps * batch, width] });
    ownedTensors.push(tensor);
    return matrixView(tensor.buffer, 0, steps * batch, width);
  }

  private uploadMask(lengths: number[], steps: number, batch: number, owned: DeviceBuffer[]): DeviceBuffer {
    const mask = new Float64Array(steps * batch * this.hiddenSize);
    for (let step = 0; step < steps; step++) {
      for (let sample = 0; sample < batch; sample++) {
        if (step < lengths[sample]!) {
          mask.fill(
            1,
            (step * batch + sample) * this.hiddenSize,
            (step * batch + sample + 1) * this.hiddenSize,
          );
        }
      }
    }
    const buffer = this.backend.allocate(mask.length);
    owned.push(buffer);
    this.backend.write(buffer, mask);
    return buffer;
  }

  private dropoutFactors(steps: number, batch: number, owned: DeviceBuffer[]): DeviceBuffer[] {
    const width = this.directions * this.hiddenSize;
    const keep = 1 - this.dropout;
    const factors: DeviceBuffer[] = [];
    for (let layer = 0; layer < this.numLayers - 1; layer++) {
      const values = new Float64Array(steps * batch * width);
      for (let index = 0; index < values.length; index++) {
        values[index] = this.dropoutRandom.next() < keep ? 1 / keep : 0;
      }
      const buffer = this.backend.allocate(values.length);
      owned.push(buffer);
      this.backend.write(buffer, values);
      factors.push(buffer);
    }
    return factors;
  }

  /** Wraps the time-major output in a tensor with the layer's layout, without copying. */
  private sequenceTensor(
    view: MatrixView,
    merged: DeviceBuffer | undefined,
    steps: number,
    batch: number,
  ): Tensor {
    const width = this.outputSize;
    const base = merged
      ? Tensor.fromBuffer(this.backend, merged, [merged.length])
      : Tensor.fromBuffer(this.backend, view.buffer, [view.buffer.length]);
    const tensor = this.layoutTensor(base, steps, batch, width, view.rowStride, view.offset);
    return tensor;
  }

  /** A `[B, T, W]`/`[T, B, W]` view of time-major rows (takes over `base`). */
  private layoutTensor(
    base: Tensor,
    steps: number,
    batch: number,
    width: number,
    rowStride: number,
    offset = 0,
  ): Tensor {
    const shape = this.layout === 'batch-first' ? [batch, steps, width] : [steps, batch, width];
    const strides =
      this.layout === 'batch-first' ? [rowStride, batch * rowStride, 1] : [batch * rowStride, rowStride, 1];
    const view = base.view(shape, strides, offset);
    base.dispose();
    return view;
  }
}

/**
 * Inference passes hand the output's storage to the result: release everything else now.
 * The output is either a view of the top layer's hidden-state slots, a masked copy, or a merge.
 */
function disposeStackStorageExceptOutput(pass: StackForward, output: Tensor): void {
  const { backend } = pass.config;
  const keep = output.buffer;
  pass.disposeTape();
  for (const record of pass.layers) {
    for (const buffer of Object.values(record.states)) {
      if (buffer !== keep) {
        backend.dispose(buffer);
      }
    }
    if (record.ownedOutput && record.ownedOutput !== keep) {
      backend.dispose(record.ownedOutput);
    }
  }
}

function sequenceOfOne(input: TensorInput, batch: number, inputSize: number, layout: Layout): TensorInput {
  const shape = layout === 'batch-first' ? [batch, 1, inputSize] : [1, batch, inputSize];
  if (input instanceof Tensor) {
    return input.view(
      shape,
      layout === 'batch-first' ? [input.strides[0]!, 0, 1] : [0, input.strides[0]!, 1],
      input.offset,
    );
  }
  return { data: input.data, shape };
}
