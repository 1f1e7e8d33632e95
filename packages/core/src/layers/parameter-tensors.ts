/**
 * A layer's parameters (and their gradients) as device tensors: `[layer][direction][name]` in
 * the canonical layout of `parameters.ts`. Creates, reads, writes and disposes them, and hands
 * the stack pass the plain buffers it works on.
 */
import type { Backend } from '../backend.js';
import type { CellDefinition } from '../cells/cell-definition.js';
import type { Random } from '../random.js';
import type { DirectionGradients, DirectionParameters } from '../sequence/direction-parameters.js';
import { Tensor } from '../tensor.js';
import { type InitializerOptions, initialValues } from './initializers.js';
import {
  type CanonicalWeights,
  type DirectionWeights,
  type LayerGeometry,
  type ParameterName,
  parameterNames,
  parameterShapes,
} from './parameters.js';

/** `tensors[layer][direction][name]`; absent names are parameters the cell does not have. */
export type ParameterTensors = readonly (readonly Partial<Record<ParameterName, Tensor>>[])[];

/** Fresh parameters drawn from `random`, layer by layer, direction by direction, in name order. */
export function createParameterTensors(
  backend: Backend,
  cell: CellDefinition,
  geometry: LayerGeometry,
  random: Random,
  options: InitializerOptions,
): ParameterTensors {
  const layers: Partial<Record<ParameterName, Tensor>>[][] = [];
  for (let layer = 0; layer < geometry.numLayers; layer++) {
    const shapes = parameterShapes(cell, geometry, layer);
    const directions: Partial<Record<ParameterName, Tensor>>[] = [];
    for (let direction = 0; direction < geometry.directions; direction++) {
      const tensors: Partial<Record<ParameterName, Tensor>> = {};
      for (const name of parameterNames) {
        const shape = shapes[name];
        if (shape) {
          const values = initialValues(cell, name, shape, geometry.hiddenSize, random, options);
          tensors[name] = Tensor.fromHost(backend, { data: values, shape });
        }
      }
      directions.push(tensors);
    }
    layers.push(directions);
  }
  return layers;
}

export function disposeParameterTensors(tensors: ParameterTensors): void {
  for (const layer of tensors) {
    for (const direction of layer) {
      for (const tensor of Object.values(direction)) {
        tensor?.dispose();
      }
    }
  }
}

/** The device buffers of every parameter, as the stack pass takes them. */
export function directionParametersOf(tensors: ParameterTensors): DirectionParameters[][] {
  return tensors.map((layer) =>
    layer.map((direction) => ({
      inputWeights: direction.inputWeights!.buffer,
      recurrentWeights: direction.recurrentWeights!.buffer,
      inputBias: direction.inputBias!.buffer,
      recurrentBias: direction.recurrentBias!.buffer,
      ...(direction.peepholes ? { peepholes: direction.peepholes.buffer } : {}),
    })),
  );
}

/** Wraps the gradient buffers of a backward pass in tensors shaped like their parameters. */
export function gradientTensors(
  backend: Backend,
  cell: CellDefinition,
  geometry: LayerGeometry,
  gradients: readonly (readonly DirectionGradients[])[],
): ParameterTensors {
  return gradients.map((layer, layerIndex) =>
    layer.map((direction) => {
      const shapes = parameterShapes(cell, geometry, layerIndex);
      const tensors: Partial<Record<ParameterName, Tensor>> = {};
      for (const name of parameterNames) {
        const buffer = direction[name];
        if (buffer) {
          tensors[name] = Tensor.fromBuffer(backend, buffer, shapes[name]!);
        }
      }
      return tensors;
    }),
  );
}

/** Host copies of every parameter in the canonical layout. */
export async function readParameterTensors(tensors: ParameterTensors): Promise<CanonicalWeights> {
  const layers = [];
  for (const layer of tensors) {
    const directions = [];
    for (const direction of layer) {
      const values: Partial<Record<ParameterName, Float32Array | Float64Array>> = {};
      for (const name of parameterNames) {
        const tensor = direction[name];
        if (tensor) {
          values[name] = await tensor.toArray();
        }
      }
      directions.push(values);
    }
    layers.push(directions);
  }
  return { layers };
}

/** Writes already-checked canonical weights into the parameter tensors. */
export function writeParameterTensors(
  backend: Backend,
  tensors: ParameterTensors,
  weights: CanonicalWeights,
): void {
  weights.layers.forEach((layer: readonly DirectionWeights[], layerIndex: number) => {
    layer.forEach((direction: DirectionWeights, directionIndex: number) => {
      for (const name of parameterNames) {
        const tensor = tensors[layerIndex]![directionIndex]![name];
        const values = direction[name];
        if (tensor && values) {
          backend.write(tensor.buffer, values);
        }
      }
    });
  });
}
