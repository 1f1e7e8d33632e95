import { describe, expect, it } from 'vitest';
import { cellVariants, RecurrentLayer } from '../src/index.js';
import { checkLayerGradients, createReferenceBackend } from '../src/reference/index.js';

const backend = createReferenceBackend();

// Every registered variant (including the gate ablations) through the generic layer path,
// with the features that exercise the most code: reverse + bidirectional, lengths, 2 layers.
describe.each(cellVariants.map((variant) => [variant.id, variant] as const))('%s', (_id, variant) => {
  it('has float64 gradients matching central differences', async () => {
    const layer = new RecurrentLayer(backend, variant.create(), {
      inputSize: 2,
      hiddenSize: 3,
      numLayers: 2,
      bidirectional: true,
      seed: 21,
    });
    const errors = await checkLayerGradients(layer, {
      steps: 3,
      batch: 2,
      seed: 5,
      sequenceLengths: [3, 2],
      withInitialStates: true,
    });
    const worst = errors.reduce((a, b) => (b.error > a.error ? b : a));
    expect(worst.error, JSON.stringify(worst)).toBeLessThan(1e-6);
    layer.dispose();
  });
});

// The ablations must equal a full GRU whose removed gate is pinned: r = σ(+40) and z = σ(−40)
// are 1 and ~4e−18 in float64, so the outputs agree to round-off.
describe('gate ablations equal a pinned full GRU', () => {
  const sizes = { inputSize: 3, hiddenSize: 4, seed: 9 } as const;
  const input = { data: Array.from({ length: 2 * 5 * 3 }, (_, i) => Math.sin(i * 1.7)), shape: [2, 5, 3] };

  async function outputsOf(layer: RecurrentLayer): Promise<Float64Array | Float32Array> {
    const result = layer.forward(input);
    const values = await result.output.toArray();
    result.dispose();
    return values;
  }

  /** Copies an ablated layer's weights into a full GRU, pinning the missing gate's rows. */
  async function pinned(
    ablated: RecurrentLayer,
    full: RecurrentLayer,
    missing: 'update' | 'reset',
    bias: number,
  ) {
    const weights = await ablated.getWeights();
    const hidden = full.hiddenSize;
    const source = weights.layers[0]![0]!;
    const gatesOfAblated = ablated.cell.gates;
    const target: Record<string, Float64Array> = {};
    for (const name of ['inputWeights', 'recurrentWeights', 'inputBias', 'recurrentBias'] as const) {
      const values = source[name]!;
      const rowWidth = values.length / (gatesOfAblated.length * hidden);
      const out = new Float64Array(3 * hidden * rowWidth);
      full.cell.gates.forEach((gate, gateIndex) => {
        const from = gatesOfAblated.indexOf(gate);
        for (let index = 0; index < hidden * rowWidth; index++) {
          out[gateIndex * hidden * rowWidth + index] =
            from >= 0
              ? values[from * hidden * rowWidth + index]!
              : gate === missing && name === 'inputBias'
                ? bias
                : 0;
        }
      });
      target[name] = out;
    }
    full.setWeights({ layers: [[target]] });
  }

  it('GRU without reset gate', async () => {
    const ablated = new RecurrentLayer(
      backend,
      cellVariants.find((v) => v.id === 'gru-no-reset')!.create(),
      sizes,
    );
    for (const resetAfter of [true, false]) {
      const full = new RecurrentLayer(
        backend,
        cellVariants.find((v) => v.id === (resetAfter ? 'gru-reset-after' : 'gru-reset-before'))!.create(),
        sizes,
      );
      await pinned(ablated, full, 'reset', 40);
      const [a, b] = [await outputsOf(ablated), await outputsOf(full)];
      expectClose(a, b, 1e-14);
      full.dispose();
    }
    ablated.dispose();
  });

  it('GRU without update gate, both reset placements', async () => {
    for (const [ablatedId, fullId] of [
      ['gru-no-update', 'gru-reset-after'],
      ['gru-no-update-reset-before', 'gru-reset-before'],
    ] as const) {
      const ablated = new RecurrentLayer(
        backend,
        cellVariants.find((v) => v.id === ablatedId)!.create(),
        sizes,
      );
      const full = new RecurrentLayer(backend, cellVariants.find((v) => v.id === fullId)!.create(), sizes);
      await pinned(ablated, full, 'update', -40);
      const [a, b] = [await outputsOf(ablated), await outputsOf(full)];
      expectClose(a, b, 1e-14);
      ablated.dispose();
      full.dispose();
    }
  });

  it('MGU follows its equations step by step', async () => {
    const layer = new RecurrentLayer(backend, cellVariants.find((v) => v.id === 'mgu')!.create(), sizes);
    const weights = (await layer.getWeights()).layers[0]![0]!;
    const H = 4;
    const I = 3;
    const W = weights.inputWeights!;
    const U = weights.recurrentWeights!;
    const bx = weights.inputBias!;
    const bh = weights.recurrentBias!;
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    const expected: number[] = [];
    for (let sample = 0; sample < 2; sample++) {
      let h = new Array<number>(H).fill(0);
      for (let step = 0; step < 5; step++) {
        const x = Array.from({ length: I }, (_, k) => input.data[(sample * 5 + step) * I + k]!);
        const row = (matrix: ArrayLike<number>, r: number, v: number[]) =>
          v.reduce((sum, value, k) => sum + matrix[r * v.length + k]! * value, 0);
        const f = Array.from({ length: H }, (_, j) => sigmoid(row(W, j, x) + bx[j]! + row(U, j, h) + bh[j]!));
        const s = h.map((value, j) => f[j]! * value);
        const n = Array.from({ length: H }, (_, j) =>
          Math.tanh(row(W, H + j, x) + bx[H + j]! + row(U, H + j, s) + bh[H + j]!),
        );
        h = h.map((value, j) => (1 - f[j]!) * value + f[j]! * n[j]!);
        expected.push(...h);
      }
    }
    const actual = await outputsOf(layer);
    expectClose(expected, actual, 1e-14);
    layer.dispose();
  });
});

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let index = 0; index < actual.length; index++) {
    expect(Math.abs(actual[index]! - expected[index]!), `element ${index}`).toBeLessThan(tolerance);
  }
}
