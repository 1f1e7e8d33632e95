import { slotDeclarations } from './binding-slots.js';
import { GEMM_PARAM_COUNT } from './gemm-shader.js';
import { paramFloat, paramsDeclaration, paramWord } from './shader-params.js';

/** Invocations per workgroup: one SIMD vector of llvmpipe on AVX2 (256 bits of float32). */
const LANES = 8;
/** Rows of C per workgroup; every invocation of the workgroup computes all of them. */
export const LANES_GEMM_ROWS = 8;
/** Columns of C per invocation, {@link LANES} apart. */
const COLUMNS_PER_LANE = 4;
/** Columns of C per workgroup. */
export const LANES_GEMM_COLUMNS = LANES * COLUMNS_PER_LANE;

/**
 * `C = alpha · op(A) · op(B) + beta · C` for software adapters (llvmpipe), where the cost of a
 * product is its storage loads, not its multiply-adds. llvmpipe runs the invocations of a
 * workgroup as the lanes of SIMD vectors; a load whose address differs between lanes becomes a
 * loop over the lanes, one bounds-checked scalar load each, and even a load whose address is
 * the same in every lane costs a bounds-checked scalar load and a broadcast. Measured there, a
 * loaded value cost several times a vector multiply-add. So each of the eight invocations of a
 * workgroup (one 8-wide vector) computes an 8 × 4 block: the op(A) values of its 8 rows are
 * the same in every lane (loaded once for the vector), and only the 4 op(B) values are loaded
 * lane by lane: 12 loads per depth step for 32 vector multiply-adds, where the register-blocked
 * kernel's 4 × 4 blocks need 8 lane-by-lane loads for 16. The sums live in named variables (no
 * arrays, so nothing is indexed at run time). Parameters as {@link GEMM_PARAM_COUNT} words of
 * the tiled kernel; out-of-range rows and columns are clamped on load and never stored.
 *
 * With `broadcastA` (the device has subgroups of 8 or more invocations, so the workgroup is one
 * subgroup), lane `l` loads the A value of row `l` alone, and `subgroupBroadcast` hands each row's
 * value to every lane: llvmpipe compiles that to a vector element extract and splat, so the eight
 * lane-uniform loads of a depth step become one per-lane load (5 loads for 32 multiply-adds;
 * GRU step products measured 1.5–2× faster). The sums are the same, in the same order, so the
 * bits are those of the plain kernel.
 */
export function lanesGemmShader(
  slots: readonly [number, number, number],
  writableSlots: readonly boolean[],
  broadcastA = false,
): string {
  const [a, b, c] = slots;
  const w = paramWord;
  const rows = range(LANES_GEMM_ROWS);
  const columns = range(COLUMNS_PER_LANE);
  const setup: string[] = [];
  const depthStep: string[] = [];
  const stores: string[] = [];
  if (broadcastA) {
    setup.push(`  let aRowOfLane = ${w(3)} + min(rowBase + lane, m - 1u) * ${w(4)};`);
  } else {
    for (const r of rows) setup.push(`  let aRow${r} = ${w(3)} + min(rowBase + ${r}u, m - 1u) * ${w(4)};`);
  }
  for (const j of columns) {
    setup.push(`  let col${j} = colBase + local.x + ${j * LANES}u;`);
    setup.push(`  let bCol${j} = ${w(6)} + min(col${j}, n - 1u) * ${w(8)};`);
  }
  for (const r of rows) for (const j of columns) setup.push(`  var sum${r}_${j} = 0.0;`);
  for (const j of columns) depthStep.push(`    let b${j} = rcSlot${b}[bCol${j} + kk * bStepK];`);
  if (broadcastA) depthStep.push(`    let aOfLane = rcSlot${a}[aRowOfLane + kk * aStepK];`);
  for (const r of rows) {
    depthStep.push(
      broadcastA
        ? `    let a${r} = subgroupBroadcast(aOfLane, ${r}u);`
        : `    let a${r} = rcSlot${a}[aRow${r} + kk * aStepK];`,
    );
    for (const j of columns) depthStep.push(`    sum${r}_${j} = fma(a${r}, b${j}, sum${r}_${j});`);
  }
  for (const r of rows) {
    stores.push(`  if (rowBase + ${r}u < m) {`);
    stores.push(`    let cRow${r} = ${w(9)} + (rowBase + ${r}u) * ${w(10)};`);
    for (const j of columns) {
      stores.push(`    if (col${j} < n) {`);
      stores.push(`      var value = alpha * sum${r}_${j};`);
      stores.push(`      if (beta != 0.0) { value = value + beta * rcSlot${c}[cRow${r} + col${j}]; }`);
      stores.push(`      rcSlot${c}[cRow${r} + col${j}] = value;`);
      stores.push('    }');
    }
    stores.push('  }');
  }
  const laneBuiltin = broadcastA ? ', @builtin(subgroup_invocation_id) lane : u32' : '';
  return `${broadcastA ? 'enable subgroups;\n' : ''}${paramsDeclaration(GEMM_PARAM_COUNT, 0)}
${slotDeclarations(writableSlots, 0)}
@compute @workgroup_size(${LANES})
fn rcMain(@builtin(workgroup_id) group : vec3<u32>, @builtin(local_invocation_id) local : vec3<u32>${laneBuiltin}) {
  let m = ${w(0)};
  let n = ${w(1)};
  let k = ${w(2)};
  let rowBase = group.y * ${LANES_GEMM_ROWS}u;
  let colBase = group.x * ${LANES_GEMM_COLUMNS}u;
  let aStepK = ${w(5)};
  let bStepK = ${w(7)};
${setup.join('\n')}
  for (var kk = 0u; kk < k; kk = kk + 1u) {
${depthStep.join('\n')}
  }
  let alpha = ${paramFloat(11)};
  let beta = ${paramFloat(12)};
${stores.join('\n')}
}
`;
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}
