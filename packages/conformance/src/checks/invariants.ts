/**
 * Properties every backend must keep, whatever its precision: batch invariance, streaming
 * `step()` equal to the full call, determinism for a fixed seed, and no device buffer leaked
 * by a forward + backward pass.
 */
import type { Backend, RecurrentLayer } from '@recurrent/core';
import type { CellVariant } from '../cell-variants.js';
import type { CheckOutcome, ConformanceCase } from '../conformance-case.js';
import { type LayerConfiguration, layerOptions } from '../layer-configurations.js';
import { batchConfiguration, batchInvariance } from './batch-invariance.js';
import { leaks } from './buffer-leaks.js';
import { determinism } from './determinism.js';
import { streaming, streamingConfiguration } from './streaming-step.js';

export function invariantCases(variants: readonly CellVariant[]): ConformanceCase[] {
  return variants.flatMap((variant): ConformanceCase[] => [
    {
      id: `invariants/${variant.name}/batch-invariance`,
      group: 'invariants',
      subject: variant.name,
      configuration: `batch-invariance ${batchConfiguration.name}`,
      run: ({ backend }) =>
        withLayer(variant, backend, batchConfiguration, (layer) => batchInvariance(layer)),
    },
    {
      id: `invariants/${variant.name}/streaming-step`,
      group: 'invariants',
      subject: variant.name,
      configuration: `streaming-step ${streamingConfiguration.name}`,
      run: ({ backend }) => withLayer(variant, backend, streamingConfiguration, (layer) => streaming(layer)),
    },
    {
      id: `invariants/${variant.name}/determinism`,
      group: 'invariants',
      subject: variant.name,
      configuration: 'fixed-seed determinism',
      run: ({ backend }) => determinism(variant, backend),
    },
    {
      id: `invariants/${variant.name}/no-leaks`,
      group: 'invariants',
      subject: variant.name,
      configuration: `forward+backward ${batchConfiguration.name}`,
      run: ({ backend }) => withLayer(variant, backend, batchConfiguration, (layer) => leaks(layer)),
    },
  ]);
}

async function withLayer(
  variant: CellVariant,
  backend: Backend,
  configuration: LayerConfiguration,
  body: (layer: RecurrentLayer) => Promise<CheckOutcome>,
): Promise<CheckOutcome> {
  const layer = variant.create(backend, layerOptions(configuration, 51));
  try {
    return await body(layer);
  } finally {
    layer.dispose();
  }
}
