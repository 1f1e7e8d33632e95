/**
 * Bad arguments to the layer constructor and the `createGru` / `createLstm` / `createRnn`
 * factories: each is rejected with its error class and a message naming the argument, the
 * expectation and the value received, before any parameter buffer is allocated.
 */
import { describe, it } from 'vitest';
import {
  activation,
  createGru,
  createLstm,
  createRnn,
  gruCell,
  lstmCell,
  RecurrentLayer,
  ValueError,
} from '../../src/index.js';
import { type BadCall, expectRejectedWithoutSideEffects, sizes } from './rejection.js';

const bogus = <T>(value: unknown) => value as T;

const cases: BadCall[] = [
  {
    name: 'inputSize not an integer',
    error: ValueError,
    message: ['GRU: ', 'inputSize is 2.5', 'expected a positive integer'],
    act: ({ backend }) => createGru(backend, { inputSize: 2.5, hiddenSize: 2 }),
  },
  {
    name: 'hiddenSize 0',
    error: ValueError,
    message: ['LSTM: ', 'hiddenSize is 0', 'expected a positive integer'],
    act: ({ backend }) => createLstm(backend, { inputSize: 3, hiddenSize: 0 }),
  },
  {
    name: 'hiddenSize a string',
    error: ValueError,
    message: ['RNN: ', "hiddenSize is '3'", 'expected a positive integer'],
    act: ({ backend }) => createRnn(backend, { inputSize: 3, hiddenSize: bogus('3') }),
  },
  {
    name: 'hiddenSize NaN',
    error: ValueError,
    message: ['GRU: ', 'hiddenSize is NaN', 'expected a positive integer'],
    act: ({ backend }) => createGru(backend, { inputSize: 3, hiddenSize: Number.NaN }),
  },
  {
    name: 'numLayers 0',
    error: ValueError,
    message: ['GRU: ', 'numLayers is 0', 'expected a positive integer'],
    act: ({ backend }) => createGru(backend, { ...sizes, numLayers: 0 }),
  },
  {
    name: 'numLayers 1.5',
    error: ValueError,
    message: ['GRU: ', 'numLayers is 1.5', 'expected a positive integer'],
    act: ({ backend }) => createGru(backend, { ...sizes, numLayers: 1.5 }),
  },
  {
    name: 'negative dropout',
    error: ValueError,
    message: ['GRU: ', 'dropout is -0.1', 'expected a number in [0, 1)'],
    act: ({ backend }) => createGru(backend, { ...sizes, dropout: -0.1 }),
  },
  {
    name: 'dropout 1',
    error: ValueError,
    message: ['LSTM: ', 'dropout is 1', 'expected a number in [0, 1)'],
    act: ({ backend }) => createLstm(backend, { ...sizes, dropout: 1 }),
  },
  {
    name: 'dropout NaN',
    error: ValueError,
    message: ['GRU: ', 'dropout is NaN', 'expected a number in [0, 1)'],
    act: ({ backend }) => createGru(backend, { ...sizes, dropout: Number.NaN }),
  },
  {
    name: 'seed not an integer',
    error: ValueError,
    message: ['GRU: ', 'seed is 1.5', 'expected an integer'],
    act: ({ backend }) => createGru(backend, { ...sizes, seed: 1.5 }),
  },
  {
    name: 'seed a string',
    error: ValueError,
    message: ['RNN: ', "seed is '1'", 'expected an integer'],
    act: ({ backend }) => createRnn(backend, { ...sizes, seed: bogus('1') }),
  },
  {
    name: 'unknown merge',
    error: ValueError,
    message: ['GRU: ', "merge is 'max'", "expected one of 'concat', 'sum', 'mul', 'average'"],
    act: ({ backend }) => createGru(backend, { ...sizes, merge: bogus('max') }),
  },
  {
    name: 'unknown direction',
    error: ValueError,
    message: ['GRU: ', "direction is 'up'", "expected one of 'forward', 'reverse', 'bidirectional'"],
    act: ({ backend }) => createGru(backend, { ...sizes, direction: bogus('up') }),
  },
  {
    name: 'unknown layout',
    error: ValueError,
    message: ['GRU: ', "layout is 'batch-last'", "expected one of 'batch-first', 'time-first'"],
    act: ({ backend }) => createGru(backend, { ...sizes, layout: bogus('batch-last') }),
  },
  {
    name: 'unknown initializer',
    error: ValueError,
    message: ['GRU: ', "initializer is 'he'", "expected one of 'pytorch', 'glorot'"],
    act: ({ backend }) => createGru(backend, { ...sizes, initializer: bogus('he') }),
  },
  {
    name: 'bidirectional not a boolean',
    error: ValueError,
    message: ['GRU: ', "bidirectional is 'yes'", 'expected true or false'],
    act: ({ backend }) => createGru(backend, { ...sizes, bidirectional: bogus('yes') }),
  },
  {
    name: 'bidirectional contradicts direction',
    error: ValueError,
    message: ['GRU: ', 'bidirectional is true', "direction is 'forward'"],
    act: ({ backend }) => createGru(backend, { ...sizes, bidirectional: true, direction: 'forward' }),
  },
  {
    name: 'negative clip',
    error: ValueError,
    message: ['GRU: ', 'clip is -1', 'expected a finite number ≥ 0'],
    act: ({ backend }) => createGru(backend, { ...sizes, clip: -1 }),
  },
  {
    name: 'clip NaN',
    error: ValueError,
    message: ['LSTM: ', 'clip is NaN', 'expected a finite number ≥ 0'],
    act: ({ backend }) => createLstm(backend, { ...sizes, clip: Number.NaN }),
  },
  {
    name: 'forgetBias NaN',
    error: ValueError,
    message: ['LSTM: ', 'forgetBias is NaN', 'expected a finite number'],
    act: ({ backend }) => createLstm(backend, { ...sizes, forgetBias: Number.NaN }),
  },
  {
    name: 'forgetBias a string',
    error: ValueError,
    message: ['LSTM: ', "forgetBias is '1'", 'expected a finite number'],
    act: ({ backend }) => createLstm(backend, { ...sizes, forgetBias: bogus('1') }),
  },
  {
    name: 'resetAfter not a boolean',
    error: ValueError,
    message: ['GRU: ', "resetAfter is 'no'", 'expected true or false'],
    act: ({ backend }) => createGru(backend, { ...sizes, resetAfter: bogus('no') }),
  },
  {
    name: 'peepholes not a boolean',
    error: ValueError,
    message: ['LSTM: ', 'peepholes is 1', 'expected true or false'],
    act: ({ backend }) => createLstm(backend, { ...sizes, peepholes: bogus(1) }),
  },
  {
    name: 'activation given by name instead of by definition',
    error: ValueError,
    message: ['RNN: ', "activation is 'relu'", 'expected activation(name, alpha?, beta?)'],
    act: ({ backend }) => createRnn(backend, { ...sizes, activation: bogus('relu') }),
  },
  {
    name: 'unknown activation object',
    error: ValueError,
    message: ['GRU: ', 'gateActivation is an object', 'expected activation(name, alpha?, beta?)'],
    act: ({ backend }) =>
      createGru(backend, { ...sizes, gateActivation: bogus({ name: 'swish', alpha: 0, beta: 0 }) }),
  },
  {
    name: 'activation parameter NaN',
    error: ValueError,
    message: ['LSTM: ', 'gateActivation.alpha is NaN', 'expected a finite number'],
    act: ({ backend }) =>
      createLstm(backend, { ...sizes, gateActivation: activation('hardSigmoid', Number.NaN) }),
  },
  {
    name: 'options null (factory)',
    error: ValueError,
    message: ['GRU: ', 'options is null', 'expected { inputSize, hiddenSize'],
    act: ({ backend }) => createGru(backend, bogus(null)),
  },
  {
    name: 'options missing (factory)',
    error: ValueError,
    message: ['LSTM: ', 'options is undefined', 'expected { inputSize, hiddenSize'],
    act: ({ backend }) => createLstm(backend, bogus(undefined)),
  },
  {
    name: 'backend missing',
    error: ValueError,
    message: ['RNN: ', 'backend is null', 'expected a Backend'],
    act: () => createRnn(bogus(null), sizes),
  },
  {
    name: 'backend not a backend',
    error: ValueError,
    message: ['GRU: ', 'backend is an object', 'expected a Backend'],
    act: () => createGru(bogus({ name: 'cpu' }), sizes),
  },
  {
    name: 'no cell',
    error: ValueError,
    message: [
      'RecurrentLayer: ',
      'cell is an array of length 0',
      'expected gruCell(), lstmCell(), rnnCell()',
    ],
    act: ({ backend }) => new RecurrentLayer(backend, [], sizes),
  },
  {
    name: 'cell not a cell definition',
    error: ValueError,
    message: ['RecurrentLayer: ', "cell is 'gru'", 'expected gruCell()'],
    act: ({ backend }) => new RecurrentLayer(backend, bogus('gru'), sizes),
  },
  {
    name: 'more cells than directions',
    error: ValueError,
    message: ['GRU: ', 'got 3 cells', 'expected 1 or 2'],
    act: ({ backend }) =>
      new RecurrentLayer(backend, [gruCell(), gruCell(), gruCell()], { ...sizes, bidirectional: true }),
  },
  {
    name: 'per-direction cells of different kinds',
    error: ValueError,
    message: ['GRU: ', 'per-direction cells must share kind'],
    act: ({ backend }) =>
      new RecurrentLayer(backend, [gruCell(), lstmCell()], { ...sizes, bidirectional: true }),
  },
];

describe('constructor and factories reject bad arguments before allocating', () => {
  it.each(cases)('$name', (badCall) => expectRejectedWithoutSideEffects(badCall));
});
