/**
 * Finite-difference gradient checks: element-wise central differences in float64 (core's
 * `checkLayerGradients`), a seeded random-direction check on a larger shape, and for float32
 * backends their own random-direction check with a larger step.
 */
import { checkLayerGradients } from '@recurrent/core/reference';
import type { CellVariant } from '../cell-variants.js';
import type { ConformanceCase } from '../conformance-case.js';
import { checkDirectionalDerivative } from '../directional-derivative.js';
import { gradientConfigurations, largeConfiguration, layerOptions } from '../layer-configurations.js';
import {
  float32GradientStep,
  float32GradientTolerance,
  float64GradientStep,
  float64GradientTolerance,
} from '../tolerances.js';

const needsFloat64 = (dtype: string) =>
  `backend precision is ${dtype}; central differences need float64 (float32 backends get the float32-gradient check and equivalence instead)`;

/** Element-wise central differences on the small configurations. */
export function elementwiseGradientCases(variants: readonly CellVariant[]): ConformanceCase[] {
  return variants.flatMap((variant) =>
    gradientConfigurations.map(
      (configuration): ConformanceCase => ({
        id: `gradient/${variant.name}/${configuration.name}`,
        group: 'gradient',
        subject: variant.name,
        configuration: configuration.name,
        async run({ backend }) {
          if (backend.info.dtype !== 'float64') {
            return { kind: 'not-applicable', reason: needsFloat64(backend.info.dtype) };
          }
          const layer = variant.create(backend, layerOptions(configuration, 21));
          try {
            const errors = await checkLayerGradients(
              layer,
              {
                steps: configuration.steps,
                batch: configuration.batch,
                seed: 22,
                ...(configuration.sequenceLengths ? { sequenceLengths: configuration.sequenceLengths } : {}),
                withInitialStates: configuration.withInitialStates,
              },
              { epsilon: float64GradientStep },
            );
            return {
              kind: 'numeric',
              tolerance: float64GradientTolerance,
              tensors: errors.map((entry) => ({
                tensor: entry.tensor,
                error: entry.error,
                worstIndex: entry.worstIndex,
                actual: entry.analytic,
                expected: entry.numeric,
              })),
            };
          } finally {
            layer.dispose();
          }
        },
      }),
    ),
  );
}

/** The random-direction check on the larger shape, in the backend's own precision. */
export function directionalGradientCases(variants: readonly CellVariant[]): ConformanceCase[] {
  return variants.flatMap((variant): ConformanceCase[] => [
    {
      id: `gradient/${variant.name}/${largeConfiguration.name}-direction`,
      group: 'gradient',
      subject: variant.name,
      configuration: `${largeConfiguration.name}-direction`,
      async run({ backend }) {
        if (backend.info.dtype !== 'float64') {
          return { kind: 'not-applicable', reason: needsFloat64(backend.info.dtype) };
        }
        return directional(variant, backend, float64GradientStep, float64GradientTolerance);
      },
    },
    {
      id: `float32-gradient/${variant.name}/${largeConfiguration.name}-direction`,
      group: 'float32-gradient',
      subject: variant.name,
      configuration: `${largeConfiguration.name}-direction`,
      async run({ backend }) {
        if (backend.info.dtype !== 'float32') {
          return {
            kind: 'not-applicable',
            reason: `backend precision is ${backend.info.dtype}; this large-step check guards float32 backends (float64 ones get the float64 checks)`,
          };
        }
        return directional(variant, backend, float32GradientStep, float32GradientTolerance);
      },
    },
  ]);
}

async function directional(
  variant: CellVariant,
  backend: Parameters<CellVariant['create']>[0],
  epsilon: number,
  tolerance: number,
) {
  const layer = variant.create(backend, layerOptions(largeConfiguration, 31));
  try {
    const entry = await checkDirectionalDerivative(layer, largeConfiguration, { seed: 32, epsilon });
    return { kind: 'numeric' as const, tolerance, tensors: [entry] };
  } finally {
    layer.dispose();
  }
}
