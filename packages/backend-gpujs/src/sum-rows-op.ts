import type { MatrixView } from '@recurrent/core';
import { planSlots } from './binding-slots.js';
import { type DispatchContext, foldedWorkgroups, splitsSumRows } from './dispatch-context.js';
import { ParamWriter } from './shader-params.js';
import {
  SPLIT_SUM_COLUMNS,
  SUM_ROWS_PARAM_COUNT,
  SUM_ROWS_WORKGROUP,
  splitSumRowsShader,
  sumRowsShader,
} from './sum-rows-shader.js';

/** Records `out[0, j] = beta · out[0, j] + Σ_i src[i, j]`. */
export function encodeSumRows(context: DispatchContext, src: MatrixView, out: MatrixView, beta = 0): void {
  if (src.cols === 0) return;
  const plan = planSlots([
    { buffer: context.resolve(src.buffer, 'sumRows'), writes: false },
    { buffer: context.resolve(out.buffer, 'sumRows'), writes: true },
  ]);
  const slots = plan.slotOfUse as [number, number];
  const split = splitsSumRows(context, src.rows);
  const label = split ? 'sumRows-split' : 'sumRows';
  const pipeline = context.kernels.pipeline(`${label}|${plan.pattern}`, () => ({
    label,
    code: split ? splitSumRowsShader(slots, plan.writable) : sumRowsShader(slots, plan.writable),
    entryPoint: 'rcMain',
    group: 0,
    writableSlots: plan.writable,
  }));
  const params = new ParamWriter(SUM_ROWS_PARAM_COUNT);
  params.u32(0, src.rows);
  params.u32(1, src.cols);
  params.u32(2, src.offset);
  params.u32(3, src.rowStride);
  params.u32(4, out.offset);
  params.f32(5, beta);
  context.queue.dispatch({
    pipeline,
    params: params.words,
    buffers: plan.buffers.map((buffer) => buffer.storage),
    workgroups: foldedWorkgroups(
      context.device,
      Math.ceil(src.cols / (split ? SPLIT_SUM_COLUMNS : SUM_ROWS_WORKGROUP)),
    ),
  });
}
