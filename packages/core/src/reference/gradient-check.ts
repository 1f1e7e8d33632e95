/**
 * Central-difference gradient checks of a whole layer (DESIGN.md, "Gradient checks"):
 * the scalar loss `L = Σ Y ⊙ G_y + Σ h_n ⊙ G_h (+ Σ c_n ⊙ G_c)` with fixed random G, the
 * analytic gradients from `backward`, the numeric ones from `(L(θ+ε) − L(θ−ε)) / 2ε` for every
 * element of every parameter tensor, the input and the initial states.
 *
 * Error per tensor: `max_i |a_i − n_i| / max(max_i |a_i|, max_i |n_i|, 1e-12)`, i.e. the worst
 * element's error relative to the tensor's scale, so that entries that are exactly zero
 * analytically do not turn round-off into a huge relative error.
 */

import type { CanonicalWeights, DirectionWeights, ParameterName } from '../layers/parameters.js';
import type { RecurrentLayer } from '../layers/recurrent-layer.js';
import { Random } from '../random.js';
import { centralDifference } from './central-difference.js';

export interface GradientCheckCase {
  readonly steps: number;
  readonly batch: number;
  readonly seed: number;
  readonly sequenceLengths?: readonly number[];
  readonly withInitialStates?: boolean;
  /** Scale of the random inputs (default 1); larger values saturate the gates. */
  readonly inputScale?: number;
}

export interface TensorGradientError {
  /** e.g. `layers[0][1].recurrentWeights`, `input`, `initialHidden`. */
  readonly tensor: string;
  readonly error: number;
  readonly worstIndex: number;
  readonly analytic: number;
  readonly numeric: number;
}

export interface GradientCheckOptions {
  readonly epsilon?: number;
}

export async function checkLayerGradients(
  layer: RecurrentLayer,
  testCase: GradientCheckCase,
  options: GradientCheckOptions = {},
): Promise<TensorGradientError[]> {
  const epsilon = options.epsilon ?? 1e-6;
  const random = new Random(testCase.seed);
  const { steps, batch } = testCase;
  const scale = testCase.inputScale ?? 1;
  const inputShape =
    layer.layout === 'batch-first' ? [batch, steps, layer.inputSize] : [steps, batch, layer.inputSize];
  const outputShape =
    layer.layout === 'batch-first' ? [batch, steps, layer.outputSize] : [steps, batch, layer.outputSize];
  const stateShape = [layer.numLayers * layer.directions, batch, layer.hiddenSize];
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  const input = random.uniformArray(size(inputShape), -scale, scale);
  const hasCell = layer.cell.states.includes('cell');
  const initialHidden = testCase.withInitialStates ? random.uniformArray(size(stateShape), -1, 1) : undefined;
  const initialCell =
    testCase.withInitialStates && hasCell ? random.uniformArray(size(stateShape), -1, 1) : undefined;
  const outputWeights = random.uniformArray(size(outputShape), -1, 1);
  const hiddenWeights = random.uniformArray(size(stateShape), -1, 1);
  const cellWeights = hasCell ? random.uniformArray(size(stateShape), -1, 1) : undefined;

  const forwardOptions = (_x: Float64Array, h?: Float64Array, c?: Float64Array) => ({
    ...(h ? { initialHidden: { data: h, shape: stateShape } } : {}),
    ...(c ? { initialCell: { data: c, shape: stateShape } } : {}),
    ...(testCase.sequenceLengths ? { sequenceLengths: testCase.sequenceLengths } : {}),
  });
  const loss = async (x: Float64Array, h?: Float64Array, c?: Float64Array): Promise<number> => {
    const result = layer.forward({ data: x, shape: inputShape }, forwardOptions(x, h, c));
    try {
      let total =
        dot(await result.output.toArray(), outputWeights) + dot(await result.hidden.toArray(), hiddenWeights);
      if (result.cell && cellWeights) {
        total += dot(await result.cell.toArray(), cellWeights);
      }
      return total;
    } finally {
      result.dispose();
    }
  };

  // Analytic gradients.
  const result = layer.forward(
    { data: input, shape: inputShape },
    { ...forwardOptions(input, initialHidden, initialCell), training: true },
  );
  const gradients = layer.backward(result, {
    output: { data: outputWeights, shape: outputShape },
    hidden: { data: hiddenWeights, shape: stateShape },
    ...(cellWeights ? { cell: { data: cellWeights, shape: stateShape } } : {}),
  });
  const errors: TensorGradientError[] = [];
  try {
    const central = (values: Float64Array, evaluate: () => Promise<number>) =>
      centralDifference(values, evaluate, epsilon);

    errors.push(
      compare(
        'input',
        await gradients.input!.toArray(),
        await central(input, () => loss(input, initialHidden, initialCell)),
      ),
    );
    if (initialHidden) {
      errors.push(
        compare(
          'initialHidden',
          await gradients.initialHidden.toArray(),
          await central(initialHidden, () => loss(input, initialHidden, initialCell)),
        ),
      );
    }
    if (initialCell && gradients.initialCell) {
      errors.push(
        compare(
          'initialCell',
          await gradients.initialCell.toArray(),
          await central(initialCell, () => loss(input, initialHidden, initialCell)),
        ),
      );
    }
    const weights = await layer.getWeights();
    const mutable: Partial<Record<ParameterName, Float64Array>>[][] = weights.layers.map((directions) =>
      directions.map((direction) => {
        const copy: Partial<Record<ParameterName, Float64Array>> = {};
        for (const [name, values] of Object.entries(direction) as [ParameterName, ArrayLike<number>][]) {
          copy[name] = Float64Array.from(values);
        }
        return copy;
      }),
    );
    const asWeights = (): CanonicalWeights => ({ layers: mutable as DirectionWeights[][] });
    try {
      for (let layerIndex = 0; layerIndex < mutable.length; layerIndex++) {
        for (let direction = 0; direction < mutable[layerIndex]!.length; direction++) {
          for (const [name, values] of Object.entries(mutable[layerIndex]![direction]!) as [
            ParameterName,
            Float64Array,
          ][]) {
            const analytic = await gradients.parameters[layerIndex]![direction]![name]!.toArray();
            const numeric = await central(values, async () => {
              layer.setWeights(asWeights());
              return loss(input, initialHidden, initialCell);
            });
            errors.push(compare(`layers[${layerIndex}][${direction}].${name}`, analytic, numeric));
          }
        }
      }
    } finally {
      layer.setWeights(weights);
    }
  } finally {
    gradients.dispose();
    result.dispose();
  }
  return errors;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let index = 0; index < a.length; index++) {
    sum += a[index]! * b[index]!;
  }
  return sum;
}

/** Per-tensor error as defined in the file header. */
export function compare(
  tensor: string,
  analytic: ArrayLike<number>,
  numeric: ArrayLike<number>,
): TensorGradientError {
  let scale = 1e-12;
  for (let index = 0; index < analytic.length; index++) {
    scale = Math.max(scale, Math.abs(analytic[index]!), Math.abs(numeric[index]!));
  }
  let worst = 0;
  let worstIndex = 0;
  for (let index = 0; index < analytic.length; index++) {
    const error = Math.abs(analytic[index]! - numeric[index]!) / scale;
    if (error > worst || Number.isNaN(error)) {
      worst = Number.isNaN(error) ? Number.POSITIVE_INFINITY : error;
      worstIndex = index;
    }
  }
  return { tensor, error: worst, worstIndex, analytic: analytic[worstIndex]!, numeric: numeric[worstIndex]! };
}
