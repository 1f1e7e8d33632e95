/**
 * Dropout between stacked layers: p = 0 in training is exactly no dropout; p > 0 is reproducible
 * from the seed, acts only with `training: true`, and only between layers (a single layer has
 * nowhere to apply it).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createReferenceBackend } from '../../src/reference/index.js';
import type { CommonOptions } from './layer-cases.js';
import {
  type CellVariant,
  cellVariants,
  expectClose,
  layerOptions,
  newRandom,
  propertyParameters,
  randomValues,
  shapeCase,
  toLayout,
  variantNames,
} from './layer-cases.js';
import { runPass } from './run-pass.js';

const backend = createReferenceBackend();

/** Output of one forward pass on `input` (`[B][T][I]`), downloaded and disposed. */
async function outputOf(
  variant: CellVariant,
  options: CommonOptions,
  input: Float64Array,
  batch: number,
  steps: number,
  training: boolean,
  weightsFrom?: CommonOptions,
): Promise<Float64Array[]> {
  const layer = cellVariants[variant](backend, options);
  if (weightsFrom) {
    const source = cellVariants[variant](backend, weightsFrom);
    layer.setWeights(await source.getWeights());
    source.dispose();
  }
  const outputs: Float64Array[] = [];
  // Two calls in a row: the second draws fresh masks, and must still match between equal seeds.
  for (let call = 0; call < 2; call++) {
    const result = layer.forward(
      toLayout(input, batch, steps, options.inputSize, options.layout ?? 'batch-first'),
      {
        training,
      },
    );
    outputs.push(Float64Array.from(await result.output.toArray()));
    result.dispose();
  }
  layer.dispose();
  return outputs;
}

const sizes = { inputSize: 3, hiddenSize: 4, numLayers: 3 };
const [batch, steps] = [3, 4];
const input = randomValues(newRandom(5), batch * steps * sizes.inputSize);

describe('dropout', () => {
  it('p = 0 in training equals inference (outputs and final states)', async () => {
    const live = backend.liveBufferCount();
    await fc.assert(
      fc.asyncProperty(shapeCase(), async (shape) => {
        const layer = cellVariants[shape.variant](backend, { ...layerOptions(shape), dropout: 0 });
        const random = newRandom(shape.seed);
        const x = randomValues(random, shape.batch * shape.steps * shape.inputSize);
        const inference = await runPass(layer, { batch: shape.batch, steps: shape.steps, input: x });
        const training = await runPass(layer, {
          batch: shape.batch,
          steps: shape.steps,
          input: x,
          upstream: {
            output: randomValues(random, shape.batch * shape.steps * layer.outputSize),
            hidden: new Float64Array(layer.numLayers * shape.batch * shape.hiddenSize),
          },
        });
        expectClose(training.output, inference.output, 'output', 0);
        expectClose(training.hidden, inference.hidden, 'hidden', 0);
        layer.dispose();
      }),
      propertyParameters(20),
    );
    expect(backend.liveBufferCount(), 'live buffers').toBe(live);
  });

  it.each(variantNames)('%s: p > 0 is reproducible per seed and differs between seeds', async (variant) => {
    const options = { ...sizes, dropout: 0.5, seed: 42 };
    const first = await outputOf(variant, options, input, batch, steps, true);
    const again = await outputOf(variant, options, input, batch, steps, true);
    expectClose(again[0]!, first[0]!, 'first call, same seed', 0);
    expectClose(again[1]!, first[1]!, 'second call, same seed', 0);
    // Same weights, another seed: only the dropout masks differ.
    const otherMasks = await outputOf(variant, { ...options, seed: 43 }, input, batch, steps, true, options);
    expect(otherMasks[0]).not.toEqual(first[0]);
    // Successive calls draw new masks.
    expect(first[1]).not.toEqual(first[0]);
  });

  it.each(variantNames)('%s: p > 0 acts only in training, and only between layers', async (variant) => {
    const options = { ...sizes, dropout: 0.5, seed: 7 };
    const noDropout = await outputOf(variant, { ...options, dropout: 0 }, input, batch, steps, false);
    const inference = await outputOf(variant, options, input, batch, steps, false);
    expectClose(inference[0]!, noDropout[0]!, 'inference with p = 0.5', 0);
    expectClose(inference[1]!, noDropout[0]!, 'second inference with p = 0.5', 0);
    const training = await outputOf(variant, options, input, batch, steps, true);
    expect(training[0]).not.toEqual(noDropout[0]);

    const single = { ...options, numLayers: 1 };
    const singleTraining = await outputOf(variant, single, input, batch, steps, true);
    const singleInference = await outputOf(variant, { ...single, dropout: 0 }, input, batch, steps, false);
    expectClose(singleTraining[0]!, singleInference[0]!, 'one layer: nothing to drop', 0);
  });
});
