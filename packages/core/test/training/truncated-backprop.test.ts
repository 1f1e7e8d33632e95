import { describe, expect, it } from 'vitest';
import {
  backpropTruncated,
  type ChunkLoss,
  createGru,
  createLstm,
  type LayerGradients,
  listGradients,
  type RecurrentLayer,
  type SequenceResult,
  UnsupportedError,
} from '../../src/index.js';
import { Random } from '../../src/random.js';
import { createReferenceBackend } from '../../src/reference/index.js';

const backend = createReferenceBackend();
const batch = 2;
const steps = 6;
const inputSize = 2;
const hiddenSize = 3;

/** L = Σ output ⊙ G over the chunk's steps: the upstream gradient is the slice of G. */
function linearLoss(layer: RecurrentLayer, weights: Float64Array) {
  return async (result: SequenceResult, chunk: { start: number; steps: number }): Promise<ChunkLoss> => {
    const output = await result.output.toArray();
    const gradient = new Float64Array(batch * chunk.steps * hiddenSize);
    let value = 0;
    for (let sample = 0; sample < batch; sample++) {
      for (let step = 0; step < chunk.steps; step++) {
        for (let unit = 0; unit < hiddenSize; unit++) {
          const local = (sample * chunk.steps + step) * hiddenSize + unit;
          const weight = weights[(sample * steps + chunk.start + step) * hiddenSize + unit]!;
          gradient[local] = weight;
          value += weight * output[local]!;
        }
      }
    }
    return { value, output: { data: gradient, shape: [batch, chunk.steps, layer.hiddenSize] } };
  };
}

async function gradientValues(gradients: LayerGradients): Promise<number[][]> {
  return Promise.all(listGradients(gradients).map(async (tensor) => Array.from(await tensor.toArray())));
}

function data(seed: number) {
  const random = new Random(seed);
  return {
    input: random.uniformArray(batch * steps * inputSize, -1, 1),
    weights: random.uniformArray(batch * steps * hiddenSize, -1, 1),
  };
}

