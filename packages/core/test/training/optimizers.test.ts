/**
 * Optimiser steps against PyTorch's update formulas, written out by hand in float64 on the
 * host (torch.optim.SGD and torch.optim.Adam/AdamW, default options unless stated).
 */
import { describe, expect, it } from 'vitest';
import {
  Adam,
  type AdamOptions,
  DisposedError,
  Sgd,
  type SgdOptions,
  ShapeError,
  Tensor,
  ValueError,
} from '../../src/index.js';
import { Random } from '../../src/random.js';
import { createReferenceBackend } from '../../src/reference/index.js';

const backend = createReferenceBackend();
const steps = 4;

/** Two parameters ([2, 3] and [3]) and a fixed gradient sequence for them. */
function problem(seed: number) {
  const random = new Random(seed);
  const initial = [random.uniformArray(6, -1, 1), random.uniformArray(3, -1, 1)];
  const gradients = Array.from({ length: steps }, () => [
    random.uniformArray(6, -1, 1),
    random.uniformArray(3, -1, 1),
  ]);
  return { initial, gradients, shapes: [[2, 3], [3]] };
}

async function runOnDevice(
  make: (parameters: Tensor[]) => Sgd | Adam,
  seed: number,
): Promise<Float64Array[][]> {
  const { initial, gradients, shapes } = problem(seed);
  const live = backend.liveBufferCount();
  const parameters = initial.map((data, index) => Tensor.fromHost(backend, { data, shape: shapes[index]! }));
  const optimizer = make(parameters);
  const history: Float64Array[][] = [];
  for (const stepGradients of gradients) {
    const tensors = stepGradients.map((data, index) =>
      Tensor.fromHost(backend, { data, shape: shapes[index]! }),
    );
    const before = backend.liveBufferCount();
    optimizer.step(tensors);
    expect(backend.liveBufferCount()).toBe(before);
    history.push(
      await Promise.all(parameters.map(async (parameter) => Float64Array.from(await parameter.toArray()))),
    );
    for (const tensor of tensors) {
      tensor.dispose();
    }
  }
  expect(optimizer.stepCount).toBe(steps);
  optimizer.dispose();
  for (const parameter of parameters) {
    parameter.dispose();
  }
  expect(backend.liveBufferCount()).toBe(live);
  return history;
}

/** torch.optim.SGD.step for one tensor, element by element. */
function sgdReference(options: Required<SgdOptions>, seed: number): Float64Array[][] {
  const { initial, gradients } = problem(seed);
  const parameters = initial.map((values) => Float64Array.from(values));
  const velocities = initial.map(() => undefined as Float64Array | undefined);
  const { learningRate: lr, momentum, dampening, nesterov, weightDecay } = options;
  return gradients.map((stepGradients) => {
    parameters.forEach((parameter, index) => {
      const g = Float64Array.from(stepGradients[index]!, (value, i) => value + weightDecay * parameter[i]!);
      let direction = g;
      if (momentum !== 0) {
        const previous = velocities[index];
        const velocity = previous
          ? Float64Array.from(previous, (v, i) => momentum * v + (1 - dampening) * g[i]!)
          : Float64Array.from(g);
        velocities[index] = velocity;
        direction = nesterov ? Float64Array.from(g, (value, i) => value + momentum * velocity[i]!) : velocity;
      }
      parameter.forEach((value, i) => {
        parameter[i] = value - lr * direction[i]!;
      });
    });
    return parameters.map((parameter) => Float64Array.from(parameter));
  });
}

/** torch.optim.Adam / AdamW step for one tensor, element by element. */
function adamReference(options: Required<AdamOptions>, seed: number): Float64Array[][] {
  const { initial, gradients } = problem(seed);
  const parameters = initial.map((values) => Float64Array.from(values));
  const first = initial.map((values) => new Float64Array(values.length));
  const second = initial.map((values) => new Float64Array(values.length));
  const { learningRate: lr, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay } = options;
  return gradients.map((stepGradients, stepIndex) => {
    const t = stepIndex + 1;
    parameters.forEach((parameter, index) => {
      const m = first[index]!;
      const v = second[index]!;
      parameter.forEach((theta, i) => {
        let g = stepGradients[index]![i]!;
        let decayed = theta;
        if (decoupledWeightDecay) {
          decayed = theta * (1 - lr * weightDecay);
        } else {
          g += weightDecay * theta;
        }
        m[i] = beta1 * m[i]! + (1 - beta1) * g;
        v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
        const stepSize = lr / (1 - beta1 ** t);
        const denominator = Math.sqrt(v[i]!) / Math.sqrt(1 - beta2 ** t) + epsilon;
        parameter[i] = decayed - stepSize * (m[i]! / denominator);
      });
    });
    return parameters.map((parameter) => Float64Array.from(parameter));
  });
}

function expectClose(actual: Float64Array[][], expected: Float64Array[][]): void {
  actual.forEach((step, stepIndex) => {
    step.forEach((tensor, tensorIndex) => {
      tensor.forEach((value, i) => {
        const reference = expected[stepIndex]![tensorIndex]![i]!;
        expect(
          Math.abs(value - reference),
          `step ${stepIndex + 1}, tensor ${tensorIndex}, element ${i}`,
        ).toBeLessThan(1e-14 * Math.max(1, Math.abs(reference)));
      });
    });
  });
}

