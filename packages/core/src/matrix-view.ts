import type { DeviceBuffer, MatrixView } from './backend.js';

/** A row-major window onto `buffer`; `rowStride` defaults to `cols` (a dense block). */
export function matrixView(
  buffer: DeviceBuffer,
  offset: number,
  rows: number,
  cols: number,
  rowStride: number = cols,
): MatrixView {
  return { buffer, offset, rows, cols, rowStride };
}

/** Columns `[first, first + count)` of a view. */
export function columnsOf(view: MatrixView, first: number, count: number): MatrixView {
  return {
    buffer: view.buffer,
    offset: view.offset + first,
    rows: view.rows,
    cols: count,
    rowStride: view.rowStride,
  };
}

/** Rows `[first, first + count)` of a view. */
export function rowsOf(view: MatrixView, first: number, count: number): MatrixView {
  return {
    buffer: view.buffer,
    offset: view.offset + first * view.rowStride,
    rows: count,
    cols: view.cols,
    rowStride: view.rowStride,
  };
}

/** One row repeated `rows` times (rowStride 0): biases and peepholes in pointwise launches. */
export function broadcastRow(buffer: DeviceBuffer, offset: number, rows: number, cols: number): MatrixView {
  return { buffer, offset, rows, cols, rowStride: 0 };
}
