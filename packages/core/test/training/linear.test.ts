import { describe, expect, it } from 'vitest';
import { createGru, Linear, ShapeError, Tensor } from '../../src/index.js';
import { Random } from '../../src/random.js';
import { centralDifference, compare, createReferenceBackend } from '../../src/reference/index.js';
import { dot } from './dot.js';

const backend = createReferenceBackend();

describe('Linear', () => {
  it('computes x Wᵀ + b on the last axis', async () => {
    const linear = new Linear(backend, { inputSize: 2, outputSize: 3 });
    linear.setWeights({ weights: [1, 2, 3, 4, 5, 6], bias: [0.5, -1, 2] });
    const y = linear.forward({ data: [1, -1, 2, 0.5], shape: [2, 2] });
    expect(y.shape).toEqual([2, 3]);
    expect(Array.from(await y.toArray())).toEqual([
      1 - 2 + 0.5,
      3 - 4 - 1,
      5 - 6 + 2,
      2 + 1 + 0.5,
      6 + 2 - 1,
      10 + 3 + 2,
    ]);
    y.dispose();
    linear.dispose();
  });

  it('initialises uniformly in ±1/√inputSize from its seed', async () => {
    const first = new Linear(backend, { inputSize: 16, outputSize: 8, seed: 3 });
    const second = new Linear(backend, { inputSize: 16, outputSize: 8, seed: 3 });
    const a = await first.getWeights();
    const b = await second.getWeights();
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    for (const value of [...Array.from(a.weights), ...Array.from(a.bias!)]) {
      expect(Math.abs(value)).toBeLessThanOrEqual(0.25);
    }
    first.dispose();
    second.dispose();
  });

  it.each([
    { name: 'dense [B, F] input', strided: false, bias: true },
    { name: 'strided batch-first GRU output [B, T, H]', strided: true, bias: true },
    { name: 'no bias', strided: false, bias: false },
  ])('analytic gradients match central differences: $name', async ({ strided, bias }) => {
    const random = new Random(5);
    const live = backend.liveBufferCount();
    const linear = new Linear(backend, { inputSize: 3, outputSize: 2, bias, seed: 9 });
    const gru = createGru(backend, { inputSize: 2, hiddenSize: 3, seed: 1 });
    const batch = 2;
    const steps = 4;
    const sequence = gru.forward({
      data: random.uniformArray(batch * steps * 2, -1, 1),
      shape: [batch, steps, 2],
    });
    // The GRU's batch-first output is a strided view of time-major storage.
    const input: Tensor = strided
      ? sequence.output
      : Tensor.fromHost(backend, { data: random.uniformArray(5 * 3, -1, 1), shape: [5, 3] });
    expect(input.isDense).toBe(!strided);
    const inputValues = Float64Array.from(await input.toArray());
    const outputShape = [...input.shape.slice(0, -1), 2];
    const upstream = random.uniformArray(
      outputShape.reduce((a, b) => a * b, 1),
      -1,
      1,
    );
    const weights = Float64Array.from((await linear.getWeights()).weights);
    const biasValues = bias ? Float64Array.from((await linear.getWeights()).bias!) : undefined;

    const loss = async () => {
      linear.setWeights({ weights, ...(biasValues ? { bias: biasValues } : {}) });
      const y = linear.forward({ data: inputValues, shape: input.shape });
      const value = dot(await y.toArray(), upstream);
      y.dispose();
      return value;
    };
    const gradients = linear.backward(input, { data: upstream, shape: outputShape });
    expect(gradients.input!.shape).toEqual(input.shape);
    const errors = [
      compare('input', await gradients.input!.toArray(), await centralDifference(inputValues, loss)),
      compare('weights', await gradients.weights.toArray(), await centralDifference(weights, loss)),
    ];
    if (biasValues) {
      errors.push(
        compare('bias', await gradients.bias!.toArray(), await centralDifference(biasValues, loss)),
      );
    } else {
      expect(gradients.bias).toBeUndefined();
    }
    for (const error of errors) {
      expect(error.error, JSON.stringify(error)).toBeLessThan(1e-8);
    }
    gradients.dispose();
    if (!strided) {
      input.dispose();
    }
    sequence.dispose();
    gru.dispose();
    linear.dispose();
    expect(backend.liveBufferCount()).toBe(live);
  });

  it('rejects inputs whose last axis is not inputSize, naming where and what', () => {
    const linear = new Linear(backend, { inputSize: 3, outputSize: 2 });
    expect(() => linear.forward({ data: [1, 2, 3, 4], shape: [2, 2] })).toThrow(ShapeError);
    expect(() => linear.forward({ data: [1, 2, 3, 4], shape: [2, 2] })).toThrow(
      /Linear\.forward: x has shape \[2,2\]/,
    );
    expect(() =>
      linear.backward({ data: [1, 2, 3], shape: [1, 3] }, { data: [1, 2, 3], shape: [1, 3] }),
    ).toThrow(/outputGradient has shape \[1,3\]; expected \[axis0=1, outputSize=2\]/);
    linear.dispose();
  });
});
