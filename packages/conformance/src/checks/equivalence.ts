/**
 * Equivalence with the float64 reference backend: the same weights (copied from a reference
 * layer), the same inputs, initial states, lengths and random upstream gradients; then the
 * outputs, final states and every gradient compared tensor by tensor. A float32 backend is
 * held to the derived bound of `tolerances.ts`; a float64 one to the same formula in float64.
 */
import type { LayerGradients, ParameterName, RecurrentLayer, SequenceResult } from '@recurrent/core';
import { forwardOptions, makeCaseData, upstreamGradients } from '../case-data.js';
import type { CellVariant } from '../cell-variants.js';
import type { ConformanceCase } from '../conformance-case.js';
import { type LayerConfiguration, layerConfigurations, layerOptions } from '../layer-configurations.js';
import type { TensorError } from '../report.js';
import { compareTensor } from '../tensor-error.js';
import { equivalenceTolerance } from '../tolerances.js';

export function equivalenceCases(variants: readonly CellVariant[]): ConformanceCase[] {
  return variants.flatMap((variant) =>
    layerConfigurations.map(
      (configuration): ConformanceCase => ({
        id: `equivalence/${variant.name}/${configuration.name}`,
        group: 'equivalence',
        subject: variant.name,
        configuration: configuration.name,
        async run({ backend, reference }) {
          const expected = variant.create(reference, layerOptions(configuration, 41));
          const actual = variant.create(backend, layerOptions(configuration, 41));
          try {
            actual.setWeights(await expected.getWeights());
            const tensors = await compareLayers(actual, expected, configuration, 42);
            return {
              kind: 'numeric',
              tolerance: equivalenceTolerance(backend.info.dtype, configuration, expected.cell.gates.length),
              tensors,
            };
          } finally {
            actual.dispose();
            expected.dispose();
          }
        },
      }),
    ),
  );
}

/** Forward + backward on both layers with one case's data; every tensor compared. */
export async function compareLayers(
  actual: RecurrentLayer,
  expected: RecurrentLayer,
  configuration: LayerConfiguration,
  seed: number,
): Promise<TensorError[]> {
  const data = makeCaseData(expected, configuration, seed);
  const run = (layer: RecurrentLayer) => {
    const result = layer.forward(data.input, forwardOptions(data, true));
    try {
      return { result, gradients: layer.backward(result, upstreamGradients(data)) };
    } catch (error) {
      result.dispose();
      throw error;
    }
  };
  const left = run(actual);
  try {
    const right = run(expected);
    try {
      return await compareRuns(left, right);
    } finally {
      right.gradients.dispose();
      right.result.dispose();
    }
  } finally {
    left.gradients.dispose();
    left.result.dispose();
  }
}

interface Run {
  readonly result: SequenceResult;
  readonly gradients: LayerGradients;
}

async function compareRuns(actual: Run, expected: Run): Promise<TensorError[]> {
  const errors: TensorError[] = [];
  const pair = async (
    name: string,
    a: { toArray(): Promise<ArrayLike<number>> } | undefined,
    e: typeof a,
  ) => {
    if (a === undefined && e === undefined) {
      return;
    }
    if (a === undefined || e === undefined) {
      errors.push({ tensor: name, error: Number.POSITIVE_INFINITY });
      return;
    }
    errors.push(compareTensor(name, await a.toArray(), await e.toArray()));
  };
  await pair('output', actual.result.output, expected.result.output);
  await pair('hidden', actual.result.hidden, expected.result.hidden);
  await pair('cell', actual.result.cell, expected.result.cell);
  await pair('d input', actual.gradients.input, expected.gradients.input);
  await pair('d initialHidden', actual.gradients.initialHidden, expected.gradients.initialHidden);
  await pair('d initialCell', actual.gradients.initialCell, expected.gradients.initialCell);
  for (let layer = 0; layer < expected.gradients.parameters.length; layer++) {
    const directions = expected.gradients.parameters[layer]!;
    for (let direction = 0; direction < directions.length; direction++) {
      for (const name of Object.keys(directions[direction]!) as ParameterName[]) {
        await pair(
          `d layers[${layer}][${direction}].${name}`,
          actual.gradients.parameters[layer]?.[direction]?.[name],
          directions[direction]![name],
        );
      }
    }
  }
  return errors;
}