const sgdDefaults = { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 };

describe('Sgd (PyTorch convention)', () => {
  it.each([
    { name: 'plain', options: { ...sgdDefaults, learningRate: 0.1 } },
    { name: 'plain with weight decay', options: { ...sgdDefaults, learningRate: 0.1, weightDecay: 0.01 } },
    { name: 'momentum', options: { ...sgdDefaults, learningRate: 0.05, momentum: 0.9 } },
    {
      name: 'momentum, dampening',
      options: { ...sgdDefaults, learningRate: 0.05, momentum: 0.9, dampening: 0.3 },
    },
    {
      name: 'nesterov, weight decay',
      options: { ...sgdDefaults, learningRate: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0.1 },
    },
  ])('$name', async ({ options }) => {
    const actual = await runOnDevice((parameters) => new Sgd(parameters, options), 1);
    expectClose(actual, sgdReference(options, 1));
  });

  it('first step with momentum moves by lr · g (v starts as g)', async () => {
    const parameter = Tensor.fromHost(backend, { data: [1, 2], shape: [2] });
    const gradient = Tensor.fromHost(backend, { data: [0.5, -1], shape: [2] });
    const sgd = new Sgd([parameter], { learningRate: 0.1, momentum: 0.9 });
    sgd.step([gradient]);
    expect(Array.from(await parameter.toArray())).toEqual([1 - 0.05, 2 + 0.1]);
    expect(Array.from(await sgd.readVelocity(0))).toEqual([0.5, -1]);
    sgd.step([gradient]);
    // v = 0.9 · g + g = 1.9 g.
    expect(Array.from(await sgd.readVelocity(0))).toEqual([0.95, -1.9]);
    for (const item of [sgd, parameter, gradient]) {
      item.dispose();
    }
  });

  it('rejects bad options and mismatched gradients with typed errors', () => {
    const parameter = Tensor.fromHost(backend, { data: [1, 2], shape: [2] });
    expect(() => new Sgd([parameter], { learningRate: -1 })).toThrow(ValueError);
    expect(() => new Sgd([parameter], { learningRate: 0.1, nesterov: true })).toThrow(
      /expected momentum > 0/,
    );
    expect(() => new Sgd([], { learningRate: 0.1 })).toThrow(/expected a non-empty array/);
    const sgd = new Sgd([parameter], { learningRate: 0.1 });
    const wrong = Tensor.fromHost(backend, { data: [1, 2, 3], shape: [3] });
    expect(() => sgd.step([wrong])).toThrow(ShapeError);
    expect(() => sgd.step([wrong])).toThrow(/Sgd: gradients\[0\] has 3 elements; expected 2/);
    expect(() => sgd.step([])).toThrow(/expected 1 tensors, one per parameter/);
    sgd.dispose();
    expect(() => sgd.step([wrong])).toThrow(DisposedError);
    wrong.dispose();
    parameter.dispose();
  });
});

const adamDefaults = {
  learningRate: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  weightDecay: 0,
  decoupledWeightDecay: false,
};

describe('Adam (PyTorch convention)', () => {
  it.each([
    { name: 'defaults', options: adamDefaults },
    {
      name: 'lr 0.1, betas (0.8, 0.99)',
      options: { ...adamDefaults, learningRate: 0.1, beta1: 0.8, beta2: 0.99 },
    },
    { name: 'L2 weight decay', options: { ...adamDefaults, learningRate: 0.01, weightDecay: 0.1 } },
    {
      name: 'decoupled weight decay (AdamW)',
      options: { ...adamDefaults, learningRate: 0.01, weightDecay: 0.1, decoupledWeightDecay: true },
    },
  ])('$name', async ({ options }) => {
    const actual = await runOnDevice((parameters) => new Adam(parameters, options), 2);
    expectClose(actual, adamReference(options, 2));
  });

  it('first step moves every element by about lr · sign(g) (bias correction)', async () => {
    const parameter = Tensor.fromHost(backend, { data: [0, 0, 0], shape: [3] });
    const gradient = Tensor.fromHost(backend, { data: [1e-3, -5, 2], shape: [3] });
    const adam = new Adam([parameter], { learningRate: 0.1 });
    adam.step([gradient]);
    const values = await parameter.toArray();
    expect(values[0]).toBeCloseTo(-0.1, 5);
    expect(values[1]).toBeCloseTo(0.1, 7);
    expect(values[2]).toBeCloseTo(-0.1, 7);
    const [m, v] = await adam.readMoments(0);
    expect(m[1]).toBeCloseTo(-0.5, 14);
    expect(v[1]).toBeCloseTo(0.025, 14);
    for (const item of [adam, parameter, gradient]) {
      item.dispose();
    }
  });

  it('rejects β outside [0, 1)', () => {
    const parameter = Tensor.fromHost(backend, { data: [1], shape: [1] });
    expect(() => new Adam([parameter], { beta1: 1 })).toThrow(
      /Adam: beta1 is 1; expected a finite number in \[0, 1\)/,
    );
    parameter.dispose();
  });
});
