/**
 * Keras weight import/export: exact round trips on random stacks (a single Keras bias imports
 * as inputBias = bias, recurrentBias = 0; export folds the two biases where that is exact), a
 * forward pass written here from Keras 3's cell code (`x @ kernel`, GRU z, r, h with
 * reset_after True and False, LSTM i, f, c, o, Bidirectional forward_/backward_ weights,
 * stacked layers) that must match the layer after import, and the refusals.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createGru,
  createLstm,
  createRnn,
  fromKerasWeights,
  gruCell,
  type HostTensor,
  type KerasLayerWeights,
  lstmCell,
  type RecurrentLayer,
  ShapeError,
  toKerasWeights,
  UnsupportedError,
} from '../../src/index.js';
import { createReferenceBackend } from '../../src/reference/index.js';
import { plain, randomCanonical, randomValues, sigmoid, stackArbitrary, targetOf } from './random-weights.js';

const backend = createReferenceBackend();

type Kind = 'rnn' | 'gru-reset-after' | 'gru-reset-before' | 'lstm';
const gateCount: Record<Kind, number> = { rnn: 1, 'gru-reset-after': 3, 'gru-reset-before': 3, lstm: 4 };

function randomKeras(
  kind: Kind,
  input: number,
  hidden: number,
  layers: number,
  directions: number,
  seed: number,
  useBias = true,
) {
  const values = randomValues(seed);
  const columns = gateCount[kind] * hidden;
  return Array.from({ length: layers }, (_, layer) => {
    const weights: Record<string, HostTensor> = {};
    for (const prefix of directions === 2 ? ['forward_', 'backward_'] : ['']) {
      const width = layer === 0 ? input : directions * hidden;
      weights[`${prefix}kernel`] = { data: values(width * columns), shape: [width, columns] };
      weights[`${prefix}recurrent_kernel`] = { data: values(hidden * columns), shape: [hidden, columns] };
      if (useBias) {
        weights[`${prefix}bias`] =
          kind === 'gru-reset-after'
            ? { data: values(2 * columns), shape: [2, columns] }
            : { data: values(columns), shape: [columns] };
      }
    }
    return weights;
  });
}

/** v @ matrix for a row vector v and a [rows, columns] matrix: column `column` of the product. */
function vectorTimes(v: readonly number[], matrix: HostTensor, column: number): number {
  const columns = matrix.shape[1]!;
  let sum = 0;
  for (let k = 0; k < v.length; k++) {
    sum += v[k]! * matrix.data[k * columns + column]!;
  }
  return sum;
}

/** Keras 3 cell equations for one direction; returns the hidden state at every step. */
function kerasCell(
  kind: Kind,
  weights: KerasLayerWeights,
  prefix: string,
  xs: number[][],
  hidden: number,
): number[][] {
  const kernel = weights[`${prefix}kernel`]!;
  const recurrent = weights[`${prefix}recurrent_kernel`]!;
  const bias = weights[`${prefix}bias`];
  const columns = kernel.shape[1]!;
  const inputBias = (column: number) => (bias ? bias.data[column]! : 0);
  const recurrentBias = (column: number) =>
    bias && bias.shape.length === 2 ? bias.data[columns + column]! : 0;
  let h = new Array<number>(hidden).fill(0);
  let c = new Array<number>(hidden).fill(0);
  return xs.map((x) => {
    const matrixX = (column: number) => vectorTimes(x, kernel, column) + inputBias(column);
    const matrixInner = (v: readonly number[], column: number) =>
      vectorTimes(v, recurrent, column) + recurrentBias(column);
    const next = new Array<number>(hidden);
    if (kind === 'rnn') {
      for (let j = 0; j < hidden; j++) {
        next[j] = Math.tanh(matrixX(j) + matrixInner(h, j));
      }
    } else if (kind === 'gru-reset-after' || kind === 'gru-reset-before') {
      // columns: z = [0, H), r = [H, 2H), h = [2H, 3H)
      const z = Array.from({ length: hidden }, (_, j) => sigmoid(matrixX(j) + matrixInner(h, j)));
      const r = Array.from({ length: hidden }, (_, j) =>
        sigmoid(matrixX(hidden + j) + matrixInner(h, hidden + j)),
      );
      const resetH = h.map((value, k) => r[k]! * value);
      for (let j = 0; j < hidden; j++) {
        const column = 2 * hidden + j;
        const hh =
          kind === 'gru-reset-after'
            ? Math.tanh(matrixX(column) + r[j]! * matrixInner(h, column))
            : Math.tanh(matrixX(column) + matrixInner(resetH, column));
        next[j] = z[j]! * h[j]! + (1 - z[j]!) * hh;
      }
    } else {
      // columns: i, f, c, o
      const nextC = new Array<number>(hidden);
      for (let j = 0; j < hidden; j++) {
        const gate = (block: number) => matrixX(block * hidden + j) + matrixInner(h, block * hidden + j);
        nextC[j] = sigmoid(gate(1)) * c[j]! + sigmoid(gate(0)) * Math.tanh(gate(2));
        next[j] = sigmoid(gate(3)) * Math.tanh(nextC[j]!);
      }
      c = nextC;
    }
    h = next;
    return h;
  });
}

