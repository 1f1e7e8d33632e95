import { describe, expect, it } from 'vitest';
import { clipGradientNorm, Tensor, ValueError } from '../../src/index.js';
import { Random } from '../../src/random.js';
import { createReferenceBackend } from '../../src/reference/index.js';

const backend = createReferenceBackend();

function norm(arrays: ArrayLike<number>[]): number {
  let sum = 0;
  for (const values of arrays) {
    for (let index = 0; index < values.length; index++) {
      sum += values[index]! ** 2;
    }
  }
  return Math.sqrt(sum);
}

async function setUp(seed: number) {
  const random = new Random(seed);
  const host = [random.uniformArray(12, -3, 3), random.uniformArray(4, -3, 3), random.uniformArray(1, -3, 3)];
  const shapes = [[4, 3], [4], [1, 1]];
  const tensors = host.map((data, index) => Tensor.fromHost(backend, { data, shape: shapes[index]! }));
  return { host, tensors };
}

describe('clipGradientNorm', () => {
  it('scales the global norm down to maxNorm and keeps the direction', async () => {
    const live = backend.liveBufferCount();
    const { host, tensors } = await setUp(4);
    const before = norm(host);
    expect(before).toBeGreaterThan(2);
    const reported = await clipGradientNorm(tensors, 1);
    expect(reported).toBeCloseTo(before, 12);
    const after = await Promise.all(tensors.map((tensor) => tensor.toArray()));
    expect(norm(after)).toBeLessThanOrEqual(1);
    expect(norm(after)).toBeCloseTo(1, 5);
    // Same direction: every element is the original times one common factor.
    const factor = after[0]![0]! / host[0]![0]!;
    expect(factor).toBeCloseTo(1 / (before + 1e-6), 12);
    host.forEach((values, tensorIndex) => {
      values.forEach((value, index) => {
        expect(after[tensorIndex]![index]).toBeCloseTo(value * factor, 14);
      });
    });
    for (const tensor of tensors) {
      tensor.dispose();
    }
    expect(backend.liveBufferCount()).toBe(live);
  });

  it('leaves gradients whose norm is below maxNorm untouched', async () => {
    const { host, tensors } = await setUp(5);
    const before = norm(host);
    expect(await clipGradientNorm(tensors, before * 2)).toBeCloseTo(before, 12);
    const after = await Promise.all(tensors.map((tensor) => tensor.toArray()));
    host.forEach((values, index) => {
      expect(Array.from(after[index]!)).toEqual(Array.from(values));
    });
    for (const tensor of tensors) {
      tensor.dispose();
    }
  });

  it('rejects a non-positive maxNorm', async () => {
    const { tensors } = await setUp(6);
    await expect(clipGradientNorm(tensors, 0)).rejects.toThrow(ValueError);
    await expect(clipGradientNorm(tensors, 0)).rejects.toThrow(
      /clipGradientNorm: maxNorm is 0; expected a finite number > 0/,
    );
    for (const tensor of tensors) {
      tensor.dispose();
    }
  });
});
