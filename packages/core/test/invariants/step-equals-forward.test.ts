/**
 * `step()` streaming equals the full-sequence `forward` to float64 round-off: feeding x_t one
 * step at a time, carrying `hidden` (and `cell`) between calls, reproduces every output step
 * and the final states, for every cell, 1–3 stacked layers, both layouts, with and without
 * initial states.
 */
import { describe, expect, it } from 'vitest';
import type { Layout, StepResult } from '../../src/index.js';
import { createReferenceBackend } from '../../src/reference/index.js';
import {
  cellVariants,
  expectClose,
  fromLayout,
  hasCellState,
  newRandom,
  randomValues,
  readResult,
  sampleSteps,
  toLayout,
  variantNames,
} from './layer-cases.js';

const backend = createReferenceBackend();
const cases = variantNames.flatMap((variant) =>
  [1, 2, 3].flatMap((numLayers) =>
    (['batch-first', 'time-first'] as Layout[]).flatMap((layout) =>
      [false, true].map((withInitialStates) => ({ variant, numLayers, layout, withInitialStates })),
    ),
  ),
);

describe('step() equals the full-sequence forward', () => {
  it.each(cases)(
    '$variant, $numLayers layer(s), $layout, initial states: $withInitialStates',
    async (testCase) => {
      const [batch, steps, inputSize, hiddenSize] = [3, 5, 2, 4];
      const random = newRandom(testCase.numLayers * 7 + (testCase.withInitialStates ? 1 : 0));
      const layer = cellVariants[testCase.variant](backend, {
        inputSize,
        hiddenSize,
        numLayers: testCase.numLayers,
        layout: testCase.layout,
        seed: 3,
      });
      const live = backend.liveBufferCount();
      const sampleMajor = randomValues(random, batch * steps * inputSize);
      const stateShape = [testCase.numLayers, batch, hiddenSize];
      const stateSize = testCase.numLayers * batch * hiddenSize;
      const initialHidden = testCase.withInitialStates ? randomValues(random, stateSize) : undefined;
      const initialCell =
        testCase.withInitialStates && hasCellState(layer) ? randomValues(random, stateSize) : undefined;

      const full = await readResult(
        layer.forward(toLayout(sampleMajor, batch, steps, inputSize, testCase.layout), {
          ...(initialHidden ? { initialHidden: { data: initialHidden, shape: stateShape } } : {}),
          ...(initialCell ? { initialCell: { data: initialCell, shape: stateShape } } : {}),
        }),
      );
      const fullOutput = fromLayout(full.output, batch, steps, hiddenSize, testCase.layout);

      let state: StepResult | undefined;
      const streamed = new Float64Array(batch * steps * hiddenSize);
      for (let step = 0; step < steps; step++) {
        const stepInput = new Float64Array(batch * inputSize);
        for (let sample = 0; sample < batch; sample++) {
          stepInput.set(
            sampleSteps(sampleMajor, steps, inputSize, sample, step, step + 1),
            sample * inputSize,
          );
        }
        const next: StepResult = layer.step(
          { data: stepInput, shape: [batch, inputSize] },
          state
            ? { hidden: state.hidden, ...(state.cell ? { cell: state.cell } : {}) }
            : initialHidden
              ? {
                  hidden: { data: initialHidden, shape: stateShape },
                  ...(initialCell ? { cell: { data: initialCell, shape: stateShape } } : {}),
                }
              : undefined,
        );
        state?.dispose();
        state = next;
        expect(next.output.shape).toEqual([batch, hiddenSize]);
        const output = await next.output.toArray();
        for (let sample = 0; sample < batch; sample++) {
          streamed.set(
            output.subarray(sample * hiddenSize, (sample + 1) * hiddenSize),
            (sample * steps + step) * hiddenSize,
          );
        }
      }
      expectClose(streamed, fullOutput, 'output');
      expectClose(await state!.hidden.toArray(), full.hidden, 'hidden');
      if (full.cell) {
        expectClose(await state!.cell!.toArray(), full.cell, 'cell');
      } else {
        expect(state!.cell).toBeUndefined();
      }
      state!.dispose();
      expect(backend.liveBufferCount(), 'live buffers after streaming').toBe(live);
      layer.dispose();
    },
  );
});
