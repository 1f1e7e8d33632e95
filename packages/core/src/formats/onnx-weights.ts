/**
 * ONNX `RNN` / `GRU` / `LSTM` weight inputs ⇄ canonical weights. ONNX has one node per layer,
 * so a stack is an array with one entry per layer:
 *   W [D, G·H, in]    input weights, direction 0 forward, 1 reverse   → inputWeights
 *   R [D, G·H, H]     recurrence weights                               → recurrentWeights
 *   B [D, 2·G·H]      [Wb; Rb] per direction (absent = 0)              → inputBias, recurrentBias
 *   P [D, 3·H]        LSTM peepholes i, o, f (absent = 0)              → peepholes (i, f, o)
 * Gate orders: GRU z, r, h (canonical); LSTM i, o, f, c (canonical i, f, g, o); RNN one block.
 * Both GRU variants exist in ONNX (`linear_before_reset` 1 = `resetAfter: true`); the weights
 * look the same, so the caller sets the attribute from `cell.options.resetAfter`.
 */
import { UnsupportedError, ValueError } from '../errors.js';
import type { CanonicalWeights, DirectionWeights } from '../layers/parameters.js';
import type { HostTensor } from '../tensor.js';
import { formatGateOrder, onnxPeepholeOrder, reorderGateBlocks } from './gate-order.js';
import { allZero, expectHostTensor, sliceValues } from './host-tensors.js';
import { checkCanonicalWeights, layerInputSize, type WeightTarget } from './weight-target.js';

/** The weight inputs of one ONNX recurrent node. */
export interface OnnxLayerWeights {
  readonly W: HostTensor;
  readonly R: HostTensor;
  readonly B?: HostTensor;
  readonly P?: HostTensor;
}

/** Converts per-node ONNX weights to canonical weights for `target` (e.g. a layer). */
export function fromOnnxWeights(target: WeightTarget, layers: readonly OnnxLayerWeights[]): CanonicalWeights {
  const where = 'fromOnnxWeights';
  const order = formatGateOrder('onnx', target.cell, where);
  if (!Array.isArray(layers) || layers.length !== target.numLayers) {
    throw new ValueError(
      where,
      `layers is ${Array.isArray(layers) ? `an array of ${layers.length}` : typeof layers}; expected an array of ${target.numLayers} { W, R, B?, P? }`,
    );
  }
  const hidden = target.hiddenSize;
  const directions = target.directions;
  const gateRows = order.length * hidden;
  const canonical = target.cell.gates;
  const peepholes = target.cell.peepholes;
  return {
    layers: layers.map((layer, layerIndex) => {
      const label = (name: string) => `layers[${layerIndex}].${name}`;
      const inputSize = layerInputSize(target, layerIndex);
      expectHostTensor(where, label('W'), layer?.W, [directions, gateRows, inputSize]);
      expectHostTensor(where, label('R'), layer.R, [directions, gateRows, hidden]);
      if (layer.B !== undefined) {
        expectHostTensor(where, label('B'), layer.B, [directions, 2 * gateRows]);
      }
      if (layer.P !== undefined) {
        if (target.cell.kind !== 'lstm') {
          throw new ValueError(
            where,
            `${label('P')} given, but P is an LSTM input; expected no P for ${target.cell.kind}`,
          );
        }
        expectHostTensor(where, label('P'), layer.P, [directions, 3 * hidden]);
        if (peepholes.length === 0 && !allZero(layer.P.data)) {
          throw new UnsupportedError(
            where,
            `${label('P')} holds nonzero peepholes, but this LSTM has none; expected an LSTM created with peepholes: true`,
          );
        }
      }
      return Array.from({ length: directions }, (_, direction): DirectionWeights => {
        const blocks = (values: ArrayLike<number>, offset: number, columns: number) =>
          reorderGateBlocks(
            sliceValues(values, offset, gateRows * columns),
            order,
            canonical,
            hidden * columns,
          );
        const bias = layer.B?.data;
        return {
          inputWeights: blocks(layer.W.data, direction * gateRows * inputSize, inputSize),
          recurrentWeights: blocks(layer.R.data, direction * gateRows * hidden, hidden),
          inputBias: bias ? blocks(bias, direction * 2 * gateRows, 1) : new Float64Array(gateRows),
          recurrentBias: bias
            ? blocks(bias, direction * 2 * gateRows + gateRows, 1)
            : new Float64Array(gateRows),
          ...(peepholes.length > 0
            ? {
                peepholes: layer.P
                  ? reorderGateBlocks(
                      sliceValues(layer.P.data, direction * 3 * hidden, 3 * hidden),
                      onnxPeepholeOrder,
                      peepholes,
                      hidden,
                    )
                  : new Float64Array(peepholes.length * hidden),
              }
            : {}),
        };
      });
    }),
  };
}

/** Converts canonical weights of `target` to one `{ W, R, B, P? }` per layer (`P` for peephole LSTMs). */
export function toOnnxWeights(target: WeightTarget, weights: CanonicalWeights): OnnxLayerWeights[] {
  const where = 'toOnnxWeights';
  const order = formatGateOrder('onnx', target.cell, where);
  const checked = checkCanonicalWeights(where, target, weights);
  const hidden = target.hiddenSize;
  const directions = target.directions;
  const gateRows = order.length * hidden;
  const canonical = target.cell.gates;
  const peepholes = target.cell.peepholes;
  return checked.map((layer, layerIndex) => {
    const inputSize = layerInputSize(target, layerIndex);
    const W = new Float64Array(directions * gateRows * inputSize);
    const R = new Float64Array(directions * gateRows * hidden);
    const B = new Float64Array(directions * 2 * gateRows);
    const P = new Float64Array(directions * 3 * hidden);
    layer.forEach((direction, index) => {
      const blocks = (values: ArrayLike<number>, columns: number) =>
        reorderGateBlocks(values, canonical, order, hidden * columns);
      W.set(blocks(direction.inputWeights, inputSize), index * gateRows * inputSize);
      R.set(blocks(direction.recurrentWeights, hidden), index * gateRows * hidden);
      B.set(blocks(direction.inputBias, 1), index * 2 * gateRows);
      B.set(blocks(direction.recurrentBias, 1), index * 2 * gateRows + gateRows);
      if (direction.peepholes) {
        P.set(
          reorderGateBlocks(direction.peepholes, peepholes, onnxPeepholeOrder, hidden),
          index * 3 * hidden,
        );
      }
    });
    return {
      W: { data: W, shape: [directions, gateRows, inputSize] },
      R: { data: R, shape: [directions, gateRows, hidden] },
      B: { data: B, shape: [directions, 2 * gateRows] },
      ...(peepholes.length > 0 ? { P: { data: P, shape: [directions, 3 * hidden] } } : {}),
    };
  });
}
