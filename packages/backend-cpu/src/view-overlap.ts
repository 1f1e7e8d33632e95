import type { MatrixView } from '@recurrent/core';

/**
 * Whether two views of the same buffer may share an element. Exact for views with one
 * `rowStride` whose rows do not wrap past it (the usual column slices of one matrix);
 * otherwise compares the spans of memory they cover, which may report overlap that is not there.
 */
export function viewsOverlap(first: MatrixView, second: MatrixView): boolean {
  if (first.buffer !== second.buffer) return false;
  if (first.rows === 0 || first.cols === 0 || second.rows === 0 || second.cols === 0) return false;
  const stride = first.rowStride;
  if (stride > 0 && stride === second.rowStride) {
    const firstColumn = first.offset % stride;
    const secondColumn = second.offset % stride;
    if (firstColumn + first.cols <= stride && secondColumn + second.cols <= stride) {
      const firstRow = Math.floor(first.offset / stride);
      const secondRow = Math.floor(second.offset / stride);
      const rowsMeet = firstRow < secondRow + second.rows && secondRow < firstRow + first.rows;
      const columnsMeet = firstColumn < secondColumn + second.cols && secondColumn < firstColumn + first.cols;
      return rowsMeet && columnsMeet;
    }
  }
  const firstEnd = first.offset + (first.rows - 1) * first.rowStride + first.cols;
  const secondEnd = second.offset + (second.rows - 1) * second.rowStride + second.cols;
  return first.offset < secondEnd && second.offset < firstEnd;
}
