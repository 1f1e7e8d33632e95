/**
 * Every cell variant core ships, by id. Suites that must cover "every cell" (gradient checks,
 * conformance, experiments) enumerate this list, so a new variant added here is covered
 * everywhere without touching those suites or any backend.
 */
import { activation } from '../activation.js';
import type { CellDefinition } from './cell-definition.js';
import { gruCell } from './gru.js';
import { gruNoResetCell, gruNoUpdateCell } from './gru-ablations.js';
import { lstmCell } from './lstm.js';
import { mguCell } from './mgu.js';
import { rnnCell } from './rnn.js';

export interface CellVariant {
  readonly id: string;
  readonly description: string;
  readonly create: () => CellDefinition;
}

export const cellVariants: readonly CellVariant[] = [
  { id: 'rnn-tanh', description: 'vanilla RNN, tanh', create: () => rnnCell() },
  {
    id: 'rnn-relu',
    description: 'vanilla RNN, relu',
    create: () => rnnCell({ activation: activation('relu') }),
  },
  {
    id: 'gru-reset-after',
    description: 'GRU, reset applied after the recurrent product (PyTorch, cuDNN)',
    create: () => gruCell({ resetAfter: true }),
  },
  {
    id: 'gru-reset-before',
    description: 'GRU, reset applied before the recurrent product (Cho et al. 2014)',
    create: () => gruCell({ resetAfter: false }),
  },
  { id: 'lstm', description: 'LSTM', create: () => lstmCell() },
  {
    id: 'lstm-peepholes',
    description: 'LSTM with peepholes (ONNX P)',
    create: () => lstmCell({ peepholes: true }),
  },
  { id: 'gru-no-reset', description: 'GRU without reset gate (r ≡ 1)', create: () => gruNoResetCell() },
  {
    id: 'gru-no-update',
    description: 'GRU without update gate (z ≡ 0, h′ = n), reset after the product',
    create: () => gruNoUpdateCell({ resetAfter: true }),
  },
  {
    id: 'gru-no-update-reset-before',
    description: 'GRU without update gate (z ≡ 0, h′ = n), reset before the product',
    create: () => gruNoUpdateCell({ resetAfter: false }),
  },
  {
    id: 'mgu',
    description: 'minimal gated unit (one forget gate as update and reset)',
    create: () => mguCell(),
  },
];

/** Looks a variant up by id; throws listing the known ids. */
export function cellVariant(id: string): CellVariant {
  const found = cellVariants.find((variant) => variant.id === id);
  if (!found) {
    throw new Error(
      `cellVariant: unknown id '${id}'; expected one of ${cellVariants.map((v) => v.id).join(', ')}`,
    );
  }
  return found;
}
