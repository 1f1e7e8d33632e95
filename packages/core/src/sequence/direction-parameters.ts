/** The weights of one direction of one layer, their gradients, and the recurrent-weight split. */
import type { Backend, DeviceBuffer, MatrixView } from '../backend.js';
import type { CellDefinition } from '../cells/cell-definition.js';
import { matrixView, rowsOf } from '../matrix-view.js';

export interface DirectionParameters {
  /** `[G·H, inputSize]` */
  readonly inputWeights: DeviceBuffer;
  /** `[G·H, H]` */
  readonly recurrentWeights: DeviceBuffer;
  /** `[G·H]` */
  readonly inputBias: DeviceBuffer;
  /** `[G·H]` */
  readonly recurrentBias: DeviceBuffer;
  /** `[P·H]` for cells with peepholes. */
  readonly peepholes?: DeviceBuffer;
}

export interface DirectionGradients {
  readonly inputWeights: DeviceBuffer;
  readonly recurrentWeights: DeviceBuffer;
  readonly inputBias: DeviceBuffer;
  readonly recurrentBias: DeviceBuffer;
  readonly peepholes?: DeviceBuffer;
}

/** Allocates one gradient buffer per parameter, each the size of its parameter. */
export function allocateGradients(backend: Backend, parameters: DirectionParameters): DirectionGradients {
  return {
    inputWeights: backend.allocate(parameters.inputWeights.length),
    recurrentWeights: backend.allocate(parameters.recurrentWeights.length),
    inputBias: backend.allocate(parameters.inputBias.length),
    recurrentBias: backend.allocate(parameters.recurrentBias.length),
    ...(parameters.peepholes ? { peepholes: backend.allocate(parameters.peepholes.length) } : {}),
  };
}

/**
 * The recurrent weights `[G·H, H]` split at the cell's `split` gate: the first stage multiplies
 * the previous hidden state, the second the intermediate `s` (reset-before GRUs; empty otherwise).
 */
export function recurrentStages(
  cell: CellDefinition,
  parameters: DirectionParameters,
  hiddenSize: number,
): { readonly firstStage: MatrixView; readonly secondStage: MatrixView } {
  const gateCount = cell.gates.length;
  const recurrentWeights = matrixView(parameters.recurrentWeights, 0, gateCount * hiddenSize, hiddenSize);
  return {
    firstStage: rowsOf(recurrentWeights, 0, cell.split * hiddenSize),
    secondStage: rowsOf(recurrentWeights, cell.split * hiddenSize, (gateCount - cell.split) * hiddenSize),
  };
}
