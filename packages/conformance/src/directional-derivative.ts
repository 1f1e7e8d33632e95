/**
 * The seeded random-direction gradient check (JAX `check_grads`, PyTorch `fast_mode`):
 * for one random direction v over every parameter, the input and the initial states,
 *
 *     ⟨∇L, v⟩  ≈  (L(θ + εv) − L(θ − εv)) / 2ε
 *
 * Two forward passes per check instead of two per element, so it runs on shapes far too
 * large for the element-wise check. Error: `|a − n| / max(|a|, |n|, tiny)`.
 */
import type {
  CanonicalWeights,
  DirectionWeights,
  HostTensor,
  ParameterName,
  RecurrentLayer,
} from '@recurrent/core';
import { Random } from '@recurrent/core';
import {
  type CaseData,
  caseLoss,
  dot,
  forwardOptions,
  makeCaseData,
  upstreamGradients,
} from './case-data.js';
import type { LayerConfiguration } from './layer-configurations.js';
import type { TensorError } from './report.js';

export interface DirectionalCheckOptions {
  readonly seed: number;
  readonly epsilon: number;
}

/** Returns one entry, `directional derivative`, comparing the analytic and numeric values. */
export async function checkDirectionalDerivative(
  layer: RecurrentLayer,
  configuration: LayerConfiguration,
  options: DirectionalCheckOptions,
): Promise<TensorError> {
  const data = makeCaseData(layer, configuration, options.seed);
  const random = new Random(options.seed ^ 0x2545f491);
  const weights = await layer.getWeights();
  const direction = (values: ArrayLike<number>) => random.uniformArray(values.length, -1, 1);
  const weightDirections = weights.layers.map((directions) =>
    directions.map((entry) => mapWeights(entry, (values) => direction(values))),
  );
  const inputDirection = direction(data.input.data);
  const hiddenDirection = data.initialHidden ? direction(data.initialHidden.data) : undefined;
  const cellDirection = data.initialCell ? direction(data.initialCell.data) : undefined;

  const result = layer.forward(data.input, forwardOptions(data, true));
  let analytic = 0;
  try {
    const gradients = layer.backward(result, upstreamGradients(data));
    try {
      analytic += dot(await gradients.input!.toArray(), inputDirection);
      if (hiddenDirection) {
        analytic += dot(await gradients.initialHidden.toArray(), hiddenDirection);
      }
      if (cellDirection && gradients.initialCell) {
        analytic += dot(await gradients.initialCell.toArray(), cellDirection);
      }
      for (let layerIndex = 0; layerIndex < weights.layers.length; layerIndex++) {
        for (let directionIndex = 0; directionIndex < weights.layers[layerIndex]!.length; directionIndex++) {
          const tensors = gradients.parameters[layerIndex]![directionIndex]!;
          const chosen = weightDirections[layerIndex]![directionIndex]!;
          for (const [name, values] of Object.entries(chosen) as [ParameterName, Float64Array][]) {
            analytic += dot(await tensors[name]!.toArray(), values);
          }
        }
      }
    } finally {
      gradients.dispose();
    }
  } finally {
    result.dispose();
  }

  const shifted = async (sign: number): Promise<number> => {
    const moved: CanonicalWeights = {
      layers: weights.layers.map((directions, layerIndex) =>
        directions.map((entry, directionIndex) =>
          mapWeights(entry, (values, name) =>
            axpy(values, sign * options.epsilon, weightDirections[layerIndex]![directionIndex]![name]!),
          ),
        ),
      ),
    };
    layer.setWeights(moved);
    const movedData: CaseData = {
      ...data,
      input: shift(data.input, sign * options.epsilon, inputDirection),
      ...(data.initialHidden && hiddenDirection
        ? { initialHidden: shift(data.initialHidden, sign * options.epsilon, hiddenDirection) }
        : {}),
      ...(data.initialCell && cellDirection
        ? { initialCell: shift(data.initialCell, sign * options.epsilon, cellDirection) }
        : {}),
    };
    const moving = layer.forward(movedData.input, forwardOptions(movedData));
    try {
      return await caseLoss(moving, movedData);
    } finally {
      moving.dispose();
    }
  };
  let numeric: number;
  try {
    numeric = ((await shifted(1)) - (await shifted(-1))) / (2 * options.epsilon);
  } finally {
    layer.setWeights(weights);
  }
  const scale = Math.max(Math.abs(analytic), Math.abs(numeric), 1e-30);
  const error = Math.abs(analytic - numeric) / scale;
  return {
    tensor: 'directional derivative ⟨∇L, v⟩',
    error: Number.isNaN(error) ? Number.POSITIVE_INFINITY : error,
    actual: analytic,
    expected: numeric,
  };
}

function mapWeights(
  entry: DirectionWeights,
  map: (values: ArrayLike<number>, name: ParameterName) => Float64Array,
): Partial<Record<ParameterName, Float64Array>> {
  const result: Partial<Record<ParameterName, Float64Array>> = {};
  for (const [name, values] of Object.entries(entry) as [ParameterName, ArrayLike<number>][]) {
    if (values !== undefined) {
      result[name] = map(values, name);
    }
  }
  return result;
}

function axpy(values: ArrayLike<number>, scale: number, direction: ArrayLike<number>): Float64Array {
  const result = new Float64Array(values.length);
  for (let index = 0; index < values.length; index++) {
    result[index] = values[index]! + scale * direction[index]!;
  }
  return result;
}

function shift(tensor: HostTensor, scale: number, direction: ArrayLike<number>): HostTensor {
  return { data: axpy(tensor.data, scale, direction), shape: tensor.shape };
}
