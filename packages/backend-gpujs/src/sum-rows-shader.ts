import { slotDeclarations } from './binding-slots.js';
import { paramFloat, paramsDeclaration, paramWord } from './shader-params.js';

export const SUM_ROWS_WORKGROUP = 64;

/** Parameter words: 0 rows, 1 cols, 2 src base, 3 src row stride, 4 out base, 5 beta (f32). */
export const SUM_ROWS_PARAM_COUNT = 6;

/** `out[j] = beta · out[j] + Σ_i src[i, j]`, one invocation per column; with beta = 0, out is not read. */
export function sumRowsShader(slots: readonly [number, number], writableSlots: readonly boolean[]): string {
  const [src, out] = slots;
  const w = paramWord;
  return `${paramsDeclaration(SUM_ROWS_PARAM_COUNT, 0)}
${slotDeclarations(writableSlots, 0)}

@compute @workgroup_size(${SUM_ROWS_WORKGROUP})
fn rcMain(@builtin(global_invocation_id) gid : vec3<u32>) {
  let col = gid.x;
  if (col >= ${w(1)}) { return; }
  var sum = 0.0;
  for (var row = 0u; row < ${w(0)}; row = row + 1u) {
    sum = sum + rcSlot${src}[${w(2)} + row * ${w(3)} + col];
  }
  let beta = ${paramFloat(5)};
  let at = ${w(4)} + col;
  if (beta != 0.0) {
    sum = sum + beta * rcSlot${out}[at];
  }
  rcSlot${out}[at] = sum;
}
`;
}
