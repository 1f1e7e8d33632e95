/**
 * Direction equivalences, property-based over small random shapes:
 *  - a `reverse` layer equals a `forward` layer with the same weights run on the time-reversed
 *    sequence (outputs reversed back, same final states, input gradients reversed), for full
 *    sequences and, per sample, for right-padded batches (reversal of the valid steps only);
 *  - a `bidirectional` layer equals separate forward and reverse layers with its per-direction
 *    weights, stacked by concatenating their outputs; the final layer's `merge` (concat, sum,
 *    mul, average) combines the two directions' outputs as named.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MergeMode, RecurrentLayer } from '../../src/index.js';
import { createReferenceBackend } from '../../src/reference/index.js';
import {
  type CommonOptions,
  cellVariants,
  columns,
  expectClose,
  hasCellState,
  layerOptions,
  newRandom,
  propertyParameters,
  randomValues,
  reverseSteps,
  sampleSteps,
  shapeCase,
  stateSample,
} from './layer-cases.js';
import { runPass } from './run-pass.js';

const backend = createReferenceBackend();

/** Reverses the steps of every sample of a `[B][T][F]` array. */
function reverseEverySample(
  values: ArrayLike<number>,
  batch: number,
  steps: number,
  width: number,
): Float64Array {
  const result = new Float64Array(values.length);
  for (let sample = 0; sample < batch; sample++) {
    result.set(reverseSteps(sampleSteps(values, steps, width, sample), width), sample * steps * width);
  }
  return result;
}

describe('reverse direction', () => {
  it('equals forward on the time-reversed sequence, with the same weights (full length, with gradients)', async () => {
    const live = backend.liveBufferCount();
    await fc.assert(
      fc.asyncProperty(shapeCase(), async (shape) => {
        const reverse = cellVariants[shape.variant](backend, {
          ...layerOptions(shape),
          direction: 'reverse',
        });
        const forward = cellVariants[shape.variant](backend, {
          ...layerOptions(shape),
          seed: shape.seed + 1,
        });
        forward.setWeights(await reverse.getWeights());
        const random = newRandom(shape.seed);
        const { batch, steps, inputSize, hiddenSize } = shape;
        const stateSize = shape.numLayers * batch * hiddenSize;
        const input = randomValues(random, batch * steps * inputSize);
        const outputGradient = randomValues(random, batch * steps * hiddenSize);
        const states = {
          ...(shape.withInitialStates ? { initialHidden: randomValues(random, stateSize) } : {}),
          ...(shape.withInitialStates && hasCellState(reverse)
            ? { initialCell: randomValues(random, stateSize) }
            : {}),
        };
        const upstream = {
          hidden: randomValues(random, stateSize),
          ...(hasCellState(reverse) ? { cell: randomValues(random, stateSize) } : {}),
        };
        const reversed = await runPass(reverse, {
          batch,
          steps,
          input,
          ...states,
          upstream: { ...upstream, output: outputGradient },
        });
        const mirrored = await runPass(forward, {
          batch,
          steps,
          input: reverseEverySample(input, batch, steps, inputSize),
          ...states,
          upstream: { ...upstream, output: reverseEverySample(outputGradient, batch, steps, hiddenSize) },
        });
        expectClose(reversed.output, reverseEverySample(mirrored.output, batch, steps, hiddenSize), 'output');
        expectClose(reversed.hidden, mirrored.hidden, 'final hidden');
        if (reversed.cell) {
          expectClose(reversed.cell, mirrored.cell!, 'final cell');
        }
        expectClose(
          reversed.gradients!.input,
          reverseEverySample(mirrored.gradients!.input, batch, steps, inputSize),
          'input gradient',
        );
        expectClose(
          reversed.gradients!.initialHidden,
          mirrored.gradients!.initialHidden,
          'initial hidden gradient',
        );
        for (const [name, values] of Object.entries(mirrored.gradients!.parameters)) {
          expectClose(reversed.gradients!.parameters[name]!, values, `parameter gradient ${name}`, 1e-11);
        }
        reverse.dispose();
        forward.dispose();
      }),
      propertyParameters(30),
    );
    expect(backend.liveBufferCount(), 'live buffers').toBe(live);
  });

  it('per sample of a padded batch, equals forward on that sample’s valid steps reversed', async () => {
    const live = backend.liveBufferCount();
    await fc.assert(
      fc.asyncProperty(shapeCase({ minSteps: 2 }), async (shape) => {
        const reverse = cellVariants[shape.variant](backend, {
          ...layerOptions(shape),
          direction: 'reverse',
        });
        const forward = cellVariants[shape.variant](backend, {
          ...layerOptions(shape),
          seed: shape.seed + 1,
        });
        forward.setWeights(await reverse.getWeights());
        const random = newRandom(shape.seed);
        const { batch, steps, inputSize, hiddenSize } = shape;
        const lengths = Array.from({ length: batch }, () => 1 + Math.floor(random.next() * steps));
        const input = randomValues(random, batch * steps * inputSize);
        const padded = await runPass(reverse, { batch, steps, input, sequenceLengths: lengths });
        for (let sample = 0; sample < batch; sample++) {
          const length = lengths[sample]!;
          const alone = await runPass(forward, {
            batch: 1,
            steps: length,
            input: reverseSteps(sampleSteps(input, steps, inputSize, sample, 0, length), inputSize),
          });
          const label = `sample ${sample} (length ${length} of ${steps})`;
          expectClose(
            sampleSteps(padded.output, steps, hiddenSize, sample, 0, length),
            reverseSteps(alone.output, hiddenSize),
            `${label} output`,
          );
          expectClose(stateSample(padded.hidden, batch, hiddenSize, sample), alone.hidden, `${label} hidden`);
          if (padded.cell) {
            expectClose(stateSample(padded.cell, batch, hiddenSize, sample), alone.cell!, `${label} cell`);
          }
        }
        reverse.dispose();
        forward.dispose();
      }),
      propertyParameters(30),
    );
    expect(backend.liveBufferCount(), 'live buffers').toBe(live);
  });
});

