/**
 * Batch invariance and right-padding, property-based over small random shapes:
 *  - a sample's outputs, final states and gradients do not depend on the other samples in the
 *    batch: running it alone (its own initial state, its valid steps only) gives the same numbers;
 *  - padding beyond a sample's length changes nothing for that sample (outputs, final states,
 *    input gradients of its valid steps, its initial-state gradient), the outputs and input
 *    gradients at padded steps are zero, and the parameter gradient of the batch is the sum of
 *    the per-sample contributions;
 *  - `sequenceLengths` all equal to T gives the same as no lengths.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DirectionMode } from '../../src/index.js';
import { createReferenceBackend } from '../../src/reference/index.js';
import {
  cellVariants,
  expectClose,
  hasCellState,
  layerOptions,
  newRandom,
  propertyParameters,
  randomValues,
  sampleSteps,
  shapeCase,
  stateSample,
} from './layer-cases.js';
import { addParameters, type PassOutput, runPass } from './run-pass.js';

const backend = createReferenceBackend();
const directions = fc.constantFrom<DirectionMode>('forward', 'reverse', 'bidirectional');

describe('batch invariance and padding', () => {
  it('each sample alone (valid steps only) equals its slice of the padded batch, gradients included', async () => {
    const live = backend.liveBufferCount();
    await fc.assert(
      fc.asyncProperty(
        shapeCase({ maxLayers: 2 }),
        directions,
        fc.boolean(),
        async (shape, direction, padded) => {
          const layer = cellVariants[shape.variant](backend, { ...layerOptions(shape), direction });
          const random = newRandom(shape.seed + 1);
          const { batch, steps, inputSize, hiddenSize } = shape;
          const width = layer.outputSize;
          const rows = layer.numLayers * layer.directions;
          const stateSize = rows * batch * hiddenSize;
          const lengths = padded
            ? Array.from({ length: batch }, () => 1 + Math.floor(random.next() * steps))
            : undefined;
          const input = randomValues(random, batch * steps * inputSize);
          const initialHidden = shape.withInitialStates ? randomValues(random, stateSize) : undefined;
          const initialCell =
            shape.withInitialStates && hasCellState(layer) ? randomValues(random, stateSize) : undefined;
          // Upstream gradients are random at padded steps too: they must be ignored there.
          const upstream = {
            output: randomValues(random, batch * steps * width),
            hidden: randomValues(random, stateSize),
            ...(hasCellState(layer) ? { cell: randomValues(random, stateSize) } : {}),
          };
          const whole = await runPass(layer, {
            batch,
            steps,
            input,
            ...(initialHidden ? { initialHidden } : {}),
            ...(initialCell ? { initialCell } : {}),
            ...(lengths ? { sequenceLengths: lengths } : {}),
            upstream,
          });

          let parameterSum: Record<string, Float64Array> | undefined;
          for (let sample = 0; sample < batch; sample++) {
            const length = lengths?.[sample] ?? steps;
            const alone: PassOutput = await runPass(layer, {
              batch: 1,
              steps: length,
              input: sampleSteps(input, steps, inputSize, sample, 0, length),
              ...(initialHidden
                ? { initialHidden: stateSample(initialHidden, batch, hiddenSize, sample) }
                : {}),
              ...(initialCell ? { initialCell: stateSample(initialCell, batch, hiddenSize, sample) } : {}),
              upstream: {
                output: sampleSteps(upstream.output, steps, width, sample, 0, length),
                hidden: stateSample(upstream.hidden, batch, hiddenSize, sample),
                ...(upstream.cell ? { cell: stateSample(upstream.cell, batch, hiddenSize, sample) } : {}),
              },
            });
            const label = `sample ${sample} (length ${length} of ${steps})`;
            expectClose(
              sampleSteps(whole.output, steps, width, sample, 0, length),
              alone.output,
              `${label} output`,
            );
            expectClose(
              stateSample(whole.hidden, batch, hiddenSize, sample),
              alone.hidden,
              `${label} final hidden`,
            );
            if (whole.cell) {
              expectClose(
                stateSample(whole.cell, batch, hiddenSize, sample),
                alone.cell!,
                `${label} final cell`,
              );
            }
            const wholeGradients = whole.gradients!;
            const aloneGradients = alone.gradients!;
            expectClose(
              sampleSteps(wholeGradients.input, steps, inputSize, sample, 0, length),
              aloneGradients.input,
              `${label} input gradient`,
            );
            expectClose(
              stateSample(wholeGradients.initialHidden, batch, hiddenSize, sample),
              aloneGradients.initialHidden,
              `${label} initial hidden gradient`,
            );
            if (wholeGradients.initialCell) {
              expectClose(
                stateSample(wholeGradients.initialCell, batch, hiddenSize, sample),
                aloneGradients.initialCell!,
                `${label} initial cell gradient`,
              );
            }
            // Past the length: outputs are zero (ONNX convention) and the input gets no gradient.
            const zeros = (count: number) => new Float64Array(count);
            expect(sampleSteps(whole.output, steps, width, sample, length)).toEqual(
              zeros((steps - length) * width),
            );
            expect(sampleSteps(wholeGradients.input, steps, inputSize, sample, length)).toEqual(
              zeros((steps - length) * inputSize),
            );
            parameterSum = addParameters(parameterSum, aloneGradients.parameters);
          }
          const wholeParameters = whole.gradients!.parameters;
          expect(Object.keys(parameterSum!).sort()).toEqual(Object.keys(wholeParameters).sort());
          for (const [name, values] of Object.entries(wholeParameters)) {
            expectClose(values, parameterSum![name]!, `parameter gradient ${name} = Σ per-sample`, 1e-11);
          }
          layer.dispose();
        },
      ),
      propertyParameters(25),
    );
    expect(backend.liveBufferCount(), 'live buffers').toBe(live);
  });

  it('sequenceLengths all equal to T gives the same as no lengths', async () => {
    const live = backend.liveBufferCount();
    await fc.assert(
      fc.asyncProperty(shapeCase(), directions, async (shape, direction) => {
        const layer = cellVariants[shape.variant](backend, { ...layerOptions(shape), direction });
        const random = newRandom(shape.seed + 2);
        const { batch, steps, inputSize, hiddenSize } = shape;
        const stateSize = layer.numLayers * layer.directions * batch * hiddenSize;
        const pass = {
          batch,
          steps,
          input: randomValues(random, batch * steps * inputSize),
          upstream: {
            output: randomValues(random, batch * steps * layer.outputSize),
            hidden: randomValues(random, stateSize),
            ...(hasCellState(layer) ? { cell: randomValues(random, stateSize) } : {}),
          },
        };
        const without = await runPass(layer, pass);
        const withLengths = await runPass(layer, { ...pass, sequenceLengths: new Array(batch).fill(steps) });
        expectClose(withLengths.output, without.output, 'output', 0);
        expectClose(withLengths.hidden, without.hidden, 'hidden', 0);
        expectClose(withLengths.gradients!.input, without.gradients!.input, 'input gradient', 0);
        for (const [name, values] of Object.entries(without.gradients!.parameters)) {
          expectClose(withLengths.gradients!.parameters[name]!, values, name, 0);
        }
        layer.dispose();
      }),
      propertyParameters(20),
    );
    expect(backend.liveBufferCount(), 'live buffers').toBe(live);
  });
});
