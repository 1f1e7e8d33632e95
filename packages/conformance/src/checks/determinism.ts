/** Determinism for a fixed seed. */
import type { Backend } from '@recurrent/core';
import { forwardOptions, makeCaseData } from '../case-data.js';
import type { CellVariant } from '../cell-variants.js';
import type { CheckOutcome } from '../conformance-case.js';
import { layerConfigurations, layerOptions } from '../layer-configurations.js';
import type { TensorError } from '../report.js';
import { compareTensor } from '../tensor-error.js';
import { equivalenceTolerance } from '../tolerances.js';

/**
 * Two layers built with one seed hold bit-identical weights; two dropout training passes of
 * such layers agree; repeated inference is bit-identical on a backend that says it is
 * deterministic, and within the float tolerance otherwise.
 */
export async function determinism(variant: CellVariant, backend: Backend): Promise<CheckOutcome> {
  const configuration = { ...layerConfigurations[3]!, name: 'dropout' };
  const options = { ...layerOptions(configuration, 54), dropout: 0.3 };
  const first = variant.create(backend, options);
  const second = variant.create(backend, options);
  const errors: TensorError[] = [];
  try {
    const [weightsA, weightsB] = [await first.getWeights(), await second.getWeights()];
    for (const [layer, directions] of weightsA.layers.entries()) {
      for (const [direction, entry] of directions.entries()) {
        for (const [name, values] of Object.entries(entry)) {
          const other = weightsB.layers[layer]![direction]![name as keyof typeof entry]!;
          errors.push(bitwise(`initial layers[${layer}][${direction}].${name}`, values!, other));
        }
      }
    }
    const data = makeCaseData(first, configuration, 55);
    const outputs: ArrayLike<number>[] = [];
    for (const layer of [first, second]) {
      const result = layer.forward(data.input, forwardOptions(data, true));
      outputs.push(await result.output.toArray());
      result.dispose();
    }
    errors.push(bitwise('dropout training output (same seed)', outputs[0]!, outputs[1]!));
    const repeated: ArrayLike<number>[] = [];
    for (let run = 0; run < 2; run++) {
      const result = first.forward(data.input, forwardOptions(data));
      repeated.push(await result.output.toArray());
      result.dispose();
    }
    const repeat = backend.info.deterministic
      ? bitwise('repeated inference output', repeated[0]!, repeated[1]!)
      : compareTensor('repeated inference output', repeated[0]!, repeated[1]!);
    errors.push(repeat);
  } finally {
    first.dispose();
    second.dispose();
  }
  const bound = backend.info.deterministic ? 0 : equivalenceTolerance(backend.info.dtype, configuration, 4);
  return { kind: 'numeric', tolerance: bound, tensors: errors };
}

/** 0 when bit-identical, else the scaled worst difference (held to tolerance 0). */
function bitwise(tensor: string, actual: ArrayLike<number>, expected: ArrayLike<number>): TensorError {
  for (let index = 0; index < actual.length; index++) {
    if (!Object.is(actual[index], expected[index])) {
      const measured = compareTensor(tensor, actual, expected);
      return { ...measured, error: Math.max(measured.error, Number.MIN_VALUE) };
    }
  }
  return { tensor, error: actual.length === expected.length ? 0 : Number.POSITIVE_INFINITY };
}
