import { slotDeclarations } from './binding-slots.js';
import { paramFloat, paramsDeclaration, paramWord } from './shader-params.js';

/** Output tile per workgroup (square). */
export const GEMM_TILE = 32;
/** 8 × 8 invocations, each computing a 4 × 4 block of the tile. */
const THREADS = 8;
const BLOCK = GEMM_TILE / THREADS;

/**
 * Parameter words: 0 M, 1 N, 2 K, 3 A base, 4 A stride along i, 5 A stride along k, 6 B base,
 * 7 B stride along k, 8 B stride along j, 9 C base, 10 C row stride, 11 alpha (f32), 12 beta (f32).
 * Transposes are expressed as swapped strides, so one shader serves all four cases.
 */
export const GEMM_PARAM_COUNT = 13;

/**
 * `C = alpha · op(A) · op(B) + beta · C` for one slot pattern (`slots` gives the slots of A, B, C).
 * Each invocation accumulates a 4 × 4 block in registers, reading A and B straight from storage
 * (rows and columns interleaved by 8 so neighbouring invocations read neighbouring addresses).
 * No workgroup memory: on llvmpipe (the CI adapter) a workgroup-memory tiled version with
 * barriers measured 2–4× slower, and GPU caches serve the re-reads. With beta = 0, C is
 * never read.
 */
export function gemmShader(
  slots: readonly [number, number, number],
  writableSlots: readonly boolean[],
): string {
  const [a, b, c] = slots;
  const w = paramWord;
  return `${paramsDeclaration(GEMM_PARAM_COUNT, 0)}
${slotDeclarations(writableSlots, 0)}
@compute @workgroup_size(${THREADS}, ${THREADS})
fn rcMain(@builtin(workgroup_id) group : vec3<u32>, @builtin(local_invocation_id) local : vec3<u32>) {
  let m = ${w(0)};
  let n = ${w(1)};
  let rowBase = group.y * ${GEMM_TILE}u;
  let colBase = group.x * ${GEMM_TILE}u;
${accumulateBlockSource(a, b, { tile: GEMM_TILE, threads: THREADS, kStart: '0u', kStep: '1u' })}
  let alpha = ${paramFloat(11)};
  let beta = ${paramFloat(12)};
  for (var i = 0u; i < ${BLOCK}u; i = i + 1u) {
    let row = rowBase + local.y + i * ${THREADS}u;
    for (var j = 0u; j < ${BLOCK}u; j = j + 1u) {
      let col = colBase + local.x + j * ${THREADS}u;
      if (row < m && col < n) {
        let at = ${w(9)} + row * ${w(10)} + col;
        var value = alpha * acc[i * ${BLOCK}u + j];
        if (beta != 0.0) {
          value = value + beta * rcSlot${c}[at];
        }
        rcSlot${c}[at] = value;
      }
    }
  }
}
`;
}

/**
 * WGSL shared by both GEMM kernels: declares `acc`, the invocation's `tile/threads`-square block
 * of C (rows `rowBase + y + i·threads`, columns `colBase + x + j·threads`, so neighbouring
 * invocations read neighbouring addresses), and accumulates it over `kk = kStart, kStart + kStep,
 * … < k`, reading op(A) and op(B) straight from storage (out-of-range rows and columns clamped;
 * their results are never stored). Expects `m`, `n`, `rowBase`, `colBase` and `local` in scope.
 */
export function accumulateBlockSource(
  a: number,
  b: number,
  layout: {
    readonly tile: number;
    readonly threads: number;
    readonly kStart: string;
    readonly kStep: string;
  },
): string {
  const w = paramWord;
  const block = layout.tile / layout.threads;
  return `  let k = ${w(2)};
  var acc : array<f32, ${block * block}>;
  var aAt : array<u32, ${block}>;
  var bAt : array<u32, ${block}>;
  for (var i = 0u; i < ${block}u; i = i + 1u) {
    let row = rowBase + local.y + i * ${layout.threads}u;
    aAt[i] = ${w(3)} + min(row, m - 1u) * ${w(4)};
    let col = colBase + local.x + i * ${layout.threads}u;
    bAt[i] = ${w(6)} + min(col, n - 1u) * ${w(8)};
  }
  let aStepK = ${w(5)};
  let bStepK = ${w(7)};
  for (var kk = ${layout.kStart}; kk < k; kk = kk + ${layout.kStep}) {
    var ra : array<f32, ${block}>;
    var rb : array<f32, ${block}>;
    for (var i = 0u; i < ${block}u; i = i + 1u) {
      ra[i] = rcSlot${a}[aAt[i] + kk * aStepK];
      rb[i] = rcSlot${b}[bAt[i] + kk * bStepK];
    }
    for (var i = 0u; i < ${block}u; i = i + 1u) {
      for (var j = 0u; j < ${block}u; j = j + 1u) {
        acc[i * ${block}u + j] = acc[i * ${block}u + j] + ra[i] * rb[j];
      }
    }
  }`;
}
