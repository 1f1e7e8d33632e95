/**
 * Where a direction's states live. State storage, shared by both directions of a layer: a
 * buffer of `T + 2` slots of `[batch, directions·hidden]`. Slots 1..T hold the state after
 * time t = slot − 1, so the layer output (both directions concatenated) is a contiguous view of
 * slots 1..T. A forward direction's initial state sits in slot 0, a reverse direction's in
 * slot T + 1. Step t reads slot t (reverse: t + 2) and writes slot t + 1 (`step-bindings.ts`).
 */
import type { DeviceBuffer, MatrixView } from '../backend.js';
import { matrixView } from '../matrix-view.js';

export interface DirectionGeometry {
  readonly steps: number;
  readonly batch: number;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly directions: number;
  /** Column block of this direction in the shared state buffer (0 or 1). */
  readonly direction: number;
  /** Processes time steps from last to first. */
  readonly reverse: boolean;
}

/** The slot of this direction's initial state. */
export function initialSlot(geometry: DirectionGeometry): number {
  return geometry.reverse ? geometry.steps + 1 : 0;
}

/** The slot of this direction's final state (its last processed time step). */
export function finalSlot(geometry: DirectionGeometry): number {
  return geometry.reverse ? 1 : geometry.steps;
}

/** `[B, H]` view of one state slot for this direction. */
export function stateSlot(buffer: DeviceBuffer, geometry: DirectionGeometry, slot: number): MatrixView {
  const { batch, hiddenSize, directions, direction } = geometry;
  const width = directions * hiddenSize;
  return matrixView(buffer, slot * batch * width + direction * hiddenSize, batch, hiddenSize, width);
}

/** `[T·B, H]` view of slots `first .. first + T − 1` for this direction. */
export function stateRun(buffer: DeviceBuffer, geometry: DirectionGeometry, first: number): MatrixView {
  const { steps, batch, hiddenSize, directions, direction } = geometry;
  const width = directions * hiddenSize;
  return matrixView(buffer, first * batch * width + direction * hiddenSize, steps * batch, hiddenSize, width);
}
