import type { GemmOptions } from '@recurrent/core';

/** A strided window onto a host array (the `cpu` mode's `MatrixView`). */
export interface HostView {
  readonly data: Float32Array;
  readonly offset: number;
  readonly rows: number;
  readonly cols: number;
  readonly rowStride: number;
}

/** `C = alpha · op(A) · op(B) + beta · C`, one output row at a time with float64 accumulation. */
export function hostGemm(a: HostView, b: HostView, c: HostView, options: GemmOptions = {}): void {
  const alpha = options.alpha ?? 1;
  const beta = options.beta ?? 0;
  const depth = options.transposeA ? a.rows : a.cols;
  const [aRow, aDepth] = options.transposeA ? [1, a.rowStride] : [a.rowStride, 1];
  const [bDepth, bCol] = options.transposeB ? [1, b.rowStride] : [b.rowStride, 1];
  const row = new Float64Array(c.cols);
  for (let i = 0; i < c.rows; i++) {
    row.fill(0);
    for (let k = 0; k < depth; k++) {
      const scale = a.data[a.offset + i * aRow + k * aDepth]!;
      const base = b.offset + k * bDepth;
      for (let j = 0; j < c.cols; j++) row[j]! += scale * b.data[base + j * bCol]!;
    }
    const out = c.offset + i * c.rowStride;
    for (let j = 0; j < c.cols; j++) {
      c.data[out + j] = beta === 0 ? alpha * row[j]! : alpha * row[j]! + beta * c.data[out + j]!;
    }
  }
}

/** `out[j] = beta · out[j] + Σ_i src[i, j]`. */
export function hostSumRows(src: HostView, out: HostView, beta = 0): void {
  for (let j = 0; j < src.cols; j++) {
    let sum = 0;
    for (let i = 0; i < src.rows; i++) sum += src.data[src.offset + i * src.rowStride + j]!;
    const at = out.offset + j;
    out.data[at] = beta === 0 ? sum : sum + beta * out.data[at]!;
  }
}
