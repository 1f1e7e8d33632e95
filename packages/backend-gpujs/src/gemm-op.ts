import type { GemmOptions, MatrixView } from '@recurrent/core';
import { planSlots } from './binding-slots.js';
import { type DispatchContext, type GemmKernel, gemmKernel } from './dispatch-context.js';
import { GpuJsBackendError } from './errors.js';
import { LANES_GEMM_COLUMNS, LANES_GEMM_ROWS, lanesGemmShader } from './gemm-lanes-shader.js';
import { GEMM_PARAM_COUNT, GEMM_TILE, gemmShader } from './gemm-shader.js';
import { SPLIT_GEMM_TILE, splitGemmShader } from './gemm-split-shader.js';
import { ParamWriter } from './shader-params.js';

const KERNEL_LABELS: Readonly<Record<GemmKernel, string>> = {
  split: 'gemm-split-depth',
  tiled: 'gemm',
  lanes: 'gemm-lanes',
};

const KERNEL_SOURCES: Readonly<
  Record<GemmKernel, (slots: readonly [number, number, number], writable: readonly boolean[]) => string>
> = { split: splitGemmShader, tiled: gemmShader, lanes: lanesGemmShader };

/** Rows and columns of C per workgroup. */
const KERNEL_TILES: Readonly<Record<GemmKernel, readonly [number, number]>> = {
  split: [SPLIT_GEMM_TILE, SPLIT_GEMM_TILE],
  tiled: [GEMM_TILE, GEMM_TILE],
  lanes: [LANES_GEMM_ROWS, LANES_GEMM_COLUMNS],
};

/** Records `C = alpha · op(A) · op(B) + beta · C`. */
export function encodeGemm(
  context: DispatchContext,
  a: MatrixView,
  b: MatrixView,
  c: MatrixView,
  options: GemmOptions = {},
): void {
  const transposeA = options.transposeA ?? false;
  const transposeB = options.transposeB ?? false;
  const alpha = options.alpha ?? 1;
  const beta = options.beta ?? 0;
  const m = c.rows;
  const n = c.cols;
  const k = transposeA ? a.rows : a.cols;
  if (m === 0 || n === 0) return;
  const plan = planSlots([
    { buffer: context.resolve(a.buffer, 'gemm'), writes: false },
    { buffer: context.resolve(b.buffer, 'gemm'), writes: false },
    { buffer: context.resolve(c.buffer, 'gemm'), writes: true },
  ]);
  const slots = plan.slotOfUse as [number, number, number];
  const limit = context.device.limits.maxComputeWorkgroupsPerDimension;
  const kernel = gemmKernel(context, m, n, k, limit);
  const label = KERNEL_LABELS[kernel];
  const broadcastA = kernel === 'lanes' && context.broadcastLanes;
  const pipeline = context.kernels.pipeline(`${label}|${plan.pattern}|${broadcastA}`, () => ({
    label,
    code: broadcastA
      ? lanesGemmShader(slots, plan.writable, true)
      : KERNEL_SOURCES[kernel](slots, plan.writable),
    entryPoint: 'rcMain',
    group: 0,
    writableSlots: plan.writable,
  }));
  const params = new ParamWriter(GEMM_PARAM_COUNT);
  params.u32(0, m);
  params.u32(1, n);
  params.u32(2, k);
  params.u32(3, a.offset);
  params.u32(4, transposeA ? 1 : a.rowStride);
  params.u32(5, transposeA ? a.rowStride : 1);
  params.u32(6, b.offset);
  params.u32(7, transposeB ? 1 : b.rowStride);
  params.u32(8, transposeB ? b.rowStride : 1);
  params.u32(9, c.offset);
  params.u32(10, c.rowStride);
  params.f32(11, alpha);
  params.f32(12, beta);
  const [tileRows, tileColumns] = KERNEL_TILES[kernel];
  const groupsX = Math.ceil(n / tileColumns);
  const groupsY = Math.ceil(m / tileRows);
  if (groupsX > limit || groupsY > limit) {
    throw new GpuJsBackendError(
      'webgpu',
      'gemm',
      `output ${m}×${n} needs more than ${limit} workgroups per dimension`,
    );
  }
  context.queue.dispatch({
    pipeline,
    params: params.words,
    buffers: plan.buffers.map((buffer) => buffer.storage),
    workgroups: [groupsX, groupsY, 1],
  });
}
