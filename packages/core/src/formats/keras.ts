/**
 * Keras 3 `SimpleRNN` / `GRU` / `LSTM` weights ⇄ canonical weights.
 *
 * Keras keeps one layer object per stacked layer, so the Keras side is an array with one
 * dictionary per layer, holding the variables under their short names:
 *   unidirectional:  { kernel, recurrent_kernel, bias? }
 *   Bidirectional:   { forward_kernel, forward_recurrent_kernel, forward_bias?,
 *                      backward_kernel, backward_recurrent_kernel, backward_bias? }
 * (strip the layer path, e.g. `bidirectional/forward_gru/gru_cell/kernel` → `forward_kernel`).
 *
 *   kernel            (in, G·H)   used as x @ kernel (the transpose of inputWeights)
 *   recurrent_kernel  (H, G·H)    used as h @ recurrent_kernel
 *   bias              LSTM (4H), SimpleRNN (H): one bias, added once;
 *                     GRU reset_after=True (2, 3H): [input bias; recurrent bias];
 *                     GRU reset_after=False (3H): one bias outside the reset gate.
 * Gate orders: GRU z, r, h and LSTM i, f, c, o, both the canonical order.
 *
 * One Keras bias imports exactly as `inputBias = bias, recurrentBias = 0`. Export folds the two
 * canonical biases into one (`inputBias + recurrentBias`) wherever both are outside every
 * gate product: LSTM, SimpleRNN and the reset-before GRU. A reset-after GRU keeps its (2, 3H)
 * bias; it cannot be written with one bias, because its candidate recurrent bias sits inside
 * `r ⊙ (U_n h + b_hn)`, so `singleBias: true` is refused for it. The reset placement is a
 * property of the cell: a (2, 3H) bias needs `resetAfter: true`, a (3H) GRU bias
 * `resetAfter: false`. A `use_bias=False` layer has no bias and imports as zeros.
 */
import { UnsupportedError, ValueError } from '../errors.js';
import type { CanonicalWeights, DirectionWeights } from '../layers/parameters.js';
import type { HostTensor } from '../tensor.js';
import { formatGateOrder, reorderGateBlocks, transpose } from './gate-order.js';
import { addValues, allZero, expectHostTensor, sliceValues } from './host-tensors.js';
import { checkCanonicalWeights, layerInputSize, type WeightTarget } from './weight-target.js';

/** The variables of one Keras layer (or Bidirectional wrapper) by short name. */
export type KerasLayerWeights = Readonly<Record<string, HostTensor>>;

export interface KerasExportOptions {
  /** Write one bias per layer even for a GRU (Keras `reset_after=False` layout). Default false. */
  readonly singleBias?: boolean;
}

function directionPrefixes(directions: number): string[] {
  return directions === 2 ? ['forward_', 'backward_'] : [''];
}

function resetAfter(target: WeightTarget): boolean {
  return target.cell.kind === 'gru' && target.cell.options.resetAfter !== false;
}

/** Converts per-layer Keras weights to canonical weights for `target` (e.g. a layer). */
export function fromKerasWeights(
  target: WeightTarget,
  layers: readonly KerasLayerWeights[],
): CanonicalWeights {
  const where = 'fromKerasWeights';
  const order = formatGateOrder('keras', target.cell, where);
  if (!Array.isArray(layers) || layers.length !== target.numLayers) {
    throw new ValueError(
      where,
      `layers is ${Array.isArray(layers) ? `an array of ${layers.length}` : typeof layers}; expected an array of ${target.numLayers} per-layer weight dictionaries`,
    );
  }
  const hidden = target.hiddenSize;
  const gateRows = order.length * hidden;
  const canonical = target.cell.gates;
  const prefixes = directionPrefixes(target.directions);
  return {
    layers: layers.map((layer, layerIndex) => {
      const known = new Set(prefixes.flatMap((p) => [`${p}kernel`, `${p}recurrent_kernel`, `${p}bias`]));
      for (const key of Object.keys(layer ?? {})) {
        if (!known.has(key)) {
          throw new ValueError(
            where,
            `layers[${layerIndex}] has unexpected key '${key}'; expected ${[...known].join(', ')}`,
          );
        }
      }
      const inputSize = layerInputSize(target, layerIndex);
      return prefixes.map((prefix): DirectionWeights => {
        const label = (name: string) => `layers[${layerIndex}].${prefix}${name}`;
        const kernel = layer[`${prefix}kernel`];
        const recurrentKernel = layer[`${prefix}recurrent_kernel`];
        expectHostTensor(where, label('kernel'), kernel, [inputSize, gateRows]);
        expectHostTensor(where, label('recurrent_kernel'), recurrentKernel, [hidden, gateRows]);
        const rows = (values: ArrayLike<number>, columns: number) =>
          reorderGateBlocks(transpose(values, columns, gateRows), order, canonical, hidden * columns);
        const { inputBias, recurrentBias } = readBias(where, label('bias'), target, layer[`${prefix}bias`]);
        return {
          inputWeights: rows(kernel.data, inputSize),
          recurrentWeights: rows(recurrentKernel.data, hidden),
          inputBias: reorderGateBlocks(inputBias, order, canonical, hidden),
          recurrentBias: reorderGateBlocks(recurrentBias, order, canonical, hidden),
          ...(target.cell.peepholes.length > 0
            ? { peepholes: new Float64Array(target.cell.peepholes.length * hidden) }
            : {}),
        };
      });
    }),
  };
}

