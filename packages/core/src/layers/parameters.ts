/**
 * The canonical weight layout: for every layer and direction, five tensors in the cell's
 * canonical gate order (gate-major rows, as PyTorch stores them):
 *   inputWeights     [G·H, inputSize]   (ONNX W, PyTorch weight_ih, Keras kernelᵀ)
 *   recurrentWeights [G·H, H]           (ONNX R, PyTorch weight_hh, Keras recurrent_kernelᵀ)
 *   inputBias        [G·H]              (ONNX Wb, PyTorch bias_ih)
 *   recurrentBias    [G·H]              (ONNX Rb, PyTorch bias_hh)
 *   peepholes        [P·H]              (ONNX P, LSTM with peepholes only; order input, forget, output)
 * Layer l > 0 has inputSize = directions·H (directions concatenated).
 */
import type { CellDefinition } from '../cells/cell-definition.js';
import { ValueError } from '../errors.js';
import { assertPositiveInteger, describe } from '../validation.js';

export type ParameterName = 'inputWeights' | 'recurrentWeights' | 'inputBias' | 'recurrentBias' | 'peepholes';

export const parameterNames: readonly ParameterName[] = [
  'inputWeights',
  'recurrentWeights',
  'inputBias',
  'recurrentBias',
  'peepholes',
];

/** Host values of one direction of one layer in the canonical layout. */
export type DirectionWeights = { readonly [name in ParameterName]?: ArrayLike<number> };

/** All weights of a layer stack: `layers[layer][direction]` (direction 0 forward, 1 reverse). */
export interface CanonicalWeights {
  readonly layers: readonly (readonly DirectionWeights[])[];
}

export interface LayerGeometry {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly directions: number;
}

/** Shapes of the parameters of `layer` (same for both directions). */
export function parameterShapes(
  cell: CellDefinition,
  geometry: LayerGeometry,
  layer: number,
): Partial<Record<ParameterName, number[]>> {
  const { hiddenSize, directions } = geometry;
  const gateRows = cell.gates.length * hiddenSize;
  const inputSize = layer === 0 ? geometry.inputSize : directions * hiddenSize;
  return {
    inputWeights: [gateRows, inputSize],
    recurrentWeights: [gateRows, hiddenSize],
    inputBias: [gateRows],
    recurrentBias: [gateRows],
    ...(cell.peepholes.length > 0 ? { peepholes: [cell.peepholes.length * hiddenSize] } : {}),
  };
}

/**
 * Trainable scalars of a whole layer stack, two-bias convention (the one PyTorch, cuDNN and
 * ONNX use): a vanilla RNN has `H(I + H) + 2H` per direction, a GRU exactly 3× and an LSTM
 * exactly 4× that (without peepholes).
 */
export function parameterCount(
  cell: CellDefinition,
  geometry: Partial<LayerGeometry> & { inputSize: number; hiddenSize: number },
): number {
  const where = 'parameterCount';
  const full: LayerGeometry = { numLayers: 1, directions: 1, ...geometry };
  assertPositiveInteger(where, 'inputSize', full.inputSize);
  assertPositiveInteger(where, 'hiddenSize', full.hiddenSize);
  assertPositiveInteger(where, 'numLayers', full.numLayers);
  if (full.directions !== 1 && full.directions !== 2) {
    throw new ValueError(where, `directions is ${describe(full.directions)}; expected 1 or 2`);
  }
  let total = 0;
  for (let layer = 0; layer < full.numLayers; layer++) {
    const shapes = parameterShapes(cell, full, layer);
    for (const shape of Object.values(shapes)) {
      total += full.directions * shape.reduce((product, dimension) => product * dimension, 1);
    }
  }
  return total;
}
