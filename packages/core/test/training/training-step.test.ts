/** A whole training step (GRU → Linear → MSE → backward → clip → Adam): reproducible and leak-free. */
import { describe, expect, it } from 'vitest';
import {
  Adam,
  clipGradientNorm,
  createGru,
  Linear,
  listGradients,
  listParameters,
  meanSquaredError,
} from '../../src/index.js';
import { Random } from '../../src/random.js';
import { createReferenceBackend } from '../../src/reference/index.js';

const backend = createReferenceBackend();
const batch = 3;
const steps = 4;

function model(seed: number) {
  const gru = createGru(backend, { inputSize: 2, hiddenSize: 4, seed });
  const readout = new Linear(backend, { inputSize: 4, outputSize: 1, seed: seed + 1 });
  const optimizer = new Adam([...listParameters(gru), ...readout.parameters], { learningRate: 0.01 });
  return { gru, readout, optimizer };
}

async function trainingStep(parts: ReturnType<typeof model>, random: Random): Promise<number> {
  const { gru, readout, optimizer } = parts;
  const x = { data: random.uniformArray(batch * steps * 2, -1, 1), shape: [batch, steps, 2] };
  const target = { data: random.uniformArray(batch * steps, -1, 1), shape: [batch, steps, 1] };
  const result = gru.forward(x, { training: true });
  const prediction = readout.forward(result.output);
  const loss = await meanSquaredError(prediction, target);
  const readoutGradients = readout.backward(result.output, loss.gradient);
  const gruGradients = gru.backward(result, { output: readoutGradients.input! });
  const gradients = [...listGradients(gruGradients), ...readoutGradients.parameters];
  await clipGradientNorm(gradients, 1);
  optimizer.step(gradients);
  gruGradients.dispose();
  readoutGradients.dispose();
  loss.dispose();
  prediction.dispose();
  result.dispose();
  return loss.value;
}

async function train(seed: number, count: number): Promise<{ weights: number[][]; losses: number[] }> {
  const parts = model(seed);
  const random = new Random(seed + 100);
  const losses: number[] = [];
  for (let step = 0; step < count; step++) {
    losses.push(await trainingStep(parts, random));
  }
  const weights = await Promise.all(
    [...listParameters(parts.gru), ...parts.readout.parameters].map(async (tensor) =>
      Array.from(await tensor.toArray()),
    ),
  );
  parts.optimizer.dispose();
  parts.readout.dispose();
  parts.gru.dispose();
  return { weights, losses };
}

describe('a training step', () => {
  it('is reproducible: the same seed gives bit-identical weights after N steps', async () => {
    const first = await train(7, 5);
    const second = await train(7, 5);
    expect(second.weights).toEqual(first.weights);
    expect(second.losses).toEqual(first.losses);
    const other = await train(8, 5);
    expect(other.weights).not.toEqual(first.weights);
  });

  it('leaks no device buffer', async () => {
    const before = backend.liveBufferCount();
    const parts = model(3);
    const random = new Random(1);
    await trainingStep(parts, random);
    const afterFirst = backend.liveBufferCount();
    await trainingStep(parts, random);
    expect(backend.liveBufferCount()).toBe(afterFirst);
    parts.optimizer.dispose();
    parts.readout.dispose();
    parts.gru.dispose();
    expect(backend.liveBufferCount()).toBe(before);
  });
});
