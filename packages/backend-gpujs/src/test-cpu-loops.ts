import type { GemmOptions } from '@recurrent/core';

/** Straightforward loops the GPU results are compared with (float64 accumulation). */
export interface HostMatrix {
  readonly data: Float32Array | Float64Array;
  readonly offset: number;
  readonly rows: number;
  readonly cols: number;
  readonly rowStride: number;
}

export function referenceGemm(a: HostMatrix, b: HostMatrix, c: HostMatrix, options: GemmOptions = {}): void {
  const alpha = options.alpha ?? 1;
  const beta = options.beta ?? 0;
  const inner = options.transposeA ? a.rows : a.cols;
  const at = (i: number, k: number) =>
    options.transposeA ? a.data[a.offset + k * a.rowStride + i]! : a.data[a.offset + i * a.rowStride + k]!;
  const bt = (k: number, j: number) =>
    options.transposeB ? b.data[b.offset + j * b.rowStride + k]! : b.data[b.offset + k * b.rowStride + j]!;
  for (let i = 0; i < c.rows; i++) {
    for (let j = 0; j < c.cols; j++) {
      let sum = 0;
      for (let k = 0; k < inner; k++) sum += at(i, k) * bt(k, j);
      const index = c.offset + i * c.rowStride + j;
      c.data[index] = beta === 0 ? alpha * sum : alpha * sum + beta * c.data[index]!;
    }
  }
}

export function referenceSumRows(
  src: HostMatrix,
  out: Float32Array | Float64Array,
  outOffset: number,
  beta = 0,
): void {
  for (let j = 0; j < src.cols; j++) {
    let sum = 0;
    for (let i = 0; i < src.rows; i++) sum += src.data[src.offset + i * src.rowStride + j]!;
    out[outOffset + j] = beta === 0 ? sum : sum + beta * out[outOffset + j]!;
  }
}
