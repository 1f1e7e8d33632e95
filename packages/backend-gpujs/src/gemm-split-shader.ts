import { slotDeclarations } from './binding-slots.js';
import { accumulateBlockSource, GEMM_PARAM_COUNT } from './gemm-shader.js';
import { paramFloat, paramsDeclaration, paramWord } from './shader-params.js';

/** Output tile per workgroup (square), smaller than the tiled kernel's so more workgroups run. */
export const SPLIT_GEMM_TILE = 16;
/** 4 × 4 invocations per K-slice, each accumulating a 4 × 4 block of the tile. */
const THREADS = 4;
const BLOCK = SPLIT_GEMM_TILE / THREADS;
/** K-slices per workgroup: 4 × 4 × 16 = 256 invocations, the WebGPU default maximum. */
export const SPLIT_GEMM_SLICES = 16;
const TILE_ELEMENTS = SPLIT_GEMM_TILE * SPLIT_GEMM_TILE;

/**
 * `C = alpha · op(A) · op(B) + beta · C` with the depth split inside the workgroup, for the
 * products a recurrent pass has few output tiles of: the per-step `h·Uᵀ` and `dG·U` (B·H rows)
 * and the all-step weight gradients `dGᵀ·x` (G·H rows, K = T·B deep). The tiled kernel gives
 * such a product a handful of workgroups whose invocations each walk all of K, one dependent
 * load after another; on an H200 a 64×768×256 `dG·U` took 175 µs that way. Here invocation
 * `(x, y, z)` accumulates its 4 × 4 block over `kk ≡ z (mod 16)`, the 16 partial tiles meet in
 * workgroup memory (16 × 256 floats = the 16 KiB WebGPU guarantees), and each invocation then
 * sums one element of the tile over the slices, so C is written coalesced. The summation order
 * differs from the tiled kernel's (16 interleaved partial sums), within the same float32 bound.
 * Parameters as {@link GEMM_PARAM_COUNT} words of the tiled kernel.
 */
export function splitGemmShader(
  slots: readonly [number, number, number],
  writableSlots: readonly boolean[],
): string {
  const [a, b, c] = slots;
  const w = paramWord;
  return `${paramsDeclaration(GEMM_PARAM_COUNT, 0)}
${slotDeclarations(writableSlots, 0)}
var<workgroup> rcPartial : array<f32, ${SPLIT_GEMM_SLICES * TILE_ELEMENTS}>;

@compute @workgroup_size(${THREADS}, ${THREADS}, ${SPLIT_GEMM_SLICES})
fn rcMain(@builtin(workgroup_id) group : vec3<u32>, @builtin(local_invocation_id) local : vec3<u32>) {
  let m = ${w(0)};
  let n = ${w(1)};
  let rowBase = group.y * ${SPLIT_GEMM_TILE}u;
  let colBase = group.x * ${SPLIT_GEMM_TILE}u;
${accumulateBlockSource(a, b, { tile: SPLIT_GEMM_TILE, threads: THREADS, kStart: 'local.z', kStep: `${SPLIT_GEMM_SLICES}u` })}
  // Element (r, c) of the tile, r = y + 4i and c = x + 4j, at slice z.
  for (var i = 0u; i < ${BLOCK}u; i = i + 1u) {
    for (var j = 0u; j < ${BLOCK}u; j = j + 1u) {
      let element = (local.y + i * ${THREADS}u) * ${SPLIT_GEMM_TILE}u + local.x + j * ${THREADS}u;
      rcPartial[local.z * ${TILE_ELEMENTS}u + element] = acc[i * ${BLOCK}u + j];
    }
  }
  workgroupBarrier();
  let element = (local.z * ${THREADS}u + local.y) * ${THREADS}u + local.x;
  let row = rowBase + element / ${SPLIT_GEMM_TILE}u;
  let col = colBase + element % ${SPLIT_GEMM_TILE}u;
  if (row < m && col < n) {
    var sum = 0.0;
    for (var slice = 0u; slice < ${SPLIT_GEMM_SLICES}u; slice = slice + 1u) {
      sum = sum + rcPartial[slice * ${TILE_ELEMENTS}u + element];
    }
    let at = ${w(9)} + row * ${w(10)} + col;
    var value = ${paramFloat(11)} * sum;
    let beta = ${paramFloat(12)};
    if (beta != 0.0) {
      value = value + beta * rcSlot${c}[at];
    }
    rcSlot${c}[at] = value;
  }
}
`;
}
