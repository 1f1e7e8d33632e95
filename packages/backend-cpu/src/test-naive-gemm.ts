/** The reference the GEMM tests compare against: a plain triple loop in float64. */
export interface NaiveOperand {
  readonly data: ArrayLike<number>;
  readonly offset: number;
  readonly rowStride: number;
}

export function naiveGemm(
  rows: number,
  columns: number,
  depth: number,
  a: NaiveOperand,
  transposeA: boolean,
  b: NaiveOperand,
  transposeB: boolean,
  c: NaiveOperand & { readonly data: Float32Array | Float64Array | number[] },
  alpha: number,
  beta: number,
): void {
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < columns; j++) {
      let sum = 0;
      for (let p = 0; p < depth; p++) {
        const aValue = transposeA
          ? a.data[a.offset + p * a.rowStride + i]!
          : a.data[a.offset + i * a.rowStride + p]!;
        const bValue = transposeB
          ? b.data[b.offset + j * b.rowStride + p]!
          : b.data[b.offset + p * b.rowStride + j]!;
        sum += aValue * bValue;
      }
      const index = c.offset + i * c.rowStride + j;
      c.data[index] = beta === 0 ? alpha * sum : alpha * sum + beta * c.data[index]!;
    }
  }
}