/** Runs `layers` of single-direction layers by hand: each layer's input is the concatenation below. */
async function runSeparately(
  forwardLayers: RecurrentLayer[],
  reverseLayers: RecurrentLayer[],
  pass: { batch: number; steps: number; input: Float64Array; lengths?: number[] },
) {
  const { batch, steps } = pass;
  let input = pass.input;
  const hidden: Float64Array[] = [];
  const cell: Float64Array[] = [];
  let last: { forward: Float64Array; reverse: Float64Array } | undefined;
  for (let layer = 0; layer < forwardLayers.length; layer++) {
    const options = { batch, steps, input, ...(pass.lengths ? { sequenceLengths: pass.lengths } : {}) };
    const forward = await runPass(forwardLayers[layer]!, options);
    const reverse = await runPass(reverseLayers[layer]!, options);
    const hiddenSize = forwardLayers[layer]!.hiddenSize;
    hidden.push(forward.hidden, reverse.hidden);
    if (forward.cell && reverse.cell) {
      cell.push(forward.cell, reverse.cell);
    }
    const rows = batch * steps;
    input = new Float64Array(rows * 2 * hiddenSize);
    for (let row = 0; row < rows; row++) {
      input.set(forward.output.subarray(row * hiddenSize, (row + 1) * hiddenSize), row * 2 * hiddenSize);
      input.set(
        reverse.output.subarray(row * hiddenSize, (row + 1) * hiddenSize),
        (row * 2 + 1) * hiddenSize,
      );
    }
    last = { forward: forward.output, reverse: reverse.output };
  }
  const join = (parts: Float64Array[]) => {
    const result = new Float64Array(parts.reduce((total, part) => total + part.length, 0));
    let offset = 0;
    for (const part of parts) {
      result.set(part, offset);
      offset += part.length;
    }
    return result;
  };
  return { concat: input, ...last!, hidden: join(hidden), cell: cell.length > 0 ? join(cell) : undefined };
}

const combine: Record<Exclude<MergeMode, 'concat'>, (forward: number, reverse: number) => number> = {
  sum: (forward, reverse) => forward + reverse,
  mul: (forward, reverse) => forward * reverse,
  average: (forward, reverse) => (forward + reverse) / 2,
};

describe('bidirectional layer', () => {
  it('equals separate forward and reverse layers with its weights; merge combines them as named', async () => {
    const merges = fc.constantFrom<MergeMode>('concat', 'sum', 'mul', 'average');
    const live = backend.liveBufferCount();
    await fc.assert(
      fc.asyncProperty(shapeCase({ maxLayers: 2 }), merges, fc.boolean(), async (shape, merge, padded) => {
        const bidirectional = cellVariants[shape.variant](backend, {
          ...layerOptions(shape),
          direction: 'bidirectional',
          merge,
        });
        const weights = await bidirectional.getWeights();
        const { batch, steps, inputSize, hiddenSize } = shape;
        const single = (layer: number, direction: 'forward' | 'reverse'): RecurrentLayer => {
          const options: CommonOptions = {
            inputSize: layer === 0 ? inputSize : 2 * hiddenSize,
            hiddenSize,
            layout: shape.layout,
            direction,
          };
          const created = cellVariants[shape.variant](backend, options);
          created.setWeights({ layers: [[weights.layers[layer]![direction === 'forward' ? 0 : 1]!]] });
          return created;
        };
        const layers = Array.from({ length: shape.numLayers }, (_, layer) => layer);
        const forwardLayers = layers.map((layer) => single(layer, 'forward'));
        const reverseLayers = layers.map((layer) => single(layer, 'reverse'));
        const random = newRandom(shape.seed);
        const lengths = padded
          ? Array.from({ length: batch }, () => 1 + Math.floor(random.next() * steps))
          : undefined;
        const input = randomValues(random, batch * steps * inputSize);
        const together = await runPass(bidirectional, {
          batch,
          steps,
          input,
          ...(lengths ? { sequenceLengths: lengths } : {}),
        });
        const apart = await runSeparately(forwardLayers, reverseLayers, {
          batch,
          steps,
          input,
          ...(lengths ? { lengths } : {}),
        });
        if (merge === 'concat') {
          expectClose(together.output, apart.concat, 'concatenated output');
          expectClose(columns(together.output, 2 * hiddenSize, 0, hiddenSize), apart.forward, 'forward half');
        } else {
          const expected = apart.forward.map((value, index) => combine[merge](value, apart.reverse[index]!));
          expectClose(together.output, expected, `${merge} output`);
        }
        expectClose(together.hidden, apart.hidden, 'final hidden [layer, direction]');
        if (together.cell) {
          expectClose(together.cell, apart.cell!, 'final cell [layer, direction]');
        }
        for (const layer of [bidirectional, ...forwardLayers, ...reverseLayers]) {
          layer.dispose();
        }
      }),
      propertyParameters(30),
    );
    expect(backend.liveBufferCount(), 'live buffers').toBe(live);
  });
});
