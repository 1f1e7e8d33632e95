/**
 * Bad arguments to `forward`: input shapes, dtypes and values, `sequenceLengths`, initial states,
 * options, and tensors that were disposed or live on another backend instance.
 */
import { describe, it } from 'vitest';
import {
  createGru,
  DisposedError,
  DTypeError,
  type RecurrentLayer,
  ShapeError,
  Tensor,
  ValueError,
} from '../../src/index.js';
import { createReferenceBackend } from '../../src/reference/index.js';
import { type BadCall, batch, expectRejectedWithoutSideEffects, sizes, steps } from './rejection.js';

const bogus = <T>(value: unknown) => value as T;
const values = (count: number, at?: number, value?: unknown) =>
  Array.from({ length: count }, (_, index) => (index === at ? value : 0.1 * index)) as number[];
const inputSize = sizes.inputSize;
const xSize = batch * steps * inputSize;
const gruState = [2, batch, sizes.hiddenSize];
const lstmState = [1, batch, sizes.hiddenSize];
const otherBackend = createReferenceBackend();

const cases: BadCall[] = [
  {
    name: 'x of rank 2',
    error: ShapeError,
    message: ['GRU.forward: ', 'x has shape [4,8]', 'expected [batch, steps, inputSize=3]'],
    act: ({ gru }) => gru.forward({ data: values(32), shape: [4, 8] }),
  },
  {
    name: 'x with the wrong inputSize',
    error: ShapeError,
    message: ['GRU.forward: ', 'x has shape [2,4,4]', 'expected [batch, steps, inputSize=3]'],
    act: ({ gru }) => gru.forward({ data: values(32), shape: [2, 4, 4] }),
  },
  {
    name: 'x with the wrong inputSize, time-first',
    error: ShapeError,
    message: ['GRU.forward: ', 'x has shape [4,2,5]', 'expected [steps, batch, inputSize=3]'],
    arrange: ({ backend, track }) => track(createGru(backend, { ...sizes, layout: 'time-first' })),
    act: (_subject, layer: RecurrentLayer) => layer.forward({ data: values(40), shape: [4, 2, 5] }),
  },
  {
    name: 'x with fewer values than its shape',
    error: ShapeError,
    message: ['GRU.forward: ', 'x has 23 values for shape [2,4,3]', 'expected 24'],
    act: ({ gru }) => gru.forward({ data: values(23), shape: [2, 4, 3] }),
  },
  {
    name: 'x with an empty axis',
    error: ShapeError,
    message: ['GRU.forward: ', 'x has shape [0,4,3]', 'every dimension must be ≥ 1'],
    act: ({ gru }) => gru.forward({ data: [], shape: [0, 4, 3] }),
  },
  {
    name: 'x with a negative axis',
    error: ShapeError,
    message: ['GRU.forward: ', 'x.shape is [-1,4,3]', 'expected non-negative integers'],
    act: ({ gru }) => gru.forward({ data: [], shape: [-1, 4, 3] }),
  },
  {
    name: 'x with a fractional axis',
    error: ShapeError,
    message: ['GRU.forward: ', 'x.shape is [1.5,4,3]', 'expected non-negative integers'],
    act: ({ gru }) => gru.forward({ data: values(18), shape: [1.5, 4, 3] }),
  },
  {
    name: 'x of strings',
    error: ValueError,
    message: ['GRU.forward: ', "x[0] is 'a'", 'expected a finite number'],
    act: ({ gru }) => gru.forward({ data: bogus(new Array(xSize).fill('a')), shape: [2, 4, 3] }),
  },
  {
    name: 'x with NaN',
    error: ValueError,
    message: ['GRU.forward: ', 'x[5] is NaN', 'expected a finite number'],
    act: ({ gru }) => gru.forward({ data: values(xSize, 5, Number.NaN), shape: [2, 4, 3] }),
  },
  {
    name: 'x with Infinity',
    error: ValueError,
    message: ['GRU.forward: ', 'x[23] is Infinity', 'expected a finite number'],
    act: ({ gru }) => gru.forward({ data: values(xSize, 23, Number.POSITIVE_INFINITY), shape: [2, 4, 3] }),
  },
  {
    name: 'x null',
    error: DTypeError,
    message: ['GRU.forward: ', 'x is null', 'expected a Tensor or { data, shape }'],
    act: ({ gru }) => gru.forward(bogus(null)),
  },
  {
    name: 'x a string',
    error: DTypeError,
    message: ['GRU.forward: ', "x is 'abc'", 'expected a Tensor or { data, shape }'],
    act: ({ gru }) => gru.forward(bogus('abc')),
  },
  {
    name: 'x a nested array',
    error: DTypeError,
    message: ['GRU.forward: ', 'x is an array of length 2', 'expected a Tensor or { data, shape }'],
    act: ({ gru }) => gru.forward(bogus([[[1, 2, 3]], [[4, 5, 6]]])),
  },
  {
    name: 'x data in a DataView',
    error: DTypeError,
    message: ['GRU.forward: ', 'x is an object (data, shape)', 'expected a Tensor or { data, shape }'],
    act: ({ gru }) =>
      gru.forward(bogus({ data: new DataView(new ArrayBuffer(8 * xSize)), shape: [2, 4, 3] })),
  },
  {
    name: 'x data of bigints',
    error: ValueError,
    message: ['GRU.forward: ', 'x[0] is bigint', 'expected a finite number'],
    act: ({ gru }) => gru.forward(bogus({ data: new BigInt64Array(xSize), shape: [2, 4, 3] })),
  },
  {
    name: 'x a disposed tensor',
    error: DisposedError,
    message: ['GRU.forward: ', 'tensor of shape [2,4,3] was disposed'],
    arrange: ({ backend }) => {
      const tensor = Tensor.fromHost(backend, { data: values(xSize), shape: [2, 4, 3] });
      tensor.dispose();
      return tensor;
    },
    act: ({ gru }, tensor: Tensor) => gru.forward(tensor),
  },
  {
    name: 'x a tensor of another backend instance',
    error: DTypeError,
    message: [
      'GRU.forward: ',
      'x lives on another backend instance',
      "expected a tensor of this layer's backend",
    ],
    arrange: () => Tensor.fromHost(otherBackend, { data: values(xSize), shape: [2, 4, 3] }),
    act: ({ gru }, tensor: Tensor) => {
      try {
        return gru.forward(tensor);
      } finally {
        tensor.dispose();
      }
    },
  },
  {
    name: 'sequenceLengths of the wrong length',
    error: ShapeError,
    message: ['GRU.forward: ', 'sequenceLengths has length 3', 'expected batch=2'],
    act: ({ gru, x }) => gru.forward(x, { sequenceLengths: [4, 4, 4] }),
  },
  {
    name: 'sequenceLengths with 0',
    error: ValueError,
    message: ['GRU.forward: ', 'sequenceLengths[1] is 0', 'expected an integer in 1..4'],
    act: ({ gru, x }) => gru.forward(x, { sequenceLengths: [4, 0] }),
  },
  {
    name: 'sequenceLengths beyond T',
    error: ValueError,
    message: ['GRU.forward: ', 'sequenceLengths[0] is 5', 'expected an integer in 1..4'],
    act: ({ gru, x }) => gru.forward(x, { sequenceLengths: [5, 4] }),
  },
  {
    name: 'sequenceLengths fractional',
    error: ValueError,
    message: ['GRU.forward: ', 'sequenceLengths[0] is 2.5', 'expected an integer in 1..4'],
    act: ({ gru, x }) => gru.forward(x, { sequenceLengths: [2.5, 4] }),
  },
  {
    name: 'sequenceLengths NaN',
    error: ValueError,
    message: ['GRU.forward: ', 'sequenceLengths[1] is NaN', 'expected an integer in 1..4'],
    act: ({ gru, x }) => gru.forward(x, { sequenceLengths: [1, Number.NaN] }),
  },
  {
    name: 'sequenceLengths a number',
    error: ValueError,
    message: ['GRU.forward: ', 'sequenceLengths is 4', 'expected an array of 2 integers'],
    act: ({ gru, x }) => gru.forward(x, { sequenceLengths: bogus(4) }),
  },
  {
    name: 'initialHidden of the wrong shape',
    error: ShapeError,
    message: [
      'GRU.forward: ',
      'initialHidden has shape [1,2,2]',
      'expected [layers·directions=2, batch=2, hiddenSize=2]',
    ],
    act: ({ gru, x }) => gru.forward(x, { initialHidden: { data: values(4), shape: [1, 2, 2] } }),
  },
  {
    name: 'initialHidden with Infinity',
    error: ValueError,
    message: ['GRU.forward: ', 'initialHidden[3] is -Infinity', 'expected a finite number'],
    act: ({ gru, x }) =>
      gru.forward(x, { initialHidden: { data: values(8, 3, Number.NEGATIVE_INFINITY), shape: gruState } }),
  },
  {
    name: 'initialCell on a GRU',
    error: ValueError,
    message: ['GRU.forward: ', 'initialCell given', 'GRU has no cell state'],
    act: ({ gru, x }) => gru.forward(x, { initialCell: { data: values(8), shape: gruState } }),
  },
  {
    name: 'initialCell of the wrong shape on an LSTM',
    error: ShapeError,
    message: [
      'LSTM.forward: ',
      'initialCell has shape [2,2,2]',
      'expected [layers·directions=1, batch=2, hiddenSize=2]',
    ],
    act: ({ lstm, x }) => lstm.forward(x, { initialCell: { data: values(8), shape: [2, 2, 2] } }),
  },
  {
    name: 'initialHidden a disposed tensor',
    error: DisposedError,
    message: ['LSTM.forward: ', 'tensor of shape [1,2,2] was disposed'],
    arrange: ({ backend }) => {
      const tensor = Tensor.fromHost(backend, { data: values(4), shape: lstmState });
      tensor.dispose();
      return tensor;
    },
    act: ({ lstm, x }, tensor: Tensor) => lstm.forward(x, { initialHidden: tensor }),
  },
  {
    name: 'initialCell a tensor of another backend instance',
    error: DTypeError,
    message: ['LSTM.forward: ', 'initialCell lives on another backend instance'],
    arrange: () => Tensor.fromHost(otherBackend, { data: values(4), shape: lstmState }),
    act: ({ lstm, x }, tensor: Tensor) => {
      try {
        return lstm.forward(x, { initialCell: tensor });
      } finally {
        tensor.dispose();
      }
    },
  },
  {
    name: 'options null',
    error: ValueError,
    message: ['GRU.forward: ', 'options is null', 'expected { initialHidden?'],
    act: ({ gru, x }) => gru.forward(x, bogus(null)),
  },
  {
    name: 'options a number',
    error: ValueError,
    message: ['GRU.forward: ', 'options is 5', 'expected { initialHidden?'],
    act: ({ gru, x }) => gru.forward(x, bogus(5)),
  },
  {
    name: 'training not a boolean',
    error: ValueError,
    message: ['GRU.forward: ', "training is 'yes'", 'expected true or false'],
    act: ({ gru, x }) => gru.forward(x, { training: bogus('yes') }),
  },
  {
    name: 'checkFinite not a boolean',
    error: ValueError,
    message: ['GRU.forward: ', 'checkFinite is 0', 'expected true or false'],
    act: ({ gru, x }) => gru.forward(x, { checkFinite: bogus(0) }),
  },
];

describe('forward rejects bad arguments without side effects', () => {
  it.each(cases)('$name', (badCall) => expectRejectedWithoutSideEffects(badCall));
});
