/**
 * Weight initialisers, all driven by a seeded {@link Random} so runs are reproducible.
 *  - `pytorch`: every parameter uniform in ±1/√H (PyTorch's RNN/GRU/LSTM default).
 *  - `glorot`: input weights Glorot-uniform per gate block, recurrent weights orthogonal per
 *    gate block, biases zero (Keras's default).
 * LSTM cells additionally get `forgetBias` (default 1) in the input bias of the forget gate and
 * 0 in its recurrent bias, so the total forget bias starts at 1.
 */
import type { CellDefinition } from '../cells/cell-definition.js';
import type { Random } from '../random.js';
import type { ParameterName } from './parameters.js';

export type InitializerName = 'pytorch' | 'glorot';

export interface InitializerOptions {
  readonly initializer?: InitializerName;
  /** LSTM only: initial forget-gate bias (default 1). */
  readonly forgetBias?: number;
}

export function initialValues(
  cell: CellDefinition,
  name: ParameterName,
  shape: readonly number[],
  hiddenSize: number,
  random: Random,
  options: InitializerOptions,
): Float64Array {
  const size = shape.reduce((product, dimension) => product * dimension, 1);
  const initializer = options.initializer ?? 'pytorch';
  let values: Float64Array;
  if (initializer === 'pytorch') {
    const bound = 1 / Math.sqrt(hiddenSize);
    values = random.uniformArray(size, -bound, bound);
  } else if (name === 'inputWeights') {
    values = new Float64Array(size);
    const columns = shape[1]!;
    const bound = Math.sqrt(6 / (hiddenSize + columns));
    values.set(random.uniformArray(size, -bound, bound));
  } else if (name === 'recurrentWeights') {
    values = new Float64Array(size);
    for (let gate = 0; gate < cell.gates.length; gate++) {
      values.set(orthogonal(hiddenSize, random), gate * hiddenSize * hiddenSize);
    }
  } else {
    values = new Float64Array(size);
  }
  const forget = cell.gates.indexOf('forget');
  if (cell.kind === 'lstm' && forget >= 0 && (name === 'inputBias' || name === 'recurrentBias')) {
    const value = name === 'inputBias' ? (options.forgetBias ?? 1) : 0;
    values.fill(value, forget * hiddenSize, (forget + 1) * hiddenSize);
  }
  return values;
}

/** A random `n × n` orthogonal matrix (Gram–Schmidt on a Gaussian matrix), row-major. */
export function orthogonal(n: number, random: Random): Float64Array {
  const matrix = new Float64Array(n * n);
  for (let row = 0; row < n; row++) {
    for (;;) {
      for (let column = 0; column < n; column++) {
        matrix[row * n + column] = random.normal();
      }
      for (let previous = 0; previous < row; previous++) {
        let dot = 0;
        for (let column = 0; column < n; column++) {
          dot += matrix[row * n + column]! * matrix[previous * n + column]!;
        }
        for (let column = 0; column < n; column++) {
          matrix[row * n + column]! -= dot * matrix[previous * n + column]!;
        }
      }
      let norm = 0;
      for (let column = 0; column < n; column++) {
        norm += matrix[row * n + column]! ** 2;
      }
      norm = Math.sqrt(norm);
      if (norm > 1e-6) {
        for (let column = 0; column < n; column++) {
          matrix[row * n + column]! /= norm;
        }
        break;
      }
    }
  }
  return matrix;
}
