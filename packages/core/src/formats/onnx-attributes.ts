/**
 * The attributes of an ONNX `RNN` / `GRU` / `LSTM` node, each supported or refused by name:
 * `hidden_size`, `direction` (forward, reverse, bidirectional), `layout` (0, 1), `activations`
 * with `activation_alpha`/`_beta`, `clip` and `linear_before_reset` (GRU) are supported;
 * `input_forget = 1` (LSTM) is refused with an {@link UnsupportedError}, as is any attribute the
 * operator does not define. Turns them into one cell per direction.
 */
import type { CellDefinition } from '../cells/cell-definition.js';
import { gruCell } from '../cells/gru.js';
import { lstmCell } from '../cells/lstm.js';
import { rnnCell } from '../cells/rnn.js';
import { UnsupportedError, ValueError } from '../errors.js';
import { onnxActivations } from './onnx-activations.js';
import type { OnnxRecurrentAttributes, OnnxRecurrentNode, OnnxRecurrentOperator } from './onnx-node-types.js';

export const onnxOperators: Record<
  OnnxRecurrentOperator,
  { gates: number; defaults: string[]; attributes: string[]; inputs: string[] }
> = {
  RNN: { gates: 1, defaults: ['Tanh'], attributes: [], inputs: [] },
  GRU: { gates: 3, defaults: ['Sigmoid', 'Tanh'], attributes: ['linear_before_reset'], inputs: [] },
  LSTM: {
    gates: 4,
    defaults: ['Sigmoid', 'Tanh', 'Tanh'],
    attributes: ['input_forget'],
    inputs: ['initial_c', 'P'],
  },
};
const commonAttributes = [
  'hidden_size',
  'direction',
  'layout',
  'activations',
  'activation_alpha',
  'activation_beta',
  'clip',
];
export const commonInputs = ['X', 'W', 'R', 'B', 'sequence_lens', 'initial_h'];

/** Checks the attributes and returns them with ONNX defaults filled in. */
export function checkAttributes(where: string, node: OnnxRecurrentNode) {
  const spec = onnxOperators[node.operator];
  const attributes = node.attributes ?? {};
  if (typeof attributes !== 'object' || attributes === null) {
    throw new ValueError(where, 'attributes is not an object; expected { hidden_size, direction, … }');
  }
  const allowed = new Set([...commonAttributes, ...spec.attributes]);
  for (const [name, value] of Object.entries(attributes)) {
    if (!allowed.has(name) && value !== null && value !== undefined) {
      throw new UnsupportedError(
        where,
        `attribute ${name} is not supported for ONNX ${node.operator}; expected only ${[...allowed].join(', ')}`,
      );
    }
  }
  const direction = attributes.direction ?? 'forward';
  if (!['forward', 'reverse', 'bidirectional'].includes(direction)) {
    throw new ValueError(
      where,
      `attribute direction is '${String(direction)}'; expected 'forward', 'reverse' or 'bidirectional'`,
    );
  }
  const layout = attributes.layout ?? 0;
  if (layout !== 0 && layout !== 1) {
    throw new ValueError(where, `attribute layout is ${String(layout)}; expected 0 or 1`);
  }
  const clip = attributes.clip ?? null;
  if (clip !== null && (typeof clip !== 'number' || !Number.isFinite(clip) || clip <= 0)) {
    throw new ValueError(where, `attribute clip is ${String(clip)}; expected a positive number or null`);
  }
  if (node.operator === 'LSTM' && (attributes.input_forget ?? 0) !== 0) {
    throw new UnsupportedError(
      where,
      `attribute input_forget is ${attributes.input_forget}; expected 0 (coupled input and forget gates are not implemented)`,
    );
  }
  return { attributes, direction, layout, clip };
}

/** One cell per direction (LSTM always with peepholes: an absent P is zeros). */
export function cellsFor(
  where: string,
  node: OnnxRecurrentNode,
  attributes: OnnxRecurrentAttributes,
  directions: number,
  clip: number | null,
): CellDefinition[] {
  const perDirection = onnxActivations(
    where,
    attributes.activations,
    attributes.activation_alpha,
    attributes.activation_beta,
    onnxOperators[node.operator].defaults,
    directions,
  );
  const clipOption = clip === null ? {} : { clip };
  return perDirection.map(([f, g, h]) => {
    if (node.operator === 'RNN') {
      return rnnCell({ activation: f!, ...clipOption });
    }
    if (node.operator === 'GRU') {
      const resetAfter = (attributes.linear_before_reset ?? 0) !== 0;
      return gruCell({ resetAfter, gateActivation: f!, candidateActivation: g!, ...clipOption });
    }
    // Always with peepholes: an absent P is zeros, and its gradient is then still defined.
    return lstmCell({
      peepholes: true,
      gateActivation: f!,
      cellActivation: g!,
      hiddenActivation: h!,
      ...clipOption,
    });
  });
}
