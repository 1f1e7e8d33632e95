/**
 * What the layer hands the stack passes: checked call arguments turned into time-major device
 * views (`device-layout.ts`), plus the factors a forward pass multiplies by, built on the host
 * and uploaded once per pass: the 0/1 mask of valid steps (`sequenceLengths`) and the dropout
 * factors. Everything uploaded or copied is recorded in the caller's `OwnedStorage`.
 */
import type { Backend, DeviceBuffer, MatrixView } from '../backend.js';
import type { StateName } from '../cells/cell-definition.js';
import type { Random } from '../random.js';
import type { StackGradientInput } from '../sequence/stack-backward.js';
import type { StackForwardInput } from '../sequence/stack-forward-result.js';
import type { BackwardInput, ForwardArguments, TensorInput } from './call-arguments.js';
import { type OwnedStorage, toMatrix, toTimeMajor } from './device-layout.js';
import { directionParametersOf } from './parameter-tensors.js';
import type { RecurrentLayer } from './recurrent-layer.js';

/** The stack pass's input for one `forward` call. */
export function stackForwardInput(
  layer: RecurrentLayer,
  dropoutRandom: Random,
  input: TensorInput,
  { steps, batch, lengths, initialStates }: ForwardArguments,
  training: boolean,
  owned: OwnedStorage,
): StackForwardInput {
  const { backend, numLayers, directions, hiddenSize } = layer;
  const inputView = toTimeMajor(layer, input, steps, batch, layer.inputSize, owned);
  const mask = lengths ? uploadLengthMask(backend, lengths, steps, batch, hiddenSize, owned) : undefined;
  const dropoutFactors =
    training && layer.dropout > 0
      ? uploadDropoutFactors(
          backend,
          dropoutRandom,
          layer.dropout,
          numLayers - 1,
          steps * batch,
          directions * hiddenSize,
          owned,
        )
      : undefined;
  const initial: Partial<Record<StateName, MatrixView>> = {};
  for (const [state, value] of Object.entries(initialStates) as [StateName, TensorInput][]) {
    initial[state] = toMatrix(backend, value, numLayers * directions * batch, hiddenSize, owned);
  }
  return {
    steps,
    batch,
    input: inputView,
    initialStates: initial,
    ...(mask ? { mask } : {}),
    ...(dropoutFactors ? { dropoutFactors } : {}),
    parameters: directionParametersOf(layer.parameters),
    keepTape: training,
  };
}

/** The stack pass's upstream gradients for one `backward` call, in time-major rows. */
export function stackGradientInput(
  layer: RecurrentLayer,
  upstream: BackwardInput,
  steps: number,
  batch: number,
  owned: OwnedStorage,
): StackGradientInput {
  const outputGradient =
    upstream.output === undefined
      ? undefined
      : toTimeMajor(layer, upstream.output, steps, batch, layer.outputSize, owned);
  const finalStates: Partial<Record<StateName, MatrixView>> = {};
  for (const state of ['hidden', 'cell'] as const) {
    const gradient = upstream[state];
    if (gradient !== undefined) {
      const rows = layer.numLayers * layer.directions * batch;
      finalStates[state] = toMatrix(layer.backend, gradient, rows, layer.hiddenSize, owned);
    }
  }
  return {
    ...(outputGradient ? { output: outputGradient } : {}),
    finalStates,
    wantInputGradient: upstream.inputGradient ?? true,
    keepStateGradients: upstream.hiddenStateGradients ?? false,
  };
}

/** `[T, B, H]`: 1 where step t is within sample b's length, else 0. */
function uploadLengthMask(
  backend: Backend,
  lengths: readonly number[],
  steps: number,
  batch: number,
  hiddenSize: number,
  owned: OwnedStorage,
): DeviceBuffer {
  const mask = new Float64Array(steps * batch * hiddenSize);
  for (let step = 0; step < steps; step++) {
    for (let sample = 0; sample < batch; sample++) {
      if (step < lengths[sample]!) {
        mask.fill(1, (step * batch + sample) * hiddenSize, (step * batch + sample + 1) * hiddenSize);
      }
    }
  }
  const buffer = backend.allocate(mask.length);
  owned.buffers.push(buffer);
  backend.write(buffer, mask);
  return buffer;
}

/**
 * One `[T·B, width]` buffer per layer below the top: each element kept with probability
 * `1 − dropout` and then scaled by `1 / (1 − dropout)` (inverted dropout), else 0. Draws from
 * `random` in element order, layer by layer, so a seed fixes the masks.
 */
function uploadDropoutFactors(
  backend: Backend,
  random: Random,
  dropout: number,
  layers: number,
  rows: number,
  width: number,
  owned: OwnedStorage,
): DeviceBuffer[] {
  const keep = 1 - dropout;
  const factors: DeviceBuffer[] = [];
  for (let layer = 0; layer < layers; layer++) {
    const values = new Float64Array(rows * width);
    for (let index = 0; index < values.length; index++) {
      values[index] = random.next() < keep ? 1 / keep : 0;
    }
    const buffer = backend.allocate(values.length);
    owned.buffers.push(buffer);
    backend.write(buffer, values);
    factors.push(buffer);
  }
  return factors;
}
