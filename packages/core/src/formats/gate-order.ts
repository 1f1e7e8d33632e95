/**
 * Gate orders of the ecosystems this library exchanges weights with, written as this
 * library's canonical gate names in each format's block order (REFERENCE.md, "Gate orders"):
 *
 *   format    GRU                          LSTM                          LSTM peepholes
 *   canonical update, reset, candidate     input, forget, cell, output   input, forget, output
 *   PyTorch   reset, update, candidate     input, forget, cell, output   —
 *   Keras     update, reset, candidate     input, forget, cell, output   —
 *   ONNX      update, reset, candidate     input, output, forget, cell   input, output, forget
 *
 * A vanilla RNN has one block everywhere. Weight rows (or Keras columns) come in blocks of H,
 * one block per gate; converting a format means moving whole blocks, never single numbers.
 */
import type { CellDefinition } from '../cells/cell-definition.js';
import { UnsupportedError } from '../errors.js';

export type WeightFormat = 'pytorch' | 'keras' | 'onnx';

type ExchangedKind = 'rnn' | 'gru' | 'lstm';

const gateOrders: Record<WeightFormat, Record<ExchangedKind, readonly string[]>> = {
  pytorch: {
    rnn: ['hidden'],
    gru: ['reset', 'update', 'candidate'],
    lstm: ['input', 'forget', 'cell', 'output'],
  },
  keras: {
    rnn: ['hidden'],
    gru: ['update', 'reset', 'candidate'],
    lstm: ['input', 'forget', 'cell', 'output'],
  },
  onnx: {
    rnn: ['hidden'],
    gru: ['update', 'reset', 'candidate'],
    lstm: ['input', 'output', 'forget', 'cell'],
  },
};

/** ONNX `P` holds the peepholes as input, output, forget. */
export const onnxPeepholeOrder: readonly string[] = ['input', 'output', 'forget'];

/**
 * The canonical gate names of `cell` in `format`'s block order. Throws an
 * {@link UnsupportedError} for cell kinds the format has no layout for (gate-ablated cells).
 */
export function formatGateOrder(
  format: WeightFormat,
  cell: CellDefinition,
  where: string,
): readonly string[] {
  const order = (gateOrders[format] as Partial<Record<string, readonly string[]>>)[cell.kind];
  if (
    order === undefined ||
    order.length !== cell.gates.length ||
    order.some((g) => !cell.gates.includes(g))
  ) {
    throw new UnsupportedError(
      where,
      `cell kind '${cell.kind}' has no ${format} weight layout; expected an RNN, GRU or LSTM cell`,
    );
  }
  return order;
}

/**
 * Reorders the `order.length` row blocks of `values` (each `blockSize` numbers) from the gate
 * order `from` to the gate order `to` (both lists of the same gate names).
 */
export function reorderGateBlocks(
  values: ArrayLike<number>,
  from: readonly string[],
  to: readonly string[],
  blockSize: number,
): Float64Array {
  const result = new Float64Array(from.length * blockSize);
  to.forEach((gate, targetBlock) => {
    const sourceBlock = from.indexOf(gate);
    for (let index = 0; index < blockSize; index++) {
      result[targetBlock * blockSize + index] = values[sourceBlock * blockSize + index]!;
    }
  });
  return result;
}

/** The transpose of a row-major `[rows, cols]` matrix. */
export function transpose(values: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const result = new Float64Array(rows * cols);
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      result[col * rows + row] = values[row * cols + col]!;
    }
  }
  return result;
}
