import { describe, expect, it } from 'vitest';
import { meanSquaredError, ShapeError, softmaxCrossEntropy, Tensor, ValueError } from '../../src/index.js';
import { Random } from '../../src/random.js';
import { centralDifference, compare, createReferenceBackend } from '../../src/reference/index.js';

const backend = createReferenceBackend();

async function lossValue(
  loss: (prediction: Tensor) => Promise<{ value: number; dispose(): void }>,
  values: Float64Array,
  shape: number[],
): Promise<number> {
  const prediction = Tensor.fromHost(backend, { data: values, shape });
  const result = await loss(prediction);
  result.dispose();
  prediction.dispose();
  return result.value;
}

describe('meanSquaredError', () => {
  it('gives the mean of squared differences and 2(p − t)/N', async () => {
    const prediction = Tensor.fromHost(backend, { data: [1, 2, 3, 4], shape: [2, 2] });
    const result = await meanSquaredError(prediction, { data: [0, 2, 5, 3], shape: [2, 2] });
    expect(result.value).toBe((1 + 0 + 4 + 1) / 4);
    expect(Array.from(await result.gradient.toArray())).toEqual([0.5, 0, -1, 0.5]);
    const sum = await meanSquaredError(
      prediction,
      { data: [0, 2, 5, 3], shape: [2, 2] },
      { reduction: 'sum' },
    );
    expect(sum.value).toBe(6);
    expect(Array.from(await sum.gradient.toArray())).toEqual([2, 0, -4, 2]);
    result.dispose();
    sum.dispose();
    prediction.dispose();
  });

  it.each(['mean', 'sum'] as const)('gradient matches central differences (%s)', async (reduction) => {
    const random = new Random(3);
    const shape = [3, 2, 4];
    const values = random.uniformArray(24, -2, 2);
    const target = { data: random.uniformArray(24, -2, 2), shape };
    const prediction = Tensor.fromHost(backend, { data: values, shape });
    const result = await meanSquaredError(prediction, target, { reduction });
    const numeric = await centralDifference(values, () =>
      lossValue((p) => meanSquaredError(p, target, { reduction }), values, shape),
    );
    const error = compare('prediction', await result.gradient.toArray(), numeric);
    expect(error.error, JSON.stringify(error)).toBeLessThan(1e-8);
    result.dispose();
    prediction.dispose();
  });

  it('reads a strided prediction and a strided target in place', async () => {
    const live = backend.liveBufferCount();
    const storage = Tensor.fromHost(backend, { data: [1, 2, 3, 4, 5, 6, 7, 8], shape: [8] });
    // [B=2, T=2, F=2] batch-first view of time-major rows: element (b, t, f) at (t·2 + b)·2 + f.
    const view = storage.view([2, 2, 2], [2, 4, 1], 0);
    const dense = [1, 2, 5, 6, 3, 4, 7, 8];
    const result = await meanSquaredError(view, view);
    expect(result.value).toBe(0);
    const shifted = await meanSquaredError(view, { data: dense.map((value) => value - 1), shape: [2, 2, 2] });
    expect(shifted.value).toBe(1);
    expect(Array.from(await shifted.gradient.toArray())).toEqual(new Array(8).fill(0.25));
    for (const tensor of [result, shifted, view, storage]) {
      tensor.dispose();
    }
    expect(backend.liveBufferCount()).toBe(live);
  });

  it('rejects a target of another shape', async () => {
    const prediction = Tensor.fromHost(backend, { data: [1, 2], shape: [2] });
    await expect(meanSquaredError(prediction, { data: [1, 2, 3], shape: [3] })).rejects.toThrow(ShapeError);
    await expect(meanSquaredError(prediction, { data: [1, 2, 3], shape: [3] })).rejects.toThrow(
      /meanSquaredError: target has shape \[3\]/,
    );
    prediction.dispose();
  });
});

describe('softmaxCrossEntropy', () => {
  it('matches −log softmax on a hand example', async () => {
    const logits = Tensor.fromHost(backend, { data: [0, Math.log(3), 2, 2], shape: [2, 2] });
    const result = await softmaxCrossEntropy(logits, [1, 0]);
    // Row 0: p = [1/4, 3/4], target 1 → −log(3/4). Row 1: p = [1/2, 1/2] → −log(1/2).
    expect(result.value).toBeCloseTo((-Math.log(0.75) - Math.log(0.5)) / 2, 14);
    const gradient = await result.gradient.toArray();
    const expected = [0.25 / 2, (0.75 - 1) / 2, (0.5 - 1) / 2, 0.5 / 2];
    expected.forEach((value, index) => {
      expect(gradient[index]).toBeCloseTo(value, 14);
    });
    result.dispose();
    logits.dispose();
  });

  it.each([
    { name: 'class indices, mean', probabilities: false, reduction: 'mean' as const },
    { name: 'probabilities, sum', probabilities: true, reduction: 'sum' as const },
  ])('gradient matches central differences ($name)', async ({ probabilities, reduction }) => {
    const random = new Random(8);
    const shape = [2, 3, 4];
    const values = random.uniformArray(24, -3, 3);
    let targets: number[] | { data: Float64Array; shape: number[] } = [0, 3, 1, 2, 2, 0];
    if (probabilities) {
      const data = random.uniformArray(24, 0, 1);
      for (let row = 0; row < 6; row++) {
        const sum = data.slice(row * 4, row * 4 + 4).reduce((a, b) => a + b, 0);
        for (let c = 0; c < 4; c++) {
          data[row * 4 + c]! /= sum;
        }
      }
      targets = { data, shape };
    }
    const logits = Tensor.fromHost(backend, { data: values, shape });
    const result = await softmaxCrossEntropy(logits, targets, { reduction });
    const numeric = await centralDifference(values, () =>
      lossValue((p) => softmaxCrossEntropy(p, targets, { reduction }), values, shape),
    );
    const error = compare('logits', await result.gradient.toArray(), numeric);
    expect(error.error, JSON.stringify(error)).toBeLessThan(1e-8);
    result.dispose();
    logits.dispose();
  });

  it('is numerically stable for huge logits (log-sum-exp)', async () => {
    const logits = Tensor.fromHost(backend, { data: [1000, 0, -1000, 800, 1000, 1000], shape: [2, 3] });
    const result = await softmaxCrossEntropy(logits, [1, 0]);
    // Row 0: log-sum-exp ≈ 1000, so −log softmax_1 = 1000. Row 1: 1000 + log 2 − 800.
    // Without the max shift, e^1000 overflows to Infinity and the loss is NaN.
    expect(result.value).toBeCloseTo((1000 + 200 + Math.log(2)) / 2, 9);
    const gradient = await result.gradient.toArray();
    expect(gradient.every(Number.isFinite)).toBe(true);
    expect(gradient[0]).toBeCloseTo(0.5, 12);
    expect(gradient[1]).toBeCloseTo(-0.5, 12);
    result.dispose();
    logits.dispose();
  });

  it('rejects class indices out of range or of the wrong count', async () => {
    const logits = Tensor.fromHost(backend, { data: [1, 2, 3, 4], shape: [2, 2] });
    await expect(softmaxCrossEntropy(logits, [0, 2])).rejects.toThrow(ValueError);
    await expect(softmaxCrossEntropy(logits, [0, 2])).rejects.toThrow(
      /targets\[1\] is 2; expected an integer class index in 0\.\.1/,
    );
    await expect(softmaxCrossEntropy(logits, [0])).rejects.toThrow(ShapeError);
    logits.dispose();
  });
});
