import { createGru, createLstm, createRnn, Random } from '@recurrent/core';
import { createReferenceBackend } from '@recurrent/core/reference';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTfjsRecurrent, type SavedStep } from '../src/peers/tfjs-recurrent.js';

// The TensorFlow.js peer must compute what this library computes, or the baseline is not a
// baseline: its forward output and hand-written BPTT gradients against the reference backend.
const shapes = { steps: 4, batch: 2, inputSize: 3, hiddenSize: 5 };
const gates = { rnn: 1, gru: 3, lstm: 4 } as const;

function transpose(values: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const result = new Float64Array(rows * cols);
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      result[col * rows + row] = values[row * cols + col]!;
    }
  }
  return result;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string): void {
  let scale = 1e-12;
  let worst = 0;
  for (let index = 0; index < expected.length; index++) {
    scale = Math.max(scale, Math.abs(expected[index]!));
  }
  for (let index = 0; index < expected.length; index++) {
    worst = Math.max(worst, Math.abs(actual[index]! - expected[index]!) / scale);
  }
  expect(worst, label).toBeLessThan(1e-5);
  expect(actual.length, label).toBe(expected.length);
}

describe('TensorFlow.js peer workload equals the reference', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  it.each(['rnn', 'gru', 'lstm'] as const)('%s forward and gradients', async (cell) => {
    const { steps, batch, inputSize, hiddenSize } = shapes;
    const backend = createReferenceBackend();
    const options = { inputSize, hiddenSize, layout: 'time-first' as const, seed: 4 };
    const layer =
      cell === 'rnn'
        ? createRnn(backend, options)
        : cell === 'gru'
          ? createGru(backend, { ...options, resetAfter: true })
          : createLstm(backend, options);
    const weights = (await layer.getWeights()).layers[0]![0]!;
    const rows = gates[cell] * hiddenSize;
    const random = new Random(9);
    const x = random.uniformArray(steps * batch * inputSize, -1, 1);
    const upstream = random.uniformArray(steps * batch * hiddenSize, -1, 1);

    const result = layer.forward({ data: x, shape: [steps, batch, inputSize] }, { training: true });
    const gradients = layer.backward(result, {
      output: { data: upstream, shape: [steps, batch, hiddenSize] },
    });
    const expectedOutput = await result.output.toArray();
    const expectedGradients = gradients.parameters[0]![0]!;

    const problem = {
      cell,
      steps,
      batch,
      hiddenSize,
      input: tf.tensor2d(Float32Array.from(x), [steps * batch, inputSize]),
      inputWeights: tf.tensor2d(Float32Array.from(transpose(weights.inputWeights!, rows, inputSize)), [
        inputSize,
        rows,
      ]),
      recurrentWeights: tf.tensor2d(
        Float32Array.from(transpose(weights.recurrentWeights!, rows, hiddenSize)),
        [hiddenSize, rows],
      ),
      inputBias: tf.tensor1d(Float32Array.from(weights.inputBias!)),
      recurrentBias: tf.tensor1d(Float32Array.from(weights.recurrentBias!)),
      outputGradient: tf.tensor3d(Float32Array.from(upstream), [steps, batch, hiddenSize]),
    };
    const { sequence, backward } = createTfjsRecurrent(tf, problem);
    const saved: SavedStep[] = [];
    const { outputs } = sequence(saved);
    const [dInputWeights, dRecurrentWeights, dInputBias, dRecurrentBias, dInput] = backward(saved);
    expectClose(await tf.stack(outputs).data(), expectedOutput, 'output');
    expectClose(
      transpose(await dInputWeights!.data(), inputSize, rows),
      await expectedGradients.inputWeights!.toArray(),
      'dW',
    );
    expectClose(
      transpose(await dRecurrentWeights!.data(), hiddenSize, rows),
      await expectedGradients.recurrentWeights!.toArray(),
      'dU',
    );
    expectClose(await dInputBias!.data(), await expectedGradients.inputBias!.toArray(), 'dbx');
    expectClose(await dRecurrentBias!.data(), await expectedGradients.recurrentBias!.toArray(), 'dbh');
    expectClose(await dInput!.data(), await gradients.input!.toArray(), 'dX');
    tf.disposeVariables();
    gradients.dispose();
    result.dispose();
    layer.dispose();
  });
});
