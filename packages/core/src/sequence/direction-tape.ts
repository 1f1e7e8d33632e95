/** The values one direction's forward pass saves for its backward pass, and their storage. */
import type { Backend, DeviceBuffer } from '../backend.js';
import type { CellDefinition } from '../cells/cell-definition.js';
import type { DirectionGeometry } from './state-slots.js';

/** Values saved by the forward pass for backward; owned by the caller's tape. */
export interface DirectionTape {
  /** `[T·B, G·H]`: the input projections of every step (one GEMM before the loop). */
  readonly inputProjection: DeviceBuffer;
  /** `[T·B, G·H]`, or `[B, G·H]` reused by every step when `everyStep` is false. */
  readonly recurrentProjection: DeviceBuffer;
  /** `[T·B, H]` (or `[B, H]`) intermediates `s` of cells with a second recurrent product. */
  readonly intermediate?: DeviceBuffer;
  /**
   * Whether the per-step values of every step are kept (training: backward reads them), or one
   * step's storage is rewritten by each step (inference: nothing reads them after the step).
   */
  readonly everyStep: boolean;
}

/** Allocates the tape buffers a forward pass of this direction fills. */
export function allocateTape(
  backend: Backend,
  cell: CellDefinition,
  geometry: DirectionGeometry,
  everyStep: boolean,
): DirectionTape {
  const rows = geometry.steps * geometry.batch;
  const stepRows = everyStep ? rows : geometry.batch;
  const gateWidth = cell.gates.length * geometry.hiddenSize;
  return {
    inputProjection: backend.allocate(rows * gateWidth),
    recurrentProjection: backend.allocate(stepRows * gateWidth),
    ...(cell.split < cell.gates.length
      ? { intermediate: backend.allocate(stepRows * geometry.hiddenSize) }
      : {}),
    everyStep,
  };
}

export function disposeTape(backend: Backend, tape: DirectionTape): void {
  backend.dispose(tape.inputProjection);
  backend.dispose(tape.recurrentProjection);
  if (tape.intermediate) {
    backend.dispose(tape.intermediate);
  }
}
