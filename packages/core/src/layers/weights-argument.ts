/**
 * The check behind `setWeights`: every layer, direction and parameter of the canonical weights
 * is validated (count, shape, finite values) before a single one is written.
 */
import type { CellDefinition } from '../cells/cell-definition.js';
import { ShapeError, ValueError } from '../errors.js';
import { assertOptionsObject, checkHostValues, describe } from '../validation.js';
import { type CanonicalWeights, type LayerGeometry, parameterNames, parameterShapes } from './parameters.js';

export function checkCanonicalWeights(
  where: string,
  cell: CellDefinition,
  geometry: LayerGeometry,
  weights: CanonicalWeights,
): void {
  if (!weights || !Array.isArray(weights.layers) || weights.layers.length !== geometry.numLayers) {
    throw new ShapeError(
      where,
      `weights.layers has ${describe(weights?.layers)}; expected ${geometry.numLayers} layers`,
    );
  }
  weights.layers.forEach((layer, layerIndex) => {
    if (!Array.isArray(layer) || layer.length !== geometry.directions) {
      throw new ShapeError(
        where,
        `weights.layers[${layerIndex}] has ${describe(layer)}; expected ${geometry.directions} directions`,
      );
    }
    const shapes = parameterShapes(cell, geometry, layerIndex);
    layer.forEach((direction, directionIndex) => {
      const prefix = `weights.layers[${layerIndex}][${directionIndex}]`;
      assertOptionsObject(
        where,
        prefix,
        direction,
        `{ ${parameterNames.filter((name) => shapes[name]).join(', ')} }`,
      );
      for (const key of Object.keys(direction)) {
        if (!(parameterNames as readonly string[]).includes(key)) {
          throw new ValueError(
            where,
            `${prefix}.${key} is not a parameter; expected only ${parameterNames.filter((name) => shapes[name]).join(', ')}`,
          );
        }
      }
      for (const name of parameterNames) {
        const shape = shapes[name];
        const values = direction[name];
        const label = `${prefix}.${name}`;
        if (!shape) {
          if (values !== undefined) {
            throw new ShapeError(where, `${label} given, but this ${cell.displayName} has no ${name}`);
          }
          continue;
        }
        checkHostValues(
          where,
          label,
          values,
          shape.reduce((a, b) => a * b, 1),
          shape.join('×'),
        );
      }
    });
  });
}
