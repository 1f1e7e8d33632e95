import type { CpuArray } from './cpu-buffer.js';

/**
 * `out[j] = beta · out[j] + Σ_i src[i, j]` for `j < columns`, summing in float64 scratch so a
 * float32 backend rounds once per column, not once per row. With `beta = 0`, `out` is not read.
 */
export function sumRows(
  scratch: { sums: Float64Array },
  source: CpuArray,
  sourceOffset: number,
  rows: number,
  columns: number,
  rowStride: number,
  out: CpuArray,
  outOffset: number,
  beta: number,
): void {
  if (scratch.sums.length < columns) scratch.sums = new Float64Array(columns);
  const sums = scratch.sums;
  sums.fill(0, 0, columns);
  // Four rows per sweep: one load and store of each running sum per four rows, added in row
  // order, so the result is bit-identical to adding one row at a time.
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const r0 = sourceOffset + i * rowStride;
    const r1 = r0 + rowStride;
    const r2 = r1 + rowStride;
    const r3 = r2 + rowStride;
    for (let j = 0; j < columns; j++) {
      sums[j] = sums[j]! + source[r0 + j]! + source[r1 + j]! + source[r2 + j]! + source[r3 + j]!;
    }
  }
  for (; i < rows; i++) {
    const start = sourceOffset + i * rowStride;
    for (let j = 0; j < columns; j++) sums[j]! += source[start + j]!;
  }
  if (beta === 0) {
    for (let j = 0; j < columns; j++) out[outOffset + j] = sums[j]!;
  } else {
    for (let j = 0; j < columns; j++) out[outOffset + j] = beta * out[outOffset + j]! + sums[j]!;
  }
}
