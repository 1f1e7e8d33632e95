/**
 * The quick-start example of packages/core/README.md, run as a test. The code between the
 * region markers is the README's snippet, character for character (checked below).
 */

// #region readme-example
import {
  Adam,
  createGru,
  Linear,
  listGradients,
  listParameters,
  meanSquaredError,
  Random,
} from '@recurrent/core';
import { createReferenceBackend } from '@recurrent/core/reference';

// Task: read a sequence of random numbers and output the first one at the end (memory).
const backend = createReferenceBackend(); // float64, plain loops; any Backend works the same way
const batch = 16;
const steps = 5;
const gru = createGru(backend, { inputSize: 1, hiddenSize: 8, seed: 1 });
const readout = new Linear(backend, { inputSize: 8, outputSize: 1, seed: 2 });
const optimizer = new Adam([...listParameters(gru), ...readout.parameters], { learningRate: 0.02 });
const random = new Random(3);

const losses: number[] = [];
for (let iteration = 0; iteration < 150; iteration++) {
  const x = random.uniformArray(batch * steps, -1, 1);
  const target = Float64Array.from({ length: batch }, (_, sample) => x[sample * steps]!);

  const result = gru.forward({ data: x, shape: [batch, steps, 1] }, { training: true });
  const prediction = readout.forward(result.hidden); // [1, batch, 1] from the last hidden state
  const loss = await meanSquaredError(prediction, { data: target, shape: [1, batch, 1] });
  const readoutGradients = readout.backward(result.hidden, loss.gradient);
  const gruGradients = gru.backward(result, { hidden: readoutGradients.input! });
  optimizer.step([...listGradients(gruGradients), ...readoutGradients.parameters]);
  losses.push(loss.value);

  for (const owned of [gruGradients, readoutGradients, loss, prediction, result]) {
    owned.dispose();
  }
}
console.log(`loss ${losses[0]!.toFixed(3)} → ${losses.at(-1)!.toFixed(3)}`);

// #endregion readme-example

import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

const regionPattern = /\/\/ #region readme-example\n([\s\S]*?)\/\/ #endregion readme-example/;

describe('README example', () => {
  it('trains: the loss drops below 30% of its initial value', () => {
    const average = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const initial = average(losses.slice(0, 10));
    const final = average(losses.slice(-10));
    expect(final).toBeLessThan(0.3 * initial);
  });

  it('leaves only the model and optimiser buffers alive', () => {
    // 6 parameter tensors (GRU: 4, Linear: 2), and Adam's two moments, double-buffered, for each.
    expect(backend.liveBufferCount()).toBe(6 + 6 * 2 * 2);
    optimizer.dispose();
    readout.dispose();
    gru.dispose();
    expect(backend.liveBufferCount()).toBe(0);
  });

  it('is the same code as the README quick start', async () => {
    const test = await readFile(new URL(import.meta.url), 'utf8');
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const code = regionPattern.exec(test)?.[1];
    const snippet = /<!-- readme-example -->\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toBeDefined();
    expect(snippet?.trimEnd()).toBe(code?.trimEnd());
  });
});
