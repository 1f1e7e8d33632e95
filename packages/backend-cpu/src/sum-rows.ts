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
  for (let i = 0; i < rows; i++) {
    const start = sourceOffset + i * rowStride;
    for (let j = 0; j < columns; j++) sums[j]! += source[start + j]!;
  }
  if (beta === 0) {
    for (let j = 0; j < columns; j++) out[outOffset + j] = sums[j]!;
  } else {
    for (let j = 0; j < columns; j++) out[outOffset + j] = beta * out[outOffset + j]! + sums[j]!;
  }
}
