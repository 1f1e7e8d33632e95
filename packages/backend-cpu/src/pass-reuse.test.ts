/**
 * What a pass reuses between calls must never go stale: the packed copies of the weights that
 * the WebAssembly GEMM keeps (keyed by buffer, view and write count) and the step launches core
 * resolves per pass. Each case runs the same calls on this backend and on core's float64
 * reference and compares every result: weights replaced by `setWeights` or by an optimiser
 * between passes, consecutive calls of different batch sizes, lengths and `sequenceLengths`, and
 * `step` interleaved with `forward`.
 */
import {
  type Backend,
  createGru,
  createLstm,
  createRnn,
  listGradients,
  listParameters,
  type RecurrentLayer,
  Sgd,
} from '@recurrent/core';
import { createReferenceBackend } from '@recurrent/core/reference';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from './index.js';

const factories = { rnn: createRnn, gru: createGru, lstm: createLstm };
const inputSize = 3;
const hiddenSize = 5;

function pair(cell: keyof typeof factories, dtype: 'float32' | 'float64') {
  const create = (backend: Backend): RecurrentLayer =>
    factories[cell](backend, { inputSize, hiddenSize, seed: 7 });
  return { cpu: create(createCpuBackend({ dtype })), reference: create(createReferenceBackend()) };
}

function sequence(batch: number, steps: number, seed: number) {
  const data = Array.from({ length: batch * steps * inputSize }, (_, index) => Math.sin(seed + index * 0.37));
  return { data, shape: [batch, steps, inputSize] };
}

async function expectSameForward(
  layers: ReturnType<typeof pair>,
  input: ReturnType<typeof sequence>,
  tolerance: number,
  options: { sequenceLengths?: number[] } = {},
): Promise<number[]> {
  const cpu = layers.cpu.forward(input, options);
  const reference = layers.reference.forward(input, options);
  const actual = [...(await cpu.output.toArray()), ...(await cpu.hidden.toArray())];
  const expected = [...(await reference.output.toArray()), ...(await reference.hidden.toArray())];
  cpu.dispose();
  reference.dispose();
  expect(actual.length).toBe(expected.length);
  actual.forEach((value, index) => {
    expect(Math.abs(value - expected[index]!)).toBeLessThanOrEqual(tolerance);
  });
  return actual;
}

const cases = (['rnn', 'gru', 'lstm'] as const).flatMap((cell) =>
  (['float32', 'float64'] as const).map((dtype) => ({
    cell,
    dtype,
    tolerance: dtype === 'float32' ? 1e-5 : 1e-12,
  })),
);

describe.each(cases)('state reused between passes ($cell, $dtype)', ({ cell, dtype, tolerance }) => {
  it('sees weights replaced by setWeights between passes', async () => {
    const layers = pair(cell, dtype);
    const input = sequence(2, 6, 1);
    const before = await expectSameForward(layers, input, tolerance);
    const current = await layers.reference.getWeights();
    const weights = {
      layers: current.layers.map((directions) =>
        directions.map((direction) =>
          Object.fromEntries(
            Object.entries(direction).map(([name, values]) => [
              name,
              Array.from(values ?? [], (_, index) => Math.cos(index) * 0.4),
            ]),
          ),
        ),
      ),
    };
    layers.cpu.setWeights(weights);
    layers.reference.setWeights(weights);
    const after = await expectSameForward(layers, input, tolerance);
    expect(after).not.toEqual(before);
  });

  it('sees an optimiser update of the weights between passes', async () => {
    const layers = pair(cell, dtype);
    const optimisers = [layers.cpu, layers.reference].map(
      (layer) => new Sgd(listParameters(layer), { learningRate: 0.5 }),
    );
    const input = sequence(3, 4, 2);
    const upstream = {
      data: Array.from({ length: 3 * 4 * hiddenSize }, (_, i) => Math.cos(i)),
      shape: [3, 4, hiddenSize],
    };
    for (let round = 0; round < 3; round++) {
      [layers.cpu, layers.reference].forEach((layer, index) => {
        const result = layer.forward(input, { training: true });
        const gradients = layer.backward(result, { output: upstream });
        optimisers[index]!.step(listGradients(gradients));
        gradients.dispose();
        result.dispose();
      });
      await expectSameForward(layers, input, tolerance * 10);
    }
  });

  it('runs consecutive calls of different batch sizes, lengths and sequenceLengths', async () => {
    const layers = pair(cell, dtype);
    const shapes: [number, number][] = [
      [2, 5],
      [3, 2],
      [1, 7],
      [2, 5],
      [4, 1],
    ];
    for (const [index, [batch, steps]] of shapes.entries()) {
      await expectSameForward(layers, sequence(batch, steps, index), tolerance);
    }
    await expectSameForward(layers, sequence(3, 4, 9), tolerance, { sequenceLengths: [4, 1, 2] });
    await expectSameForward(layers, sequence(3, 4, 9), tolerance);
  });

  it('interleaves step with forward', async () => {
    const layers = pair(cell, dtype);
    const batch = 2;
    const stepInput = (seed: number) => ({
      data: Array.from({ length: batch * inputSize }, (_, index) => Math.sin(seed * 3 + index)),
      shape: [batch, inputSize],
    });
    const states = { cpu: layers.cpu.step(stepInput(0)), reference: layers.reference.step(stepInput(0)) };
    for (let round = 1; round < 4; round++) {
      await expectSameForward(layers, sequence(batch + round, round + 2, round), tolerance);
      const cpu = layers.cpu.step(stepInput(round), states.cpu);
      const reference = layers.reference.step(stepInput(round), states.reference);
      const actual = await cpu.output.toArray();
      const expected = await reference.output.toArray();
      actual.forEach((value, index) => {
        expect(Math.abs(value - expected[index]!)).toBeLessThanOrEqual(tolerance);
      });
      states.cpu.dispose();
      states.reference.dispose();
      Object.assign(states, { cpu, reference });
    }
    states.cpu.dispose();
    states.reference.dispose();
  });
});