describe.each([
  ['GRU', () => createGru(backend, { inputSize, hiddenSize, seed: 2 })],
  ['LSTM', () => createLstm(backend, { inputSize, hiddenSize, seed: 3 })],
])('backpropTruncated (%s)', (_name, create) => {
  it.each([steps, steps + 4])('with chunkLength %i ≥ T equals full BPTT exactly', async (chunkLength) => {
    const layer = create();
    const { input, weights } = data(1);
    const x = { data: input, shape: [batch, steps, inputSize] };
    const live = backend.liveBufferCount();
    const truncated = await backpropTruncated(layer, x, { chunkLength, loss: linearLoss(layer, weights) });
    expect(truncated.losses).toHaveLength(1);

    const result = layer.forward(x, { training: true });
    const full = await linearLoss(layer, weights)(result, { start: 0, steps });
    const gradients = layer.backward(result, { output: full.output!, inputGradient: false });
    expect(truncated.losses[0]).toBe(full.value);
    expect(await gradientValues(truncated.gradients!)).toEqual(await gradientValues(gradients));
    expect(Array.from(await truncated.hidden.toArray())).toEqual(Array.from(await result.hidden.toArray()));
    gradients.dispose();
    result.dispose();
    truncated.gradients!.dispose();
    truncated.hidden.dispose();
    truncated.cell?.dispose();
    expect(backend.liveBufferCount()).toBe(live);
    layer.dispose();
  });

  it('with chunkLength < T, a chunk’s gradient ignores later chunks (it truncates)', async () => {
    const layer = create();
    const chunkLength = 2;
    const { input, weights } = data(4);
    const x = { data: input, shape: [batch, steps, inputSize] };
    const perChunk: number[][][] = [];
    const run = await backpropTruncated(layer, x, {
      chunkLength,
      loss: linearLoss(layer, weights),
      onGradients: async (gradients) => {
        perChunk.push(await gradientValues(gradients));
      },
    });
    expect(run.losses).toHaveLength(3);
    expect(run.gradients).toBeUndefined();

    // The first chunk's gradient equals full BPTT on the first k steps alone…
    const head = new Float64Array(batch * chunkLength * inputSize);
    for (let sample = 0; sample < batch; sample++) {
      head.set(
        input.subarray(sample * steps * inputSize, (sample * steps + chunkLength) * inputSize),
        sample * chunkLength * inputSize,
      );
    }
    const result = layer.forward({ data: head, shape: [batch, chunkLength, inputSize] }, { training: true });
    const loss = await linearLoss(layer, weights)(result, { start: 0, steps: chunkLength });
    const gradients = layer.backward(result, { output: loss.output!, inputGradient: false });
    expect(perChunk[0]).toEqual(await gradientValues(gradients));

    // The second chunk starts from the first chunk's final states, as constants: its gradient is
    // that of a fresh pass over steps k..2k−1 given those states as initial states.
    const stateShape = [1, batch, hiddenSize];
    const carried = {
      initialHidden: { data: await result.hidden.toArray(), shape: stateShape },
      ...(result.cell ? { initialCell: { data: await result.cell.toArray(), shape: stateShape } } : {}),
    };
    const second = new Float64Array(batch * chunkLength * inputSize);
    for (let sample = 0; sample < batch; sample++) {
      const from = (sample * steps + chunkLength) * inputSize;
      second.set(input.subarray(from, from + chunkLength * inputSize), sample * chunkLength * inputSize);
    }
    const secondResult = layer.forward(
      { data: second, shape: [batch, chunkLength, inputSize] },
      { ...carried, training: true },
    );
    const secondLoss = await linearLoss(layer, weights)(secondResult, {
      start: chunkLength,
      steps: chunkLength,
    });
    const secondGradients = layer.backward(secondResult, {
      output: secondLoss.output!,
      inputGradient: false,
    });
    expect(run.losses[1]).toBe(secondLoss.value);
    expect(perChunk[1]).toEqual(await gradientValues(secondGradients));
    secondGradients.dispose();
    secondResult.dispose();
    gradients.dispose();
    result.dispose();

    // …and differs from full BPTT, whose gradient also carries later steps' losses back.
    const fullResult = layer.forward(x, { training: true });
    const fullLoss = await linearLoss(layer, weights)(fullResult, { start: 0, steps });
    const full = layer.backward(fullResult, { output: fullLoss.output!, inputGradient: false });
    const fullValues = await gradientValues(full);
    const summed = perChunk[0]!.map((tensor, t) =>
      tensor.map((value, i) => value + perChunk[1]![t]![i]! + perChunk[2]![t]![i]!),
    );
    const difference = Math.max(
      ...summed.flatMap((tensor, t) => tensor.map((value, i) => Math.abs(value - fullValues[t]![i]!))),
    );
    expect(difference).toBeGreaterThan(1e-6);
    // The forward values are not truncated: the chunk losses add up to the full loss.
    expect(run.losses.reduce((a, b) => a + b, 0)).toBeCloseTo(fullLoss.value, 12);
    full.dispose();
    fullResult.dispose();
    run.hidden.dispose();
    run.cell?.dispose();
    layer.dispose();
  });

  it('accumulate mode returns the sum of the per-chunk gradients', async () => {
    const layer = create();
    const { input, weights } = data(7);
    const x = { data: input, shape: [batch, steps, inputSize] };
    const perChunk: number[][][] = [];
    const applied = await backpropTruncated(layer, x, {
      chunkLength: 4,
      loss: linearLoss(layer, weights),
      onGradients: async (gradients) => {
        perChunk.push(await gradientValues(gradients));
      },
    });
    const accumulated = await backpropTruncated(layer, x, {
      chunkLength: 4,
      loss: linearLoss(layer, weights),
    });
    const values = await gradientValues(accumulated.gradients!);
    values.forEach((tensor, t) => {
      tensor.forEach((value, i) => {
        expect(value).toBeCloseTo(perChunk[0]![t]![i]! + perChunk[1]![t]![i]!, 14);
      });
    });
    for (const run of [applied, accumulated]) {
      run.gradients?.dispose();
      run.hidden.dispose();
      run.cell?.dispose();
    }
    layer.dispose();
  });
});

describe('backpropTruncated validation', () => {
  it('rejects bidirectional layers and a bad chunk length', async () => {
    const x = { data: new Float64Array(batch * steps * inputSize), shape: [batch, steps, inputSize] };
    const loss = async () => ({ value: 0 });
    const bidirectional = createGru(backend, { inputSize, hiddenSize, bidirectional: true });
    await expect(backpropTruncated(bidirectional, x, { chunkLength: 2, loss })).rejects.toThrow(
      UnsupportedError,
    );
    const layer = createGru(backend, { inputSize, hiddenSize });
    await expect(backpropTruncated(layer, x, { chunkLength: 0, loss })).rejects.toThrow(
      /backpropTruncated: chunkLength is 0; expected a positive integer/,
    );
    bidirectional.dispose();
    layer.dispose();
  });
});
