/**
 * Tolerances, keyed by precision and derived from the shapes (README, "Tolerances").
 *
 * A dot product of length K in floating point with unit round-off u carries a relative error
 * of at most γ_K = K·u / (1 − K·u) (Higham, Accuracy and Stability, §3.1). One step of a cell
 * is such products plus pointwise functions (each a few u); a recurrence feeds every step's
 * rounding into the next, so over T steps (and L stacked layers) the errors add up. We bound
 * the error of every tensor, relative to its scale, by
 *
 *     tolerance = c · u · (K + T·L)       K = the longest reduction in the pass
 *
 * where K is the largest of the forward dot products (input width + H), the backward products
 * through the gates (G·H) and the weight-gradient reductions over time and batch (T·B), and
 * c = 64 is a safety factor for the condition of the activations, validated empirically (the
 * measured worst errors sit one to two orders of magnitude below the bound; see the README).
 */
import type { DType } from '@recurrent/core';
import type { LayerConfiguration } from './layer-configurations.js';

/** Unit round-off of each precision. */
export const unitRoundoff: Readonly<Record<DType, number>> = { float32: 2 ** -24, float64: 2 ** -53 };

/** Safety factor `c` of the equivalence bound. */
export const equivalenceSafetyFactor = 64;

/** Central differences in float64 (DESIGN.md): pass below 1e-6, typical 1e-9. */
export const float64GradientTolerance = 1e-6;
export const float64GradientStep = 1e-6;

/**
 * Float32 finite differences with a larger step than float64's 1e-6: cancellation costs about
 * u·|L|·√N / ε, truncation ε², and a step that carries a pre-activation across a kink (ReLU,
 * hard sigmoid, clip) costs the most. Measured on the CPU float32 backend over every variant
 * and three seeds: worst 1.5e+0 (ReLU kinks) at ε = 3e-3, 1.7e+0 at 1e-3, 2.8e-3 at 3e-4,
 * 3.5e-3 at 1e-4. We use ε = 3e-4 and hold the directional derivative to 1e-2 (JAX uses
 * 2e-3 per element for float32 `check_grads`); a wrong gradient misses by O(1).
 */
export const float32GradientStep = 3e-4;
export const float32GradientTolerance = 1e-2;

/** The longest reduction `K` of a forward + backward pass in this configuration. */
export function reductionLength(configuration: LayerConfiguration, gates: number): number {
  const directions = configuration.direction === 'bidirectional' ? 2 : 1;
  const widestInput = Math.max(
    configuration.inputSize,
    configuration.numLayers > 1 ? directions * configuration.hiddenSize : 0,
  );
  return Math.max(
    widestInput + configuration.hiddenSize,
    gates * configuration.hiddenSize,
    configuration.steps * configuration.batch,
  );
}

/** Bound on the per-tensor error of `dtype` against the float64 reference (see the header). */
export function equivalenceTolerance(dtype: DType, configuration: LayerConfiguration, gates: number): number {
  const depth = configuration.steps * configuration.numLayers;
  return equivalenceSafetyFactor * unitRoundoff[dtype] * (reductionLength(configuration, gates) + depth);
}
