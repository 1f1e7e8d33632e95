/**
 * Random layer stacks and weights for the weight-format tests: a cell kind, a geometry, and
 * seeded values, drawn by fast-check.
 */
import fc from 'fast-check';
import { type CellDefinition, gruCell, lstmCell, rnnCell } from '../../src/index.js';
import { seededUniform } from './random-onnx-node.js';

export type CellChoice = 'rnn' | 'gru-reset-after' | 'gru-reset-before' | 'lstm' | 'lstm-peepholes';

export interface StackChoice {
  readonly cellChoice: CellChoice;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly directions: 1 | 2;
  readonly seed: number;
}

export function cellOf(choice: CellChoice): CellDefinition {
  switch (choice) {
    case 'rnn':
      return rnnCell();
    case 'gru-reset-after':
      return gruCell({ resetAfter: true });
    case 'gru-reset-before':
      return gruCell({ resetAfter: false });
    case 'lstm':
      return lstmCell();
    case 'lstm-peepholes':
      return lstmCell({ peepholes: true });
  }
}

export function stackArbitrary(cells: readonly CellChoice[]): fc.Arbitrary<StackChoice> {
  return fc.record({
    cellChoice: fc.constantFrom(...cells),
    inputSize: fc.integer({ min: 1, max: 4 }),
    hiddenSize: fc.integer({ min: 1, max: 4 }),
    numLayers: fc.integer({ min: 1, max: 3 }),
    directions: fc.constantFrom<1 | 2>(1, 2),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  });
}

/** The `WeightTarget` of a stack choice. */
export function targetOf(choice: StackChoice) {
  return {
    cell: cellOf(choice.cellChoice),
    inputSize: choice.inputSize,
    hiddenSize: choice.hiddenSize,
    numLayers: choice.numLayers,
    directions: choice.directions,
  };
}

/** A generator of arrays of seeded uniform values in [−1, 1). */
export function randomValues(seed: number): (count: number) => Float64Array {
  const uniform = seededUniform(seed);
  return (count) => Float64Array.from({ length: count }, () => uniform(-1, 1));
}

/** Random canonical weights for a stack. */
export function randomCanonical(choice: StackChoice) {
  const target = targetOf(choice);
  const values = randomValues(choice.seed);
  const gateRows = target.cell.gates.length * choice.hiddenSize;
  return {
    layers: Array.from({ length: choice.numLayers }, (_, layer) =>
      Array.from({ length: choice.directions }, () => ({
        inputWeights: values(
          gateRows * (layer === 0 ? choice.inputSize : choice.directions * choice.hiddenSize),
        ),
        recurrentWeights: values(gateRows * choice.hiddenSize),
        inputBias: values(gateRows),
        recurrentBias: values(gateRows),
        ...(target.cell.peepholes.length > 0 ? { peepholes: values(3 * choice.hiddenSize) } : {}),
      })),
    ),
  };
}

/** Plain arrays for `toEqual` comparisons of nested host data. */
export function plain(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) {
    return Array.from(value as Float64Array);
  }
  if (Array.isArray(value)) {
    return value.map(plain);
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plain(inner)]));
  }
  return value;
}

export const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
