/**
 * What a weight converter needs to know about the layer stack it converts for: the cell and
 * the geometry. A {@link RecurrentLayer} is one, so `fromPytorchStateDict(layer, …)` works.
 */
import type { CellDefinition } from '../cells/cell-definition.js';
import { ShapeError, ValueError } from '../errors.js';
import { type CanonicalWeights, type ParameterName, parameterShapes } from '../layers/parameters.js';
import { describe } from '../validation.js';
import { expectHostTensor } from './host-tensors.js';

export interface WeightTarget {
  readonly cell: CellDefinition;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly directions: number;
}

/** One direction of one layer in the canonical layout, every tensor present and checked. */
export interface CheckedDirection {
  readonly inputWeights: ArrayLike<number>;
  readonly recurrentWeights: ArrayLike<number>;
  readonly inputBias: ArrayLike<number>;
  readonly recurrentBias: ArrayLike<number>;
  readonly peepholes?: ArrayLike<number>;
}

/** Input width of `layer`: the stack's input for layer 0, the directions concatenated above. */
export function layerInputSize(target: WeightTarget, layer: number): number {
  return layer === 0 ? target.inputSize : target.directions * target.hiddenSize;
}

/** Validates canonical weights against the target and returns `layers[layer][direction]`. */
export function checkCanonicalWeights(
  where: string,
  target: WeightTarget,
  weights: CanonicalWeights,
): CheckedDirection[][] {
  if (!weights || !Array.isArray(weights.layers) || weights.layers.length !== target.numLayers) {
    throw new ShapeError(
      where,
      `weights.layers is ${describe(weights?.layers)}; expected ${target.numLayers} layer(s)`,
    );
  }
  return weights.layers.map((layer, layerIndex) => {
    if (!Array.isArray(layer) || layer.length !== target.directions) {
      throw new ShapeError(
        where,
        `weights.layers[${layerIndex}] is ${describe(layer)}; expected ${target.directions} direction(s)`,
      );
    }
    const shapes = parameterShapes(target.cell, target, layerIndex);
    return layer.map((direction, directionIndex) => {
      const checked: Partial<Record<ParameterName, ArrayLike<number>>> = {};
      for (const [name, shape] of Object.entries(shapes) as [ParameterName, number[]][]) {
        const label = `weights.layers[${layerIndex}][${directionIndex}].${name}`;
        const values = direction?.[name];
        if (values === undefined) {
          throw new ValueError(where, `${label} is missing; expected ${shape.join('×')} values`);
        }
        const size = shape.reduce((a, b) => a * b, 1);
        expectHostTensor(where, label, { data: values, shape: [values.length] }, [size]);
        checked[name] = values;
      }
      return checked as CheckedDirection;
    });
  });
}