/** Stacked (optionally Bidirectional, merge_mode='concat') Keras layers over one sample. */
function kerasForward(
  kind: Kind,
  layers: KerasLayerWeights[],
  xs: number[][],
  directions: number,
  hidden: number,
) {
  let sequence = xs;
  for (const weights of layers) {
    if (directions === 1) {
      sequence = kerasCell(kind, weights, '', sequence, hidden);
    } else {
      const forward = kerasCell(kind, weights, 'forward_', sequence, hidden);
      // go_backwards=True, then Bidirectional reverses the outputs back into time order.
      const backward = kerasCell(kind, weights, 'backward_', [...sequence].reverse(), hidden).reverse();
      sequence = forward.map((row, t) => [...row, ...backward[t]!]);
    }
  }
  return sequence;
}

function createLayer(
  kind: Kind,
  options: { inputSize: number; hiddenSize: number; numLayers: number; bidirectional: boolean },
): RecurrentLayer {
  if (kind === 'rnn') {
    return createRnn(backend, options);
  }
  if (kind === 'lstm') {
    return createLstm(backend, options);
  }
  return createGru(backend, { ...options, resetAfter: kind === 'gru-reset-after' });
}

describe('Keras weight round trips', () => {
  it('import → export is exact', () => {
    fc.assert(
      fc.property(
        stackArbitrary(['rnn', 'gru-reset-after', 'gru-reset-before', 'lstm']),
        fc.boolean(),
        (choice, useBias) => {
          const target = targetOf(choice);
          const keras = randomKeras(
            choice.cellChoice as Kind,
            choice.inputSize,
            choice.hiddenSize,
            choice.numLayers,
            choice.directions,
            choice.seed,
            useBias,
          );
          const exported = toKerasWeights(target, fromKerasWeights(target, keras));
          if (useBias) {
            expect(plain(exported)).toEqual(plain(keras));
          } else {
            // use_bias=False imports as zeros and exports as zero biases.
            exported.forEach((layer, index) => {
              for (const [key, value] of Object.entries(layer)) {
                expect(plain(value.data), key).toEqual(
                  key.endsWith('bias')
                    ? new Array(value.data.length).fill(0)
                    : plain(keras[index]![key]!.data),
                );
              }
            });
          }
        },
      ),
      { numRuns: 100, seed: 8 },
    );
  });

  it('export → import is exact (biases folded where Keras has one bias)', () => {
    fc.assert(
      fc.property(stackArbitrary(['rnn', 'gru-reset-after', 'gru-reset-before', 'lstm']), (choice) => {
        const target = targetOf(choice);
        const canonical = randomCanonical(choice);
        const imported = fromKerasWeights(target, toKerasWeights(target, canonical));
        if (choice.cellChoice === 'gru-reset-after') {
          expect(plain(imported)).toEqual(plain(canonical));
          return;
        }
        // One Keras bias: the folded sum lands in inputBias, recurrentBias is zero; weights exact.
        imported.layers.forEach((layer, l) => {
          layer.forEach((direction, d) => {
            const original = canonical.layers[l]![d]!;
            expect(plain(direction.inputWeights)).toEqual(plain(original.inputWeights));
            expect(plain(direction.recurrentWeights)).toEqual(plain(original.recurrentWeights));
            expect(plain(direction.inputBias)).toEqual(
              Array.from(original.inputBias, (v, i) => v + original.recurrentBias[i]!),
            );
            expect(plain(direction.recurrentBias)).toEqual(new Array(original.recurrentBias.length).fill(0));
          });
        });
        expect(plain(toKerasWeights(target, imported))).toEqual(plain(toKerasWeights(target, canonical)));
      }),
      { numRuns: 100, seed: 9 },
    );
  });
});

