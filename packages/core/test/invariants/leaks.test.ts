/**
 * Ownership: every device buffer a call creates is released by disposing what the call returned.
 * `backend.liveBufferCount()` must be unchanged after forward+backward+dispose, after inference
 * forward+dispose and after step+dispose, for every cell, direction and merge mode, with host
 * inputs or device tensors (dense and batch-first strided), lengths, initial states and dropout.
 */
import { describe, expect, it } from 'vitest';
import { type DirectionMode, type MergeMode, type RecurrentLayer, Tensor } from '../../src/index.js';
import { createReferenceBackend } from '../../src/reference/index.js';
import {
  cellVariants,
  hasCellState,
  newRandom,
  randomValues,
  toLayout,
  variantNames,
} from './layer-cases.js';

const backend = createReferenceBackend();
const [batch, steps, inputSize, hiddenSize, numLayers] = [3, 4, 2, 3, 2];

const configurations: { direction: DirectionMode; merge: MergeMode; deviceInputs: boolean }[] = [
  { direction: 'forward', merge: 'concat', deviceInputs: false },
  { direction: 'forward', merge: 'concat', deviceInputs: true },
  { direction: 'reverse', merge: 'concat', deviceInputs: true },
  { direction: 'bidirectional', merge: 'concat', deviceInputs: false },
  { direction: 'bidirectional', merge: 'sum', deviceInputs: true },
  { direction: 'bidirectional', merge: 'mul', deviceInputs: false },
  { direction: 'bidirectional', merge: 'average', deviceInputs: true },
];
const cases = variantNames.flatMap((variant) =>
  configurations.flatMap((configuration) =>
    (['batch-first', 'time-first'] as const).map((layout) => ({ variant, layout, ...configuration })),
  ),
);

/** Host data, or the same data uploaded (the caller disposes what it uploaded). */
function argument(host: { data: Float64Array; shape: number[] }, device: boolean, uploaded: Tensor[]) {
  if (!device) {
    return host;
  }
  const tensor = Tensor.fromHost(backend, host);
  uploaded.push(tensor);
  return tensor;
}

function inputs(layer: RecurrentLayer, device: boolean, uploaded: Tensor[]) {
  const random = newRandom(1);
  const stateShape = [layer.numLayers * layer.directions, batch, hiddenSize];
  const stateSize = stateShape.reduce((a, b) => a * b, 1);
  const state = () =>
    argument({ data: randomValues(random, stateSize), shape: stateShape }, device, uploaded);
  return {
    x: argument(
      toLayout(randomValues(random, batch * steps * inputSize), batch, steps, inputSize, layer.layout),
      device,
      uploaded,
    ),
    options: {
      initialHidden: state(),
      ...(hasCellState(layer) ? { initialCell: state() } : {}),
      sequenceLengths: [steps, 1, 2],
    },
    upstream: {
      output: argument(
        toLayout(
          randomValues(random, batch * steps * layer.outputSize),
          batch,
          steps,
          layer.outputSize,
          layer.layout,
        ),
        device,
        uploaded,
      ),
      hidden: state(),
      ...(hasCellState(layer) ? { cell: state() } : {}),
    },
  };
}

describe('no buffer outlives its owner', () => {
  it.each(cases)('$variant $direction/$merge, $layout, device inputs: $deviceInputs', async (testCase) => {
    const beforeLayer = backend.liveBufferCount();
    const layer = cellVariants[testCase.variant](backend, {
      inputSize,
      hiddenSize,
      numLayers,
      direction: testCase.direction,
      merge: testCase.merge,
      layout: testCase.layout,
      dropout: 0.3,
      seed: 2,
    });
    const live = backend.liveBufferCount();
    const uploaded: Tensor[] = [];
    const { x, options, upstream } = inputs(layer, testCase.deviceInputs, uploaded);
    const withInputs = backend.liveBufferCount();

    const training = layer.forward(x, { ...options, training: true });
    await training.output.toArray();
    const gradients = layer.backward(training, upstream);
    await gradients.input!.toArray();
    gradients.dispose();
    training.dispose();
    expect(backend.liveBufferCount(), 'after forward + backward + dispose').toBe(withInputs);

    // Backward without the input gradient, and backward from final states only.
    const again = layer.forward(x, { ...options, training: true });
    layer.backward(again, { hidden: upstream.hidden, inputGradient: false }).dispose();
    again.dispose();
    expect(backend.liveBufferCount(), 'after backward without input gradient').toBe(withInputs);

    const inference = layer.forward(x, options);
    await inference.hidden.toArray();
    inference.dispose();
    expect(backend.liveBufferCount(), 'after inference forward + dispose').toBe(withInputs);

    if (testCase.direction === 'forward') {
      const stepState = layer.step(
        testCase.deviceInputs
          ? argument(
              { data: randomValues(newRandom(3), batch * inputSize), shape: [batch, inputSize] },
              true,
              uploaded,
            )
          : { data: randomValues(newRandom(3), batch * inputSize), shape: [batch, inputSize] },
      );
      const next = layer.step(
        { data: randomValues(newRandom(4), batch * inputSize), shape: [batch, inputSize] },
        { hidden: stepState.hidden, ...(stepState.cell ? { cell: stepState.cell } : {}) },
      );
      await next.output.toArray();
      stepState.dispose();
      next.dispose();
      expect(backend.liveBufferCount(), 'after step + dispose').toBe(
        withInputs + (testCase.deviceInputs ? 1 : 0),
      );
    }
    for (const tensor of uploaded) {
      tensor.dispose();
    }
    expect(backend.liveBufferCount(), 'after disposing the inputs').toBe(live);
    layer.dispose();
    expect(backend.liveBufferCount(), 'after disposing the layer').toBe(beforeLayer);
  });
});
