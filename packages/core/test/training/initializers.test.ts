/** Weight initialisers (layers/initializers.ts), observed through the public layer API. */
import { describe, expect, it } from 'vitest';
import { createGru, createLstm, createRnn, type RecurrentLayer } from '../../src/index.js';
import { createReferenceBackend } from '../../src/reference/index.js';

const backend = createReferenceBackend();

async function weightsOf(layer: RecurrentLayer) {
  const weights = await layer.getWeights();
  layer.dispose();
  return weights.layers;
}

/** Max |(A Aᵀ − I)_ij| of an n × n row-major block. */
function orthogonalityError(values: ArrayLike<number>, offset: number, n: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let k = 0; k < n; k++) {
        dot += values[offset + i * n + k]! * values[offset + j * n + k]!;
      }
      worst = Math.max(worst, Math.abs(dot - (i === j ? 1 : 0)));
    }
  }
  return worst;
}

describe('pytorch initialiser (default)', () => {
  it.each([
    ['RNN', () => createRnn(backend, { inputSize: 5, hiddenSize: 16, numLayers: 2, seed: 1 })],
    ['GRU', () => createGru(backend, { inputSize: 5, hiddenSize: 16, bidirectional: true, seed: 2 })],
    ['LSTM', () => createLstm(backend, { inputSize: 5, hiddenSize: 16, seed: 3, forgetBias: 0 })],
  ])('%s: every parameter is uniform in ±1/√H and spans the range', async (_name, create) => {
    const bound = 1 / Math.sqrt(16);
    for (const layer of await weightsOf(create())) {
      for (const direction of layer) {
        for (const values of Object.values(direction)) {
          const magnitudes = Array.from(values!, Math.abs);
          expect(Math.max(...magnitudes)).toBeLessThanOrEqual(bound);
          if (magnitudes.length >= 64) {
            expect(Math.max(...magnitudes)).toBeGreaterThan(0.9 * bound);
          }
        }
      }
    }
  });

  it('is reproducible from the seed and changes with it', async () => {
    const make = (seed: number) => createGru(backend, { inputSize: 3, hiddenSize: 4, seed });
    const [a, b, c] = [await weightsOf(make(9)), await weightsOf(make(9)), await weightsOf(make(10))];
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });
});

describe('glorot initialiser', () => {
  it('makes each recurrent gate block orthogonal, bounds input weights, zeros biases', async () => {
    const [inputSize, hiddenSize] = [6, 8];
    const layers = await weightsOf(
      createGru(backend, { inputSize, hiddenSize, initializer: 'glorot', seed: 4 }),
    );
    const direction = layers[0]![0]!;
    for (let gate = 0; gate < 3; gate++) {
      expect(
        orthogonalityError(direction.recurrentWeights!, gate * hiddenSize * hiddenSize, hiddenSize),
      ).toBeLessThan(1e-12);
    }
    const bound = Math.sqrt(6 / (hiddenSize + inputSize));
    expect(Math.max(...Array.from(direction.inputWeights!, Math.abs))).toBeLessThanOrEqual(bound);
    expect(Array.from(direction.inputBias!).every((value) => value === 0)).toBe(true);
    expect(Array.from(direction.recurrentBias!).every((value) => value === 0)).toBe(true);
  });
});

describe('LSTM forget-gate bias', () => {
  it.each(['pytorch', 'glorot'] as const)(
    'starts at 1 in total with the %s initialiser',
    async (initializer) => {
      const hiddenSize = 5;
      const layers = await weightsOf(createLstm(backend, { inputSize: 2, hiddenSize, initializer, seed: 5 }));
      const { inputBias, recurrentBias } = layers[0]![0]!;
      // Gate order i, f, g, o: the forget block is rows [H, 2H).
      expect(Array.from(inputBias!).slice(hiddenSize, 2 * hiddenSize)).toEqual(new Array(hiddenSize).fill(1));
      expect(Array.from(recurrentBias!).slice(hiddenSize, 2 * hiddenSize)).toEqual(
        new Array(hiddenSize).fill(0),
      );
    },
  );

  it('takes forgetBias', async () => {
    const layers = await weightsOf(createLstm(backend, { inputSize: 2, hiddenSize: 3, forgetBias: 2.5 }));
    expect(Array.from(layers[0]![0]!.inputBias!).slice(3, 6)).toEqual([2.5, 2.5, 2.5]);
  });
});
