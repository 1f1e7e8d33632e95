/**
 * What `forward`, `backward` and `step` accept, and the checks of it. Every argument is checked
 * (shape, values, options) before anything touches the device; errors name the call, the
 * argument, what was expected and what was received.
 */
import type { StateName } from '../cells/cell-definition.js';
import { DisposedError, ShapeError, UnsupportedError, ValueError } from '../errors.js';
import type { HostTensor, Tensor } from '../tensor.js';
import { assertOptionalBoolean, assertOptionsObject, checkTensorArgument, describe } from '../validation.js';
import type { RecurrentLayer } from './recurrent-layer.js';
import { SequenceResult } from './sequence-result.js';

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

export interface StepState {
  readonly hidden: TensorInput;
  readonly cell?: TensorInput;
}

/** The checked arguments of `forward`. */
export interface ForwardArguments {
  readonly steps: number;
  readonly batch: number;
  readonly lengths: number[] | undefined;
  readonly initialStates: Partial<Record<StateName, TensorInput>>;
}

export function checkForwardArguments(
  layer: RecurrentLayer,
  where: string,
  input: TensorInput,
  options: ForwardOptions,
): ForwardArguments {
  assertOptionsObject(
    where,
    'options',
    options,
    '{ initialHidden?, initialCell?, sequenceLengths?, training? }',
  );
  assertOptionalBoolean(where, 'training', options.training);
  assertOptionalBoolean(where, 'checkFinite', options.checkFinite);
  const { steps, batch } = checkInput(layer, where, 'x', input, options.checkFinite);
  const lengths = checkLengths(where, options.sequenceLengths, steps, batch);
  const initialStates = checkInitialStates(layer, where, options, batch);
  return { steps, batch, lengths, initialStates };
}

/** Checks that `result` is a live training result of `layer`, and the shapes of `upstream`. */
export function checkBackwardArguments(
  layer: RecurrentLayer,
  where: string,
  result: SequenceResult,
  upstream: BackwardInput,
): void {
  if (!(result instanceof SequenceResult) || result.owner !== layer) {
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
  const stateShape = [layer.numLayers * layer.directions, batch, layer.hiddenSize];
  const outputShape =
    layer.layout === 'batch-first' ? [batch, steps, layer.outputSize] : [steps, batch, layer.outputSize];
  const labels =
    layer.layout === 'batch-first' ? ['batch', 'steps', 'outputSize'] : ['steps', 'batch', 'outputSize'];
  const finite = { backend: layer.backend, checkFinite: upstream.checkFinite ?? true };
  if (upstream.output !== undefined) {
    checkTensorArgument(where, 'output gradient', upstream.output, outputShape, labels, finite);
  }
  const stateLabels = ['layers·directions', 'batch', 'hiddenSize'];
  if (upstream.hidden !== undefined) {
    checkTensorArgument(where, 'hidden gradient', upstream.hidden, stateShape, stateLabels, finite);
  }
  if (upstream.cell !== undefined) {
    if (!layer.cell.states.includes('cell')) {
      throw new ValueError(where, `cell gradient given, but ${layer.name} has no cell state`);
    }
    checkTensorArgument(where, 'cell gradient', upstream.cell, stateShape, stateLabels, finite);
  }
}

/** Checks `step`'s arguments; returns the batch size. */
export function checkStepArguments(
  layer: RecurrentLayer,
  where: string,
  input: TensorInput,
  state: StepState | undefined,
): number {
  if (layer.direction !== 'forward') {
    throw new UnsupportedError(where, `a ${layer.direction} layer needs the whole sequence; use forward`);
  }
  const shape = checkTensorArgument(where, 'x', input, [undefined, layer.inputSize], ['batch', `inputSize`], {
    backend: layer.backend,
  });
  const batch = shape[0]!;
  checkStepState(layer, where, state, batch);
  return batch;
}

function checkInput(
  layer: RecurrentLayer,
  where: string,
  name: string,
  input: TensorInput,
  checkFinite = true,
) {
  const labels =
    layer.layout === 'batch-first' ? ['batch', 'steps', 'inputSize'] : ['steps', 'batch', 'inputSize'];
  const shape = checkTensorArgument(where, name, input, [undefined, undefined, layer.inputSize], labels, {
    backend: layer.backend,
    checkFinite,
  });
  return layer.layout === 'batch-first'
    ? { batch: shape[0]!, steps: shape[1]! }
    : { steps: shape[0]!, batch: shape[1]! };
}

/** `step`'s state is `[numLayers, B, H]` per state, checked under `step`'s own name. */
function checkStepState(
  layer: RecurrentLayer,
  where: string,
  state: StepState | undefined,
  batch: number,
): void {
  if (state === undefined) {
    return;
  }
  assertOptionsObject(where, 'state', state, "{ hidden, cell? } (the previous step's result)");
  const shape = [layer.numLayers, batch, layer.hiddenSize];
  const labels = ['numLayers', 'batch', 'hiddenSize'];
  checkTensorArgument(where, 'state.hidden', state.hidden, shape, labels, { backend: layer.backend });
  if (state.cell !== undefined) {
    if (!layer.cell.states.includes('cell')) {
      throw new ValueError(where, `state.cell given, but ${layer.name} has no cell state`);
    }
    checkTensorArgument(where, 'state.cell', state.cell, shape, labels, { backend: layer.backend });
  }
}

function checkLengths(where: string, lengths: ArrayLike<number> | undefined, steps: number, batch: number) {
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

function checkInitialStates(
  layer: RecurrentLayer,
  where: string,
  options: ForwardOptions,
  batch: number,
): Partial<Record<StateName, TensorInput>> {
  const shape = [layer.numLayers * layer.directions, batch, layer.hiddenSize];
  const labels = ['layers·directions', 'batch', 'hiddenSize'];
  const check = { backend: layer.backend, checkFinite: options.checkFinite ?? true };
  const states: Partial<Record<StateName, TensorInput>> = {};
  if (options.initialHidden !== undefined) {
    checkTensorArgument(where, 'initialHidden', options.initialHidden, shape, labels, check);
    states.hidden = options.initialHidden;
  }
  if (options.initialCell !== undefined) {
    if (!layer.cell.states.includes('cell')) {
      throw new ValueError(where, `initialCell given, but ${layer.name} has no cell state`);
    }
    checkTensorArgument(where, 'initialCell', options.initialCell, shape, labels, check);
    states.cell = options.initialCell;
  }
  return states;
}
