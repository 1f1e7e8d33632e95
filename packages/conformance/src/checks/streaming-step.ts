/** Streaming: `step()` T times, carrying the state, equals one `forward` over the sequence. */
import type { RecurrentLayer, StepResult } from '@recurrent/core';
import { forwardOptions, makeCaseData } from '../case-data.js';
import type { CheckOutcome } from '../conformance-case.js';
import type { LayerConfiguration } from '../layer-configurations.js';
import type { TensorError } from '../report.js';
import { compareTensor } from '../tensor-error.js';
import { equivalenceTolerance } from '../tolerances.js';

/** Forward-only, stacked, with initial states: what `step()` supports. */
export const streamingConfiguration: LayerConfiguration = {
  name: 'forward-2-time-first',
  direction: 'forward',
  numLayers: 2,
  layout: 'time-first',
  inputSize: 3,
  hiddenSize: 4,
  batch: 2,
  steps: 5,
  withInitialStates: true,
};
/** `step()` T times, carrying the state, equals one `forward` over the sequence. */
export async function streaming(layer: RecurrentLayer): Promise<CheckOutcome> {
  const configuration = streamingConfiguration;
  const data = makeCaseData(layer, configuration, 53);
  const whole = layer.forward(data.input, forwardOptions(data));
  const errors: TensorError[] = [];
  const { batch, inputSize } = { batch: configuration.batch, inputSize: layer.inputSize };
  let state: StepResult | undefined;
  try {
    const output = await whole.output.toArray();
    const width = layer.outputSize;
    for (let step = 0; step < configuration.steps; step++) {
      const input = Float64Array.from(data.input.data).subarray(
        step * batch * inputSize,
        (step + 1) * batch * inputSize,
      );
      const next: StepResult = layer.step(
        { data: input, shape: [batch, inputSize] },
        state
          ? { hidden: state.hidden, ...(state.cell ? { cell: state.cell } : {}) }
          : {
              hidden: data.initialHidden!,
              ...(data.initialCell ? { cell: data.initialCell } : {}),
            },
      );
      state?.dispose();
      state = next;
      errors.push(
        compareTensor(
          `output[step ${step}]`,
          await next.output.toArray(),
          output.slice(step * batch * width, (step + 1) * batch * width),
        ),
      );
    }
    errors.push(compareTensor('hidden', await state!.hidden.toArray(), await whole.hidden.toArray()));
    if (whole.cell && state?.cell) {
      errors.push(compareTensor('cell', await state.cell.toArray(), await whole.cell.toArray()));
    }
  } finally {
    state?.dispose();
    whole.dispose();
  }
  return {
    kind: 'numeric',
    tolerance: equivalenceTolerance(layer.backend.info.dtype, configuration, layer.cell.gates.length),
    tensors: errors,
  };
}
