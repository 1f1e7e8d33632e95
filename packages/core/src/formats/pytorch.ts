/**
 * PyTorch `nn.RNN` / `nn.GRU` / `nn.LSTM` `state_dict` ⇄ canonical weights.
 *
 * Names per layer k, with the suffix `_reverse` for the second direction:
 *   weight_ih_l{k}  [G·H, in]   used as W x   → inputWeights (gate blocks reordered)
 *   weight_hh_l{k}  [G·H, H]                 → recurrentWeights
 *   bias_ih_l{k}    [G·H]                    → inputBias
 *   bias_hh_l{k}    [G·H]                    → recurrentBias
 * Gate orders: GRU r, z, n (canonical z, r, n); LSTM i, f, g, o (same as canonical); RNN one
 * block. PyTorch's GRU applies the reset gate after the recurrent product, so only
 * `resetAfter: true` GRUs convert. A module built with `bias=False` has no bias entries: all
 * four are then absent and read as zeros. `proj_size` LSTMs (`weight_hr_l{k}`) and nonzero
 * peepholes have no PyTorch counterpart and are refused.
 */
import { UnsupportedError, ValueError } from '../errors.js';
import type { CanonicalWeights, DirectionWeights } from '../layers/parameters.js';
import type { HostTensor } from '../tensor.js';
import { formatGateOrder, reorderGateBlocks } from './gate-order.js';
import { allZero, expectHostTensor } from './host-tensors.js';
import { checkCanonicalWeights, layerInputSize, type WeightTarget } from './weight-target.js';

/** A `state_dict` as host tensors, e.g. read from a safetensors file. */
export type PytorchStateDict = Readonly<Record<string, HostTensor>>;

export interface PytorchFormatOptions {
  /** Prefix of the module's keys inside a larger model's `state_dict`, e.g. `'encoder.rnn.'`. */
  readonly prefix?: string;
}

const tensorNames = ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'] as const;

function keyOf(prefix: string, name: string, layer: number, direction: number): string {
  return `${prefix}${name}_l${layer}${direction === 1 ? '_reverse' : ''}`;
}

function checkCell(where: string, target: WeightTarget): readonly string[] {
  const order = formatGateOrder('pytorch', target.cell, where);
  if (target.cell.kind === 'gru' && target.cell.options.resetAfter === false) {
    throw new UnsupportedError(
      where,
      'this GRU applies the reset gate before the recurrent product; expected resetAfter: true (PyTorch has only that variant)',
    );
  }
  return order;
}

/** Converts a PyTorch `state_dict` to canonical weights for `target` (e.g. a layer). */
export function fromPytorchStateDict(
  target: WeightTarget,
  stateDict: PytorchStateDict,
  options: PytorchFormatOptions = {},
): CanonicalWeights {
  const where = 'fromPytorchStateDict';
  const order = checkCell(where, target);
  const prefix = options.prefix ?? '';
  if (typeof stateDict !== 'object' || stateDict === null) {
    throw new ValueError(where, 'stateDict is not an object; expected { weight_ih_l0: { data, shape }, … }');
  }
  const expected = new Set<string>();
  for (let layer = 0; layer < target.numLayers; layer++) {
    for (let direction = 0; direction < target.directions; direction++) {
      for (const name of tensorNames) {
        expected.add(keyOf(prefix, name, layer, direction));
      }
    }
  }
  for (const key of Object.keys(stateDict)) {
    if (!key.startsWith(prefix) || expected.has(key)) {
      continue;
    }
    if (/^weight_hr_l\d+/.test(key.slice(prefix.length))) {
      throw new UnsupportedError(where, `stateDict has '${key}' (LSTM proj_size); expected no projection`);
    }
    throw new ValueError(
      where,
      `stateDict has unexpected key '${key}'; expected the ${target.numLayers}-layer, ${target.directions}-direction keys${prefix ? ` under prefix '${prefix}'` : ' (pass options.prefix for a submodule)'}`,
    );
  }
  const biasKeys = [...expected].filter((key) => key.slice(prefix.length).startsWith('bias_'));
  const presentBiases = biasKeys.filter((key) => stateDict[key] !== undefined).length;
  if (presentBiases !== 0 && presentBiases !== biasKeys.length) {
    throw new ValueError(
      where,
      `stateDict has ${presentBiases} of ${biasKeys.length} bias tensors; expected all (bias=True) or none (bias=False)`,
    );
  }
  const hidden = target.hiddenSize;
  const gateRows = order.length * hidden;
  const canonical = target.cell.gates;
  const layers: DirectionWeights[][] = [];
  for (let layer = 0; layer < target.numLayers; layer++) {
    const directions: DirectionWeights[] = [];
    for (let direction = 0; direction < target.directions; direction++) {
      const read = (name: (typeof tensorNames)[number], shape: number[]) => {
        const key = keyOf(prefix, name, layer, direction);
        const tensor = stateDict[key];
        if (tensor === undefined && presentBiases === 0 && name.startsWith('bias_')) {
          return new Float64Array(gateRows);
        }
        if (tensor === undefined) {
          throw new ValueError(where, `stateDict has no '${key}'; expected shape [${shape.join(', ')}]`);
        }
        expectHostTensor(where, `stateDict['${key}']`, tensor, shape);
        const blockSize = shape.length === 2 ? hidden * shape[1]! : hidden;
        return reorderGateBlocks(tensor.data, order, canonical, blockSize);
      };
      const inputSize = layerInputSize(target, layer);
      directions.push({
        inputWeights: read('weight_ih', [gateRows, inputSize]),
        recurrentWeights: read('weight_hh', [gateRows, hidden]),
        inputBias: read('bias_ih', [gateRows]),
        recurrentBias: read('bias_hh', [gateRows]),
        ...(target.cell.peepholes.length > 0
          ? { peepholes: new Float64Array(target.cell.peepholes.length * hidden) }
          : {}),
      });
    }
    layers.push(directions);
  }
  return { layers };
}

/** Converts canonical weights of `target` to a PyTorch `state_dict` (biases always written). */
export function toPytorchStateDict(
  target: WeightTarget,
  weights: CanonicalWeights,
  options: PytorchFormatOptions = {},
): Record<string, HostTensor> {
  const where = 'toPytorchStateDict';
  const order = checkCell(where, target);
  const prefix = options.prefix ?? '';
  const checked = checkCanonicalWeights(where, target, weights);
  const hidden = target.hiddenSize;
  const gateRows = order.length * hidden;
  const canonical = target.cell.gates;
  const stateDict: Record<string, HostTensor> = {};
  checked.forEach((layer, layerIndex) => {
    layer.forEach((direction, directionIndex) => {
      if (!allZero(direction.peepholes)) {
        throw new UnsupportedError(
          where,
          `weights.layers[${layerIndex}][${directionIndex}].peepholes are nonzero; expected zero peepholes (PyTorch LSTMs have none)`,
        );
      }
      const inputSize = layerInputSize(target, layerIndex);
      const write = (name: (typeof tensorNames)[number], values: ArrayLike<number>, shape: number[]) => {
        const blockSize = shape.length === 2 ? hidden * shape[1]! : hidden;
        stateDict[keyOf(prefix, name, layerIndex, directionIndex)] = {
          data: reorderGateBlocks(values, canonical, order, blockSize),
          shape,
        };
      };
      write('weight_ih', direction.inputWeights, [gateRows, inputSize]);
      write('weight_hh', direction.recurrentWeights, [gateRows, hidden]);
      write('bias_ih', direction.inputBias, [gateRows]);
      write('bias_hh', direction.recurrentBias, [gateRows]);
    });
  });
  return stateDict;
}
