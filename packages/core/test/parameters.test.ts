/**
 * Parameter counts under the two-bias convention (PyTorch, cuDNN, ONNX): the lesson's claim
 * that a GRU has exactly 3× and an LSTM exactly 4× the parameters of a vanilla RNN of the same
 * sizes, property-based over sizes, layers and directions; known PyTorch numbers; agreement with
 * the tensors a layer actually holds; and rejection of sizes that are not positive integers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CellDefinition,
  createGru,
  createLstm,
  createRnn,
  gruCell,
  lstmCell,
  parameterCount,
  rnnCell,
  ValueError,
} from '../src/index.js';
import { createReferenceBackend } from '../src/reference/index.js';

const sizes = fc.record({
  inputSize: fc.integer({ min: 1, max: 64 }),
  hiddenSize: fc.integer({ min: 1, max: 64 }),
  numLayers: fc.integer({ min: 1, max: 4 }),
  directions: fc.constantFrom(1, 2),
});
const settings = { numRuns: 40, seed: 4 };

/** The vanilla RNN count written out: `H(I + H) + 2H` per direction, inner layers see D·H inputs. */
function vanillaCount(inputSize: number, hiddenSize: number, numLayers: number, directions: number): number {
  let total = 0;
  for (let layer = 0; layer < numLayers; layer++) {
    const layerInput = layer === 0 ? inputSize : directions * hiddenSize;
    total += directions * (hiddenSize * (layerInput + hiddenSize) + 2 * hiddenSize);
  }
  return total;
}

describe('parameterCount', () => {
  it('matches PyTorch for nn.RNN/GRU/LSTM(10, 20) and their stacked, bidirectional forms', () => {
    expect(parameterCount(rnnCell(), { inputSize: 10, hiddenSize: 20 })).toBe(640);
    expect(parameterCount(gruCell(), { inputSize: 10, hiddenSize: 20 })).toBe(
      3 * (20 * 10 + 20 * 20 + 2 * 20),
    );
    expect(parameterCount(gruCell(), { inputSize: 10, hiddenSize: 20 })).toBe(1920);
    expect(parameterCount(lstmCell(), { inputSize: 10, hiddenSize: 20 })).toBe(2560);
    // nn.LSTM(10, 20, num_layers=2): the second layer sees 20 inputs.
    expect(parameterCount(lstmCell(), { inputSize: 10, hiddenSize: 20, numLayers: 2 })).toBe(2560 + 3360);
    // nn.GRU(10, 20, num_layers=2, bidirectional=True): the second layer sees 2·20 inputs.
    expect(parameterCount(gruCell(), { inputSize: 10, hiddenSize: 20, numLayers: 2, directions: 2 })).toBe(
      2 * 1920 + 2 * 3720,
    );
    // ONNX LSTM with peepholes P [3H] per direction.
    expect(parameterCount(lstmCell({ peepholes: true }), { inputSize: 10, hiddenSize: 20 })).toBe(2560 + 60);
  });

  it('a GRU (both variants) has exactly 3× and an LSTM exactly 4× the parameters of a vanilla RNN', () => {
    fc.assert(
      fc.property(sizes, (geometry) => {
        const rnn = parameterCount(rnnCell(), geometry);
        const { inputSize, hiddenSize, numLayers, directions } = geometry;
        expect(rnn).toBe(vanillaCount(inputSize, hiddenSize, numLayers, directions));
        expect(parameterCount(gruCell({ resetAfter: true }), geometry)).toBe(3 * rnn);
        expect(parameterCount(gruCell({ resetAfter: false }), geometry)).toBe(3 * rnn);
        expect(parameterCount(lstmCell(), geometry)).toBe(4 * rnn);
        // Peepholes add 3H per direction and layer, breaking the 4× on purpose.
        expect(parameterCount(lstmCell({ peepholes: true }), geometry)).toBe(
          4 * rnn + 3 * hiddenSize * numLayers * directions,
        );
      }),
      settings,
    );
  });

  it('equals the number of scalars a layer actually holds', async () => {
    const backend = createReferenceBackend();
    const small = fc.record({
      inputSize: fc.integer({ min: 1, max: 5 }),
      hiddenSize: fc.integer({ min: 1, max: 5 }),
      numLayers: fc.integer({ min: 1, max: 3 }),
      bidirectional: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(small, async (options) => {
        const layers = [
          createRnn(backend, options),
          createGru(backend, { ...options, resetAfter: false }),
          createLstm(backend, { ...options, peepholes: true }),
        ];
        for (const layer of layers) {
          const weights = await layer.getWeights();
          const held = weights.layers
            .flat()
            .flatMap((direction) => Object.values(direction))
            .reduce((total, values) => total + values!.length, 0);
          expect(held, layer.name).toBe(
            parameterCount(layer.cell, { ...options, directions: options.bidirectional ? 2 : 1 }),
          );
          layer.dispose();
        }
      }),
      { numRuns: 20, seed: 5 },
    );
    expect(backend.liveBufferCount()).toBe(0);
  });

  const cells: [string, CellDefinition][] = [
    ['RNN', rnnCell()],
    ['GRU', gruCell()],
  ];
  const badSizes: [string, Record<string, unknown>, RegExp][] = [
    ['inputSize 0', { inputSize: 0, hiddenSize: 2 }, /inputSize is 0; expected a positive integer/],
    ['hiddenSize 2.5', { inputSize: 3, hiddenSize: 2.5 }, /hiddenSize is 2\.5; expected a positive integer/],
    [
      'numLayers -1',
      { inputSize: 3, hiddenSize: 2, numLayers: -1 },
      /numLayers is -1; expected a positive integer/,
    ],
    ['directions 3', { inputSize: 3, hiddenSize: 2, directions: 3 }, /directions is 3; expected 1 or 2/],
    ['hiddenSize missing', { inputSize: 3 }, /hiddenSize is undefined; expected a positive integer/],
  ];
  it.each(cells)('%s: rejects sizes that are not positive integers', (name, cell) => {
    for (const [label, geometry, message] of badSizes) {
      const call = () => parameterCount(cell, geometry as never);
      expect(call, label).toThrow(ValueError);
      expect(call, label).toThrow(message);
      expect(call, label).toThrow(/^parameterCount: /);
    }
    expect(name).toBe(cell.displayName);
  });
});
