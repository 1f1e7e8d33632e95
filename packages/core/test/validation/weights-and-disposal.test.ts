/**
 * Bad weights for `setWeights` (validated completely before any tensor is written, so a bad
 * second layer leaves the first one untouched), and every entry point used after `dispose()`:
 * the layer's methods, results and tensors, each with a {@link DisposedError} naming where.
 */
import { describe, expect, it } from 'vitest';
import {
  type CanonicalWeights,
  createLstm,
  DisposedError,
  DTypeError,
  type RecurrentLayer,
  type SequenceResult,
  ShapeError,
  Tensor,
  ValueError,
} from '../../src/index.js';
import { createReferenceBackend } from '../../src/reference/index.js';
import { type BadCall, batch, expectRejectedWithoutSideEffects, type Subject, sizes } from './rejection.js';

const bogus = <T>(value: unknown) => value as T;

/** The GRU's current weights with one entry replaced (layer 1 so that layer 0 would be written first). */
async function edited(
  subject: Subject,
  edit: (direction: Record<string, unknown>) => void,
  layer = 1,
): Promise<CanonicalWeights> {
  const weights = await subject.gru.getWeights();
  const layers = weights.layers.map((directions) => directions.map((direction) => ({ ...direction })));
  // Layer 0 gets different valid values: if anything were written before validation, it would show.
  layers[0]![0]!.inputBias = Array.from(layers[0]![0]!.inputBias!, (value) => value + 1);
  edit(layers[layer]![0]! as Record<string, unknown>);
  return { layers };
}

/** setWeights is synchronous; the weights to pass are built asynchronously in a wrapper. */
function setWeightsCase(
  name: string,
  error: BadCall['error'],
  message: string[],
  edit: (direction: Record<string, unknown>) => void,
  layer = 1,
): BadCall {
  return {
    name,
    error,
    message,
    act: async (subject) => subject.gru.setWeights(await edited(subject, edit, layer)),
  };
}

const weightCases: BadCall[] = [
  setWeightsCase(
    'NaN in a weight',
    ValueError,
    ['GRU.setWeights: ', 'weights.layers[1][0].recurrentWeights[3] is NaN', 'expected a finite number'],
    (direction) => {
      const values = Array.from(direction.recurrentWeights as ArrayLike<number>);
      values[3] = Number.NaN;
      direction.recurrentWeights = values;
    },
  ),
  setWeightsCase(
    'Infinity in a bias',
    ValueError,
    ['GRU.setWeights: ', 'weights.layers[1][0].recurrentBias[0] is Infinity', 'expected a finite number'],
    (direction) => {
      direction.recurrentBias = Array.from(
        direction.recurrentBias as ArrayLike<number>,
        () => Number.POSITIVE_INFINITY,
      );
    },
  ),
  setWeightsCase(
    'too few values',
    ShapeError,
    ['GRU.setWeights: ', 'weights.layers[1][0].inputWeights has 11 values', 'expected 12 [6×2]'],
    (direction) => {
      direction.inputWeights = Array.from(direction.inputWeights as ArrayLike<number>).slice(1);
    },
  ),
  setWeightsCase(
    'a tensor missing',
    ShapeError,
    ['GRU.setWeights: ', 'weights.layers[1][0].recurrentBias is missing', 'expected 6 values [6]'],
    (direction) => {
      delete direction.recurrentBias;
    },
  ),
  setWeightsCase(
    'peepholes on a GRU',
    ShapeError,
    ['GRU.setWeights: ', 'weights.layers[1][0].peepholes given', 'this GRU has no peepholes'],
    (direction) => {
      direction.peepholes = [1, 2, 3, 4, 5, 6];
    },
  ),
  setWeightsCase(
    'strings instead of numbers',
    ValueError,
    ['GRU.setWeights: ', "weights.layers[1][0].inputBias[0] is '1'", 'expected a finite number'],
    (direction) => {
      direction.inputBias = new Array(6).fill('1');
    },
  ),
  setWeightsCase(
    'a string instead of an array',
    DTypeError,
    ['GRU.setWeights: ', "weights.layers[1][0].inputBias is 'abcdef'", 'expected an array of 6 numbers [6]'],
    (direction) => {
      direction.inputBias = 'abcdef';
    },
  ),
  setWeightsCase(
    'a misspelt parameter name',
    ValueError,
    ['GRU.setWeights: ', 'weights.layers[1][0].inputBiases is not a parameter', 'expected only inputWeights'],
    (direction) => {
      direction.inputBiases = direction.inputBias;
    },
  ),
  {
    name: 'a direction that is not an object',
    error: ValueError,
    message: [
      'GRU.setWeights: ',
      'weights.layers[1][0] is null',
      'expected { inputWeights, recurrentWeights',
    ],
    act: async ({ gru }) => {
      const weights = await gru.getWeights();
      gru.setWeights({ layers: [weights.layers[0]!, [bogus(null)]] });
    },
  },
  {
    name: 'the wrong number of layers',
    error: ShapeError,
    message: ['GRU.setWeights: ', 'weights.layers has an array of length 1', 'expected 2 layers'],
    act: async ({ gru }) => {
      const weights = await gru.getWeights();
      gru.setWeights({ layers: [weights.layers[0]!] });
    },
  },
  {
    name: 'the wrong number of directions',
    error: ShapeError,
    message: ['GRU.setWeights: ', 'weights.layers[0] has an array of length 2', 'expected 1 directions'],
    act: async ({ gru }) => {
      const weights = await gru.getWeights();
      gru.setWeights({ layers: [[weights.layers[0]![0]!, weights.layers[0]![0]!], weights.layers[1]!] });
    },
  },
  {
    name: 'weights null',
    error: ShapeError,
    message: ['GRU.setWeights: ', 'weights.layers has undefined', 'expected 2 layers'],
    act: ({ gru }) => gru.setWeights(bogus(null)),
  },
  {
    name: 'peepholes missing on a peephole LSTM',
    error: ShapeError,
    message: ['LSTM.setWeights: ', 'weights.layers[0][0].peepholes is missing', 'expected 6 values [6]'],
    arrange: ({ backend, track }) => track(createLstm(backend, { ...sizes, peepholes: true })),
    act: async (_subject, layer: RecurrentLayer) => {
      const weights = await layer.getWeights();
      const { peepholes: _dropped, ...rest } = weights.layers[0]![0]!;
      layer.setWeights({ layers: [[rest]] });
    },
  },
];

