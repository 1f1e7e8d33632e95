/** The values one direction's forward pass saves for its backward pass, and their storage. */
import type { Backend, DeviceBuffer } from '../backend.js';
import type { CellDefinition } from '../cells/cell-definition.js';
import type { DirectionGeometry } from './state-slots.js';

/** Values saved by the forward pass for backward; owned by the caller's tape. */
export interface DirectionTape {
  readonly inputProjection: DeviceBuffer;
  readonly recurrentProjection: DeviceBuffer;
  readonly intermediate?: DeviceBuffer;
}

/** Allocates the tape buffers a forward pass of this direction fills. */
export function allocateTape(
  backend: Backend,
  cell: CellDefinition,
  geometry: DirectionGeometry,
): DirectionTape {
  const rows = geometry.steps * geometry.batch;
  const gateWidth = cell.gates.length * geometry.hiddenSize;
  return {
    inputProjection: backend.allocate(rows * gateWidth),
    recurrentProjection: backend.allocate(rows * gateWidth),
    ...(cell.split < cell.gates.length ? { intermediate: backend.allocate(rows * geometry.hiddenSize) } : {}),
  };
}

export function disposeTape(backend: Backend, tape: DirectionTape): void {
  backend.dispose(tape.inputProjection);
  backend.dispose(tape.recurrentProjection);
  if (tape.intermediate) {
    backend.dispose(tape.intermediate);
  }
}
