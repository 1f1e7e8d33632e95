/**
 * ONNX weight import/export (W, R, B = [Wb; Rb], P in i, o, f): exact round trips on random
 * stacks, and a stacked bidirectional layer after import against the independent
 * ONNX-equations evaluator chained node by node (layer l + 1 reads layer l's `Y` with the
 * directions concatenated), so a wrong gate, peephole, direction or layer mapping fails.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createGru,
  createLstm,
  fromOnnxWeights,
  gruCell,
  lstmCell,
  type OnnxLayerWeights,
  rnnCell,
  toOnnxWeights,
  UnsupportedError,
  ValueError,
} from '../../src/index.js';
import { createReferenceBackend } from '../../src/reference/index.js';
import { evaluateOnnxEquations } from './onnx-reference-equations.js';
import { plain, randomCanonical, randomValues, stackArbitrary, targetOf } from './random-weights.js';

const backend = createReferenceBackend();

function randomOnnx(
  operatorGates: number,
  input: number,
  hidden: number,
  layers: number,
  directions: number,
  seed: number,
  peepholes: boolean,
) {
  const values = randomValues(seed);
  const rows = operatorGates * hidden;
  return Array.from({ length: layers }, (_, layer): OnnxLayerWeights => {
    const width = layer === 0 ? input : directions * hidden;
    return {
      W: { data: values(directions * rows * width), shape: [directions, rows, width] },
      R: { data: values(directions * rows * hidden), shape: [directions, rows, hidden] },
      B: { data: values(directions * 2 * rows), shape: [directions, 2 * rows] },
      ...(peepholes ? { P: { data: values(directions * 3 * hidden), shape: [directions, 3 * hidden] } } : {}),
    };
  });
}

describe('ONNX weight round trips', () => {
  it('import → export and export → import are exact', () => {
    fc.assert(
      fc.property(
        stackArbitrary(['rnn', 'gru-reset-after', 'gru-reset-before', 'lstm', 'lstm-peepholes']),
        (choice) => {
          const target = targetOf(choice);
          const onnx = randomOnnx(
            target.cell.gates.length,
            choice.inputSize,
            choice.hiddenSize,
            choice.numLayers,
            choice.directions,
            choice.seed,
            choice.cellChoice === 'lstm-peepholes',
          );
          expect(plain(toOnnxWeights(target, fromOnnxWeights(target, onnx)))).toEqual(plain(onnx));
          const canonical = randomCanonical(choice);
          expect(plain(fromOnnxWeights(target, toOnnxWeights(target, canonical)))).toEqual(plain(canonical));
        },
      ),
      { numRuns: 100, seed: 10 },
    );
  });

  it('absent B and P import as zeros; P needs a peephole LSTM unless it is zero', () => {
    const target = { cell: gruCell(), inputSize: 2, hiddenSize: 1, numLayers: 1, directions: 1 };
    const [onnx] = randomOnnx(3, 2, 1, 1, 1, 3, false);
    const weights = fromOnnxWeights(target, [{ W: onnx!.W, R: onnx!.R }]);
    expect(plain(weights.layers[0]![0]!.inputBias)).toEqual([0, 0, 0]);
    const lstm = { ...target, cell: lstmCell() };
    const [withP] = randomOnnx(4, 2, 1, 1, 1, 4, true);
    expect(() => fromOnnxWeights(lstm, [withP!])).toThrow(UnsupportedError);
    expect(() => fromOnnxWeights(lstm, [{ ...withP!, P: { data: [0, 0, 0], shape: [1, 3] } }])).not.toThrow();
    const rnnWeights = {
      W: { data: [1, 2], shape: [1, 1, 2] },
      R: { data: [1], shape: [1, 1, 1] },
      P: withP!.P!,
    };
    expect(() => fromOnnxWeights({ ...target, cell: rnnCell() }, [rnnWeights])).toThrow(/P is an LSTM input/);
    expect(() => fromOnnxWeights({ ...target, cell: rnnCell() }, [rnnWeights])).toThrow(ValueError);
  });
});

describe('ONNX stacks against the ONNX equations, node by node', () => {
  it.each(['GRU', 'LSTM'] as const)('%s, 2 layers, bidirectional, peepholes for LSTM', async (operator) => {
    const [inputSize, hiddenSize, batch, steps, layers, directions] = [3, 2, 2, 4, 2, 2];
    const gates = operator === 'GRU' ? 3 : 4;
    const onnx = randomOnnx(gates, inputSize, hiddenSize, layers, directions, 77, operator === 'LSTM');
    const options = {
      inputSize,
      hiddenSize,
      numLayers: layers,
      bidirectional: true,
      layout: 'time-first' as const,
    };
    const layer =
      operator === 'GRU'
        ? createGru(backend, { ...options, resetAfter: false })
        : createLstm(backend, { ...options, peepholes: true });
    layer.setWeights(fromOnnxWeights(layer, onnx));
    const x = randomValues(8)(steps * batch * inputSize);
    const result = layer.forward({ data: x, shape: [steps, batch, inputSize] });
    const output = await result.output.toArray();
    const hidden = await result.hidden.toArray();
    result.dispose();
    layer.dispose();

    let sequence = { dims: [steps, batch, inputSize], data: Array.from(x) };
    const finalStates: number[] = [];
    for (const weights of onnx) {
      const tensor = (t: { data: ArrayLike<number>; shape: readonly number[] } | undefined) =>
        t ? { dims: t.shape, data: t.data } : null;
      const { Y, Y_h } = evaluateOnnxEquations({
        operator,
        attributes: { direction: 'bidirectional', hidden_size: hiddenSize },
        inputs: {
          X: sequence,
          W: tensor(weights.W),
          R: tensor(weights.R),
          B: tensor(weights.B),
          P: tensor(weights.P),
        },
      });
      finalStates.push(...Array.from(Y_h.data));
      // Y [T, D, N, H] → next X [T, N, D·H]
      const next = new Array<number>(steps * batch * directions * hiddenSize);
      for (let t = 0; t < steps; t++) {
        for (let d = 0; d < directions; d++) {
          for (let n = 0; n < batch; n++) {
            for (let j = 0; j < hiddenSize; j++) {
              next[((t * batch + n) * directions + d) * hiddenSize + j] =
                Y.data[((t * directions + d) * batch + n) * hiddenSize + j]!;
            }
          }
        }
      }
      sequence = { dims: [steps, batch, directions * hiddenSize], data: next };
    }
    const worst = (a: ArrayLike<number>, b: ArrayLike<number>) =>
      Math.max(...Array.from(b, (v, i) => Math.abs(a[i]! - v)));
    expect(output.length).toBe(sequence.data.length);
    expect(worst(output, sequence.data)).toBeLessThan(1e-12);
    expect(worst(hidden, finalStates)).toBeLessThan(1e-12);
  });
});