const disposedCases: BadCall[] = [
  {
    name: 'forward after the layer was disposed',
    error: DisposedError,
    message: ['GRU.forward: ', 'this GRU layer was disposed'],
    act: ({ gru, x }) => {
      gru.dispose();
      return gru.forward(x);
    },
  },
  {
    name: 'backward after the layer was disposed',
    error: DisposedError,
    message: ['GRU.backward: ', 'this GRU layer was disposed'],
    arrange: ({ gru, x, track }) => track(gru.forward(x, { training: true })),
    act: ({ gru }, result: SequenceResult) => {
      gru.dispose();
      return gru.backward(result);
    },
  },
  {
    name: 'step after the layer was disposed',
    error: DisposedError,
    message: ['LSTM.step: ', 'this LSTM layer was disposed'],
    act: ({ lstm }) => {
      lstm.dispose();
      return lstm.step({ data: new Float64Array(batch * sizes.inputSize), shape: [batch, sizes.inputSize] });
    },
  },
  {
    name: 'setWeights after the layer was disposed',
    error: DisposedError,
    message: ['GRU.setWeights: ', 'this GRU layer was disposed'],
    act: async ({ gru }) => {
      const weights = await gru.getWeights();
      gru.dispose();
      gru.setWeights(weights);
    },
  },
  {
    name: 'getWeights after the layer was disposed (rejects)',
    error: DisposedError,
    message: ['GRU.getWeights: ', 'this GRU layer was disposed'],
    act: ({ gru }) => {
      gru.dispose();
      return gru.getWeights();
    },
  },
  {
    name: 'Tensor.toArray after dispose (rejects)',
    error: DisposedError,
    message: ['Tensor.toArray: ', 'tensor of shape [2,3] was disposed'],
    arrange: ({ backend }) => {
      const tensor = Tensor.fromHost(backend, { data: [1, 2, 3, 4, 5, 6], shape: [2, 3] });
      tensor.dispose();
      return tensor;
    },
    act: (_subject, tensor: Tensor) => tensor.toArray(),
  },
  {
    name: "a result's output read after the result was disposed (rejects)",
    error: DisposedError,
    message: ['Tensor.toArray: ', 'tensor of shape [2,4,2] was disposed'],
    arrange: ({ gru, x }) => {
      const result = gru.forward(x);
      result.dispose();
      return result;
    },
    act: (_subject, result: SequenceResult) => result.output.toArray(),
  },
  {
    name: 'a view of a disposed tensor',
    error: DisposedError,
    message: ['Tensor.view: ', 'tensor of shape [2,3] was disposed'],
    arrange: ({ backend }) => {
      const tensor = Tensor.fromHost(backend, { data: [1, 2, 3, 4, 5, 6], shape: [2, 3] });
      tensor.dispose();
      return tensor;
    },
    act: (_subject, tensor: Tensor) => tensor.view([3, 2], [2, 1], 0),
  },
];

describe('setWeights validates everything before writing anything', () => {
  it.each(weightCases)('$name', (badCall) => expectRejectedWithoutSideEffects(badCall));
});

describe('use after dispose', () => {
  it.each(disposedCases)('$name', (badCall) => expectRejectedWithoutSideEffects(badCall));

  it('disposing twice is harmless', () => {
    const backend = createReferenceBackend();
    const layer = createLstm(backend, sizes);
    const result = layer.forward({ data: new Float64Array(2 * 3 * 3), shape: [2, 3, 3] });
    result.dispose();
    result.dispose();
    layer.dispose();
    layer.dispose();
    expect(backend.liveBufferCount()).toBe(0);
  });
});
