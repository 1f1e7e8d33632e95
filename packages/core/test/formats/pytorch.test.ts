/**
 * PyTorch `state_dict` import/export: exact round trips on random stacks, and a forward pass
 * written here from PyTorch's own equations and names (GRU r, z, n; LSTM i, f, g, o;
 * `_reverse` for the backward direction) that must match the layer after import, so a wrong
 * gate order, direction or layer mapping fails.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createGru,
  createLstm,
  createRnn,
  fromPytorchStateDict,
  gruCell,
  type HostTensor,
  lstmCell,
  type RecurrentLayer,
  ShapeError,
  toPytorchStateDict,
  UnsupportedError,
  ValueError,
} from '../../src/index.js';
import { createReferenceBackend } from '../../src/reference/index.js';
import { plain, randomCanonical, randomValues, sigmoid, stackArbitrary, targetOf } from './random-weights.js';

const backend = createReferenceBackend();

type Kind = 'rnn' | 'gru' | 'lstm';
const gateCount: Record<Kind, number> = { rnn: 1, gru: 3, lstm: 4 };

function randomStateDict(
  kind: Kind,
  input: number,
  hidden: number,
  layers: number,
  directions: number,
  seed: number,
) {
  const values = randomValues(seed);
  const rows = gateCount[kind] * hidden;
  const dict: Record<string, HostTensor> = {};
  for (let layer = 0; layer < layers; layer++) {
    for (let direction = 0; direction < directions; direction++) {
      const suffix = `_l${layer}${direction === 1 ? '_reverse' : ''}`;
      const width = layer === 0 ? input : directions * hidden;
      dict[`weight_ih${suffix}`] = { data: values(rows * width), shape: [rows, width] };
      dict[`weight_hh${suffix}`] = { data: values(rows * hidden), shape: [rows, hidden] };
      dict[`bias_ih${suffix}`] = { data: values(rows), shape: [rows] };
      dict[`bias_hh${suffix}`] = { data: values(rows), shape: [rows] };
    }
  }
  return dict;
}

/** PyTorch's documented equations; `x` is [T][I] for one sample, returns [T][D·H]. */
function pytorchForward(
  kind: Kind,
  dict: Record<string, HostTensor>,
  x: number[][],
  layers: number,
  directions: number,
  hidden: number,
) {
  let sequence = x;
  for (let layer = 0; layer < layers; layer++) {
    const outputs = sequence.map(() => new Array<number>(directions * hidden).fill(0));
    for (let direction = 0; direction < directions; direction++) {
      const suffix = `_l${layer}${direction === 1 ? '_reverse' : ''}`;
      const wih = dict[`weight_ih${suffix}`]!;
      const whh = dict[`weight_hh${suffix}`]!;
      const bih = dict[`bias_ih${suffix}`]!.data;
      const bhh = dict[`bias_hh${suffix}`]!.data;
      // gi(row) = W_ih[row]·x + b_ih[row], gh(row) = W_hh[row]·h + b_hh[row] (rows of width v.length)
      const affine = (w: HostTensor, b: ArrayLike<number>, v: readonly number[], row: number) => {
        let sum = b[row]!;
        for (let k = 0; k < v.length; k++) {
          sum += w.data[row * v.length + k]! * v[k]!;
        }
        return sum;
      };
      let h = new Array<number>(hidden).fill(0);
      let c = new Array<number>(hidden).fill(0);
      const order = direction === 1 ? [...sequence.keys()].reverse() : [...sequence.keys()];
      for (const t of order) {
        const xt = sequence[t]!;
        const gi = (row: number) => affine(wih, bih, xt, row);
        const gh = (row: number) => affine(whh, bhh, h, row);
        const next = new Array<number>(hidden);
        if (kind === 'rnn') {
          for (let j = 0; j < hidden; j++) {
            next[j] = Math.tanh(gi(j) + gh(j));
          }
        } else if (kind === 'gru') {
          // rows: r = [0, H), z = [H, 2H), n = [2H, 3H)
          for (let j = 0; j < hidden; j++) {
            const r = sigmoid(gi(j) + gh(j));
            const z = sigmoid(gi(hidden + j) + gh(hidden + j));
            const n = Math.tanh(gi(2 * hidden + j) + r * gh(2 * hidden + j));
            next[j] = (1 - z) * n + z * h[j]!;
          }
        } else {
          // rows: i, f, g, o
          const nextC = new Array<number>(hidden);
          for (let j = 0; j < hidden; j++) {
            const i = sigmoid(gi(j) + gh(j));
            const f = sigmoid(gi(hidden + j) + gh(hidden + j));
            const g = Math.tanh(gi(2 * hidden + j) + gh(2 * hidden + j));
            const o = sigmoid(gi(3 * hidden + j) + gh(3 * hidden + j));
            nextC[j] = f * c[j]! + i * g;
            next[j] = o * Math.tanh(nextC[j]!);
          }
          c = nextC;
        }
        h = next;
        outputs[t]!.splice(direction * hidden, hidden, ...h);
      }
    }
    sequence = outputs;
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
  return kind === 'gru' ? createGru(backend, { ...options, resetAfter: true }) : createLstm(backend, options);
}

describe('PyTorch state_dict round trips', () => {
  it('import → export and export → import are exact', () => {
    fc.assert(
      fc.property(stackArbitrary(['rnn', 'gru-reset-after', 'lstm']), (choice) => {
        const target = targetOf(choice);
        const kind = target.cell.kind as Kind;
        const dict = randomStateDict(
          kind,
          choice.inputSize,
          choice.hiddenSize,
          choice.numLayers,
          choice.directions,
          choice.seed,
        );
        expect(plain(toPytorchStateDict(target, fromPytorchStateDict(target, dict)))).toEqual(plain(dict));
        const canonical = randomCanonical(choice);
        expect(plain(fromPytorchStateDict(target, toPytorchStateDict(target, canonical)))).toEqual(
          plain(canonical),
        );
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  it('round-trips through a layer (setWeights / getWeights) with a prefix', async () => {
    const layer = createGru(backend, { inputSize: 3, hiddenSize: 2, numLayers: 2, bidirectional: true });
    const dict = randomStateDict('gru', 3, 2, 2, 2, 99);
    const prefixed = Object.fromEntries(
      Object.entries(dict).map(([key, value]) => [`encoder.rnn.${key}`, value]),
    );
    layer.setWeights(
      fromPytorchStateDict(
        layer,
        { ...prefixed, 'decoder.weight': { data: [1], shape: [1] } },
        { prefix: 'encoder.rnn.' },
      ),
    );
    expect(plain(toPytorchStateDict(layer, await layer.getWeights()))).toEqual(plain(dict));
    layer.dispose();
  });
});

describe('PyTorch gate mapping (forward from PyTorch equations)', () => {
  const cases = [
    { kind: 'rnn', numLayers: 1, directions: 1 },
    { kind: 'gru', numLayers: 1, directions: 1 },
    { kind: 'lstm', numLayers: 1, directions: 1 },
    { kind: 'gru', numLayers: 2, directions: 2 },
    { kind: 'lstm', numLayers: 2, directions: 2 },
    { kind: 'rnn', numLayers: 3, directions: 2 },
  ] as const;
  it.each(cases)(
    '$kind, $numLayers layer(s), $directions direction(s)',
    async ({ kind, numLayers, directions }) => {
      const [inputSize, hiddenSize, batch, steps] = [3, 4, 2, 5];
      const dict = randomStateDict(kind, inputSize, hiddenSize, numLayers, directions, 123);
      const layer = createLayer(kind, { inputSize, hiddenSize, numLayers, bidirectional: directions === 2 });
      layer.setWeights(fromPytorchStateDict(layer, dict));
      const values = randomValues(5)(batch * steps * inputSize);
      const result = layer.forward({ data: values, shape: [batch, steps, inputSize] });
      const output = await result.output.toArray();
      result.dispose();
      layer.dispose();
      let worst = 0;
      for (let sample = 0; sample < batch; sample++) {
        const x = Array.from({ length: steps }, (_, t) =>
          Array.from(values.subarray((sample * steps + t) * inputSize, (sample * steps + t + 1) * inputSize)),
        );
        const expected = pytorchForward(kind, dict, x, numLayers, directions, hiddenSize);
        expected.forEach((row, t) => {
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

describe('PyTorch refusals', () => {
  const target = { cell: gruCell(), inputSize: 2, hiddenSize: 2, numLayers: 1, directions: 1 };
  const dict = randomStateDict('gru', 2, 2, 1, 1, 1);
  it('a reset-before GRU (PyTorch has only reset-after)', () => {
    expect(() => fromPytorchStateDict({ ...target, cell: gruCell({ resetAfter: false }) }, dict)).toThrow(
      UnsupportedError,
    );
  });
  it('LSTM projections and nonzero peepholes', () => {
    const lstm = { ...target, cell: lstmCell({ peepholes: true }) };
    const lstmDict = randomStateDict('lstm', 2, 2, 1, 1, 2);
    expect(() =>
      fromPytorchStateDict(lstm, { ...lstmDict, weight_hr_l0: { data: [0, 0], shape: [1, 2] } }),
    ).toThrow(/proj_size/);
    const weights = fromPytorchStateDict(lstm, lstmDict);
    expect(plain(toPytorchStateDict(lstm, weights))).toEqual(plain(lstmDict));
    (weights.layers[0]![0]!.peepholes as Float64Array)[1] = 0.5;
    expect(() => toPytorchStateDict(lstm, weights)).toThrow(UnsupportedError);
  });
  it('missing, unexpected and misshapen tensors, and bias=False', () => {
    const { weight_hh_l0: _dropped, ...missing } = dict;
    expect(() => fromPytorchStateDict(target, missing)).toThrow(/no 'weight_hh_l0'/);
    expect(() => fromPytorchStateDict(target, { ...dict, weight_ih_l1: dict.weight_ih_l0! })).toThrow(
      ValueError,
    );
    expect(() =>
      fromPytorchStateDict(target, { ...dict, bias_hh_l0: { data: [0, 0, 0], shape: [3] } }),
    ).toThrow(ShapeError);
    const { bias_ih_l0: _a, bias_hh_l0: _b, ...noBias } = dict;
    const weights = fromPytorchStateDict(target, noBias);
    expect(Array.from(weights.layers[0]![0]!.recurrentBias!)).toEqual([0, 0, 0, 0, 0, 0]);
    const { bias_ih_l0: _c, ...halfBias } = dict;
    expect(() => fromPytorchStateDict(target, halfBias)).toThrow(/bias tensors/);
  });
});
