/**
 * Copies between the `[L·D, B, H]` initial/final state tensors and the state slots of each
 * direction, through the same `Backend.pointwise` path as everything else.
 */
import type { Backend, DeviceBuffer, MatrixView } from '../backend.js';
import { matrixView } from '../matrix-view.js';
import type { DirectionGeometry } from './state-slots.js';
import { copyKernel } from './utility-kernels.js';

/** The `[B, H]` rows of one layer and direction in a (possibly strided) `[L·D·B, H]` view. */
export function stateRows(view: MatrixView, geometry: DirectionGeometry, layer: number): MatrixView {
  const { batch, directions, direction } = geometry;
  return rowsBlock(view, (layer * directions + direction) * batch, batch);
}

/** The `[B, H]` block of one layer and direction in a dense `[L·D, B, H]` state buffer. */
export function stateBlock(buffer: DeviceBuffer, geometry: DirectionGeometry, layer: number): MatrixView {
  const { batch, hiddenSize, directions, direction } = geometry;
  return matrixView(buffer, (layer * directions + direction) * batch * hiddenSize, batch, hiddenSize);
}

export function copy(
  backend: Backend,
  source: MatrixView,
  target: MatrixView,
  mode: 'set' | 'add' = 'set',
): void {
  backend.pointwise(copyKernel, {
    rows: source.rows,
    units: source.cols,
    inputs: [{ view: source }],
    outputs: [{ view: target, mode }],
  });
}

function rowsBlock(view: MatrixView, firstRow: number, count: number): MatrixView {
  return matrixView(view.buffer, view.offset + firstRow * view.rowStride, count, view.cols, view.rowStride);
}