describe('Keras gate mapping (forward from Keras equations)', () => {
  const cases: { kind: Kind; numLayers: number; directions: number }[] = [
    { kind: 'rnn', numLayers: 1, directions: 1 },
    { kind: 'gru-reset-after', numLayers: 1, directions: 1 },
    { kind: 'gru-reset-before', numLayers: 1, directions: 1 },
    { kind: 'lstm', numLayers: 1, directions: 1 },
    { kind: 'gru-reset-after', numLayers: 2, directions: 2 },
    { kind: 'gru-reset-before', numLayers: 2, directions: 2 },
    { kind: 'lstm', numLayers: 2, directions: 2 },
  ];
  it.each(cases)(
    '$kind, $numLayers layer(s), $directions direction(s)',
    async ({ kind, numLayers, directions }) => {
      const [inputSize, hiddenSize, batch, steps] = [3, 4, 2, 5];
      const keras = randomKeras(kind, inputSize, hiddenSize, numLayers, directions, 321);
      const layer = createLayer(kind, { inputSize, hiddenSize, numLayers, bidirectional: directions === 2 });
      layer.setWeights(fromKerasWeights(layer, keras));
      const values = randomValues(6)(batch * steps * inputSize);
      const result = layer.forward({ data: values, shape: [batch, steps, inputSize] });
      const output = await result.output.toArray();
      result.dispose();
      layer.dispose();
      let worst = 0;
      for (let sample = 0; sample < batch; sample++) {
        const xs = Array.from({ length: steps }, (_, t) =>
          Array.from(values.subarray((sample * steps + t) * inputSize, (sample * steps + t + 1) * inputSize)),
        );
        kerasForward(kind, keras, xs, directions, hiddenSize).forEach((row, t) => {
          row.forEach((value, unit) => {
            worst = Math.max(
              worst,
              Math.abs(output[(sample * steps + t) * directions * hiddenSize + unit]! - value),
            );
          });
        });
      }
      expect(worst).toBeLessThan(1e-12);
    },
  );
});

describe('Keras refusals', () => {
  const resetAfter = {
    cell: gruCell({ resetAfter: true }),
    inputSize: 2,
    hiddenSize: 2,
    numLayers: 1,
    directions: 1,
  };
  const resetBefore = { ...resetAfter, cell: gruCell({ resetAfter: false }) };
  it('one bias for a reset-after GRU (b_hn cannot be folded)', () => {
    const weights = fromKerasWeights(resetAfter, randomKeras('gru-reset-after', 2, 2, 1, 1, 3));
    expect(() => toKerasWeights(resetAfter, weights, { singleBias: true })).toThrow(UnsupportedError);
    expect(() => toKerasWeights(resetAfter, weights, { singleBias: true })).toThrow(/b_hn/);
    expect(
      toKerasWeights(
        resetBefore,
        fromKerasWeights(resetBefore, randomKeras('gru-reset-before', 2, 2, 1, 1, 3)),
        { singleBias: true },
      )[0]!.bias!.shape,
    ).toEqual([6]);
  });
  it('a bias layout that does not match the reset placement', () => {
    expect(() => fromKerasWeights(resetBefore, randomKeras('gru-reset-after', 2, 2, 1, 1, 4))).toThrow(
      /reset_after=True/,
    );
    expect(() => fromKerasWeights(resetAfter, randomKeras('gru-reset-before', 2, 2, 1, 1, 4))).toThrow(
      /reset_after=False/,
    );
  });
  it('nonzero peepholes, wrong shapes and unknown keys', () => {
    const lstm = { ...resetAfter, cell: lstmCell({ peepholes: true }) };
    const weights = fromKerasWeights(lstm, randomKeras('lstm', 2, 2, 1, 1, 5));
    (weights.layers[0]![0]!.peepholes as Float64Array)[0] = 1;
    expect(() => toKerasWeights(lstm, weights)).toThrow(UnsupportedError);
    const keras = randomKeras('lstm', 2, 2, 1, 1, 5)[0]!;
    const transposed = { ...keras, kernel: { data: keras.kernel!.data, shape: [8, 2] } };
    expect(() => fromKerasWeights(lstm, [transposed])).toThrow(ShapeError);
    expect(() => fromKerasWeights(lstm, [{ ...keras, 'lstm_cell/kernel:0': keras.kernel! }])).toThrow(
      /unexpected key/,
    );
  });
});
