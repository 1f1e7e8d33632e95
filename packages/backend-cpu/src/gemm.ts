/**
 * Cache-blocked, register-tiled GEMM on strided row-major typed arrays:
 * `C = alpha · op(A) · op(B) + beta · C`, with `op(A)` of `rows × depth` and `op(B)` of
 * `depth × columns`.
 *
 * Layout (the Goto/BLIS scheme): the depth is cut into blocks of `DEPTH_BLOCK`; for each
 * block, `COLUMN_BLOCK` columns of op(B) are packed into panels `TILE` columns wide, then
 * `ROW_BLOCK` rows of op(A) into panels `TILE` rows tall, both as float64 whatever the
 * storage type. Packing reads either orientation, so all four transpose combinations reach
 * the same micro-kernel, which walks both panels with unit stride and keeps the 4×4 tile
 * of C in local variables. Edge panels are zero-padded; only valid elements are stored.
 * Scratch grows on demand and is reused, so a call allocates nothing once warm.
 */
import type { CpuArray } from './cpu-buffer.js';
import { type GemmOperand, packPanels } from './gemm-packing.js';

export type { GemmOperand } from './gemm-packing.js';

/** Reusable packing buffers. */
export interface GemmScratch {
  packedA: Float64Array;
  packedB: Float64Array;
}

const TILE = 4;
const DEPTH_BLOCK = 256;
const ROW_BLOCK = 128;
const COLUMN_BLOCK = 1024;

export function createGemmScratch(): GemmScratch {
  return { packedA: new Float64Array(0), packedB: new Float64Array(0) };
}

function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}

/**
 * `C = alpha · op(A) · op(B) + beta · C`. With `beta = 0`, C is written without being read.
 * Callers have checked bounds; `c` must not overlap `a` or `b`.
 */
export function gemm(
  scratch: GemmScratch,
  rows: number,
  columns: number,
  depth: number,
  a: GemmOperand,
  transposeA: boolean,
  b: GemmOperand,
  transposeB: boolean,
  c: GemmOperand,
  alpha: number,
  beta: number,
): void {
  if (rows === 0 || columns === 0) return;
  if (depth === 0 || alpha === 0) {
    scaleMatrix(c, rows, columns, beta);
    return;
  }
  const depthBlock = Math.min(depth, DEPTH_BLOCK);
  const rowBlock = Math.min(roundUp(rows, TILE), ROW_BLOCK);
  const columnBlock = Math.min(roundUp(columns, TILE), COLUMN_BLOCK);
  if (scratch.packedA.length < rowBlock * depthBlock) {
    scratch.packedA = new Float64Array(rowBlock * depthBlock);
  }
  if (scratch.packedB.length < columnBlock * depthBlock) {
    scratch.packedB = new Float64Array(columnBlock * depthBlock);
  }
  const packedA = scratch.packedA;
  const packedB = scratch.packedB;
  for (let j0 = 0; j0 < columns; j0 += COLUMN_BLOCK) {
    const blockColumns = Math.min(COLUMN_BLOCK, columns - j0);
    for (let p0 = 0; p0 < depth; p0 += DEPTH_BLOCK) {
      const blockDepth = Math.min(DEPTH_BLOCK, depth - p0);
      const blockBeta = p0 === 0 ? beta : 1;
      packPanels(packedB, 0, TILE, b, !transposeB, p0, j0, blockDepth, blockColumns);
      for (let i0 = 0; i0 < rows; i0 += ROW_BLOCK) {
        const blockRows = Math.min(ROW_BLOCK, rows - i0);
        packPanels(packedA, 0, TILE, a, transposeA, p0, i0, blockDepth, blockRows);
        multiplyBlock(packedA, packedB, blockRows, blockColumns, blockDepth, c, i0, j0, alpha, blockBeta);
      }
    }
  }
}

export function scaleMatrix(c: GemmOperand, rows: number, columns: number, beta: number): void {
  const { data, offset, rowStride } = c;
  for (let i = 0; i < rows; i++) {
    const start = offset + i * rowStride;
    if (beta === 0) data.fill(0, start, start + columns);
    else if (beta !== 1) for (let j = start; j < start + columns; j++) data[j]! *= beta;
  }
}

