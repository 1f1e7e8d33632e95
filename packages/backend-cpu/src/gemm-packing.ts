import type { CpuArray } from './cpu-buffer.js';

/** A strided row-major operand: element `(i, j)` of the stored matrix is `data[offset + i * rowStride + j]`. */
export interface GemmOperand {
  data: CpuArray;
  offset: number;
  rowStride: number;
  /** The buffer's id (0 when unknown) and write count: together they key cached packed copies. */
  identity: number;
  version: number;
}

/**
 * Packs `count` lines (rows of op(A) or columns of op(B)) starting at line `first`, over depth
 * `[depthStart, depthStart + depth)`, into panels `width` lines wide, from `target[start]` on:
 * `target[start + panel · depth · width + p · width + line]`; lines past `count` in the last
 * panel are zero. `depthAlongRows` says whether the depth index walks the stored rows (A
 * transposed, B as stored) or the stored columns (A as stored, B transposed).
 */
export function packPanels(
  target: Float32Array | Float64Array,
  start: number,
  width: number,
  source: GemmOperand,
  depthAlongRows: boolean,
  depthStart: number,
  first: number,
  depth: number,
  count: number,
): void {
  const { data, offset, rowStride } = source;
  const depthStride = depthAlongRows ? rowStride : 1;
  const lineStride = depthAlongRows ? 1 : rowStride;
  const base = offset + depthStart * depthStride + first * lineStride;
  for (let line0 = 0; line0 < count; line0 += width) {
    const panel = start + (line0 / width) * depth * width;
    const lines = Math.min(width, count - line0);
    if (lines === width && depthAlongRows) {
      // `width` adjacent elements per stored row: B as stored, and Aᵀ.
      let from = base + line0;
      let to = panel;
      for (let p = 0; p < depth; p++, from += rowStride, to += width) {
        for (let line = 0; line < width; line++) target[to + line] = data[from + line]!;
      }
      continue;
    }
    for (let line = 0; line < width; line++) {
      let to = panel + line;
      if (line >= lines) {
        for (let p = 0; p < depth; p++, to += width) target[to] = 0;
        continue;
      }
      let from = base + (line0 + line) * lineStride;
      for (let p = 0; p < depth; p++, to += width, from += depthStride) target[to] = data[from]!;
    }
  }
}
