import type { Backend, MatrixView } from '@recurrent/core';
import { type CpuBuffer, resolveBuffer } from './cpu-buffer.js';
import { CpuBackendError } from './errors.js';

export interface ViewCheckOptions {
  /** Whether `rowStride` 0 (one row broadcast to every row) is allowed. */
  readonly broadcast?: boolean;
}

function isCount(value: number): boolean {
  return Number.isInteger(value) && value >= 0;
}

/**
 * Resolves a view's buffer and checks that every element the view names lies inside it.
 * Returns the buffer. Runs on every GEMM and pointwise binding, several times per time step,
 * so the passing path builds no strings and no closures; a failing view goes to
 * {@link rejectView}, which finds the first broken rule and says which.
 */
export function checkView(
  owner: Backend,
  view: MatrixView,
  operation: string,
  role: string,
  options?: ViewCheckOptions,
): CpuBuffer {
  const buffer = view.buffer as CpuBuffer;
  const { offset, rows, cols, rowStride } = view;
  if (
    buffer.owner === owner &&
    !buffer.disposed &&
    isCount(offset) &&
    isCount(rows) &&
    isCount(cols) &&
    isCount(rowStride) &&
    (rows <= 1 || (rowStride === 0 ? options?.broadcast === true : rowStride >= cols)) &&
    (rows === 0 || cols === 0 || offset + (rows - 1) * rowStride + cols <= buffer.data.length)
  ) {
    return buffer;
  }
  return rejectView(owner, view, operation, role, options);
}

/** Throws the error for the first rule `view` breaks (returns the buffer if it breaks none). */
function rejectView(
  owner: Backend,
  view: MatrixView,
  operation: string,
  role: string,
  options: ViewCheckOptions = {},
): CpuBuffer {
  const buffer = resolveBuffer(owner, view.buffer, `${operation} (${role})`);
  const data = buffer.data;
  const { offset, rows, cols, rowStride } = view;
  const described = `${role} view {offset: ${offset}, rows: ${rows}, cols: ${cols}, rowStride: ${rowStride}}`;
  if (!isCount(offset) || !isCount(rows) || !isCount(cols) || !isCount(rowStride)) {
    throw new CpuBackendError(operation, `${described} has a negative or non-integer field`);
  }
  if (rowStride === 0 && rows > 1 && !options.broadcast) {
    throw new CpuBackendError(operation, `${described} has rowStride 0, which is only valid for inputs`);
  }
  if (rowStride !== 0 && rows > 1 && rowStride < cols) {
    throw new CpuBackendError(operation, `${described} has rowStride < cols, so its rows overlap`);
  }
  if (rows === 0 || cols === 0) return buffer;
  const last = offset + (rows - 1) * rowStride + cols;
  if (last > data.length) {
    throw new CpuBackendError(
      operation,
      `${described} reaches element ${last - 1}; the buffer has ${data.length} elements`,
    );
  }
  return buffer;
}