/** Multiplies a packed block of op(A) by a packed block of op(B) into C, 4×4 tile by tile. */
function multiplyBlock(
  packedA: Float64Array,
  packedB: Float64Array,
  rows: number,
  columns: number,
  depth: number,
  c: GemmOperand,
  rowStart: number,
  columnStart: number,
  alpha: number,
  beta: number,
): void {
  const out = c.data;
  const ldc = c.rowStride;
  const panelSize = depth * TILE;
  for (let j = 0; j < columns; j += TILE) {
    const bBase = (j / TILE) * panelSize;
    const tileColumns = Math.min(TILE, columns - j);
    for (let i = 0; i < rows; i += TILE) {
      let ia = (i / TILE) * panelSize;
      let ib = bBase;
      const end = ia + panelSize;
      // biome-ignore format: the 4×4 register tile reads best as a grid
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0,
        c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      while (ia < end) {
        const a0 = packedA[ia]!;
        const a1 = packedA[ia + 1]!;
        const a2 = packedA[ia + 2]!;
        const a3 = packedA[ia + 3]!;
        const b0 = packedB[ib]!;
        const b1 = packedB[ib + 1]!;
        const b2 = packedB[ib + 2]!;
        const b3 = packedB[ib + 3]!;
        c00 += a0 * b0;
        c01 += a0 * b1;
        c02 += a0 * b2;
        c03 += a0 * b3;
        c10 += a1 * b0;
        c11 += a1 * b1;
        c12 += a1 * b2;
        c13 += a1 * b3;
        c20 += a2 * b0;
        c21 += a2 * b1;
        c22 += a2 * b2;
        c23 += a2 * b3;
        c30 += a3 * b0;
        c31 += a3 * b1;
        c32 += a3 * b2;
        c33 += a3 * b3;
        ia += TILE;
        ib += TILE;
      }
      const tileRows = Math.min(TILE, rows - i);
      const index = c.offset + (rowStart + i) * ldc + columnStart + j;
      if (tileColumns === TILE) {
        storeRow(out, index, c00, c01, c02, c03, alpha, beta);
        if (tileRows > 1) storeRow(out, index + ldc, c10, c11, c12, c13, alpha, beta);
        if (tileRows > 2) storeRow(out, index + 2 * ldc, c20, c21, c22, c23, alpha, beta);
        if (tileRows > 3) storeRow(out, index + 3 * ldc, c30, c31, c32, c33, alpha, beta);
      } else {
        storePartialRow(out, index, tileColumns, c00, c01, c02, alpha, beta);
        if (tileRows > 1) storePartialRow(out, index + ldc, tileColumns, c10, c11, c12, alpha, beta);
        if (tileRows > 2) storePartialRow(out, index + 2 * ldc, tileColumns, c20, c21, c22, alpha, beta);
        if (tileRows > 3) storePartialRow(out, index + 3 * ldc, tileColumns, c30, c31, c32, alpha, beta);
      }
    }
  }
}

function storeRow(
  out: CpuArray,
  index: number,
  v0: number,
  v1: number,
  v2: number,
  v3: number,
  alpha: number,
  beta: number,
): void {
  if (beta === 0) {
    out[index] = alpha * v0;
    out[index + 1] = alpha * v1;
    out[index + 2] = alpha * v2;
    out[index + 3] = alpha * v3;
  } else {
    out[index] = alpha * v0 + beta * out[index]!;
    out[index + 1] = alpha * v1 + beta * out[index + 1]!;
    out[index + 2] = alpha * v2 + beta * out[index + 2]!;
    out[index + 3] = alpha * v3 + beta * out[index + 3]!;
  }
}

/** Stores the first `count` (1 to 3) values of a tile row. */
function storePartialRow(
  out: CpuArray,
  index: number,
  count: number,
  v0: number,
  v1: number,
  v2: number,
  alpha: number,
  beta: number,
): void {
  if (beta === 0) {
    out[index] = alpha * v0;
    if (count > 1) out[index + 1] = alpha * v1;
    if (count > 2) out[index + 2] = alpha * v2;
  } else {
    out[index] = alpha * v0 + beta * out[index]!;
    if (count > 1) out[index + 1] = alpha * v1 + beta * out[index + 1]!;
    if (count > 2) out[index + 2] = alpha * v2 + beta * out[index + 2]!;
  }
}