function readBias(
  where: string,
  label: string,
  target: WeightTarget,
  bias: HostTensor | undefined,
): { inputBias: Float64Array; recurrentBias: Float64Array } {
  const gateRows = target.cell.gates.length * target.hiddenSize;
  if (bias === undefined) {
    return { inputBias: new Float64Array(gateRows), recurrentBias: new Float64Array(gateRows) };
  }
  const pair = Array.isArray(bias.shape) && bias.shape.length === 2;
  if (target.cell.kind === 'gru' && pair !== resetAfter(target)) {
    throw new UnsupportedError(
      where,
      pair
        ? `${label} has shape [2, ${gateRows}] (a reset_after=True GRU); expected [${gateRows}] for this resetAfter: false GRU, or create the GRU with resetAfter: true`
        : `${label} is one bias (a reset_after=False GRU); expected [2, ${gateRows}] for this resetAfter: true GRU, or create the GRU with resetAfter: false`,
    );
  }
  if (pair) {
    expectHostTensor(where, label, bias, [2, gateRows]);
    return {
      inputBias: sliceValues(bias.data, 0, gateRows),
      recurrentBias: sliceValues(bias.data, gateRows, gateRows),
    };
  }
  expectHostTensor(where, label, bias, [gateRows]);
  return { inputBias: sliceValues(bias.data, 0, gateRows), recurrentBias: new Float64Array(gateRows) };
}

/** Converts canonical weights of `target` to per-layer Keras weights (biases always written). */
export function toKerasWeights(
  target: WeightTarget,
  weights: CanonicalWeights,
  options: KerasExportOptions = {},
): KerasLayerWeights[] {
  const where = 'toKerasWeights';
  const order = formatGateOrder('keras', target.cell, where);
  if (options.singleBias && resetAfter(target)) {
    throw new UnsupportedError(
      where,
      'a reset-after GRU cannot be written with one bias: its candidate recurrent bias b_hn sits inside r ⊙ (U_n h + b_hn) and does not fold into the input bias; expected singleBias: false (Keras reset_after=True, bias (2, 3H))',
    );
  }
  const checked = checkCanonicalWeights(where, target, weights);
  const hidden = target.hiddenSize;
  const gateRows = order.length * hidden;
  const canonical = target.cell.gates;
  const prefixes = directionPrefixes(target.directions);
  return checked.map((layer, layerIndex) => {
    const result: Record<string, HostTensor> = {};
    const inputSize = layerInputSize(target, layerIndex);
    layer.forEach((direction, directionIndex) => {
      if (!allZero(direction.peepholes)) {
        throw new UnsupportedError(
          where,
          `weights.layers[${layerIndex}][${directionIndex}].peepholes are nonzero; expected zero peepholes (Keras LSTMs have none)`,
        );
      }
      const prefix = prefixes[directionIndex]!;
      const columns = (values: ArrayLike<number>, width: number) =>
        transpose(reorderGateBlocks(values, canonical, order, hidden * width), gateRows, width);
      result[`${prefix}kernel`] = {
        data: columns(direction.inputWeights, inputSize),
        shape: [inputSize, gateRows],
      };
      result[`${prefix}recurrent_kernel`] = {
        data: columns(direction.recurrentWeights, hidden),
        shape: [hidden, gateRows],
      };
      const inputBias = reorderGateBlocks(direction.inputBias, canonical, order, hidden);
      const recurrentBias = reorderGateBlocks(direction.recurrentBias, canonical, order, hidden);
      if (resetAfter(target)) {
        const pair = new Float64Array(2 * gateRows);
        pair.set(inputBias, 0);
        pair.set(recurrentBias, gateRows);
        result[`${prefix}bias`] = { data: pair, shape: [2, gateRows] };
      } else {
        result[`${prefix}bias`] = { data: addValues(inputBias, recurrentBias), shape: [gateRows] };
      }
    });
    return result;
  });
}
