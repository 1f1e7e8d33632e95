import type {
  ChannelBinding,
  FusedRecurrentStep,
  MatrixView,
  PointwiseKernel,
  PointwiseLaunch,
} from '@recurrent/core';
import type { DispatchContext } from './dispatch-context.js';
import { encodeGemm } from './gemm-op.js';
import { encodePointwise } from './pointwise-op.js';

/** The element range `[start, end)` a view (or a channel of it) spans in its buffer. */
function span(view: MatrixView, column: number, width: number): [number, number] {
  const start = view.offset + column;
  return [start, start + Math.max(0, view.rows - 1) * view.rowStride + width];
}

function overlaps(a: [number, number], b: [number, number]): boolean {
  return a[0] < b[1] && b[0] < a[1];
}

/**
 * Which inputs read the projection, when the launch can compute it itself: every input bound to
 * the projection's buffer must read one whole gate block of it (same rows and row stride), the
 * blocks must tile the projection exactly (it is saved for backward, so all of it is written),
 * and no output may overlap the hidden state, the weights or the projection (other invocations
 * read them during the launch). `undefined` means "not fusible".
 */
function projectionInputs(step: FusedRecurrentStep, launch: PointwiseLaunch): boolean[] | undefined {
  const { hidden, recurrentWeights, projection } = step;
  if (
    projection.rows !== launch.rows ||
    hidden.rows !== launch.rows ||
    recurrentWeights.rows !== projection.cols ||
    recurrentWeights.cols !== hidden.cols
  ) {
    return undefined;
  }
  const covered = new Uint8Array(projection.cols);
  const reads = launch.inputs.map((input) => {
    if (typeof input === 'number' || input.view.buffer !== projection.buffer) return false;
    const start = input.view.offset + (input.column ?? 0) - projection.offset;
    if (
      input.view.rowStride !== projection.rowStride ||
      start < 0 ||
      start + launch.units > projection.cols
    ) {
      return undefined;
    }
    for (let column = start; column < start + launch.units; column++) {
      if (covered[column]) return undefined;
      covered[column] = 1;
    }
    return true;
  });
  if (reads.includes(undefined) || covered.includes(0)) return undefined;
  const guarded: [MatrixView, [number, number]][] = [
    [hidden, span(hidden, 0, hidden.cols)],
    [recurrentWeights, span(recurrentWeights, 0, recurrentWeights.cols)],
    [projection, span(projection, 0, projection.cols)],
  ];
  const outputs = launch.outputs.filter((output): output is ChannelBinding => output !== null);
  for (const output of outputs) {
    const written = span(output.view, output.column ?? 0, launch.units);
    for (const [view, range] of guarded) {
      if (output.view.buffer === view.buffer && overlaps(written, range)) return undefined;
    }
  }
  return reads as boolean[];
}

/**
 * `Backend.fusedRecurrentStep`: the recurrent product and the cell step in one launch, each
 * invocation computing the dot products of its own `h:` inputs (and storing them into the
 * projection) before the cell math. Falls back to the two separate calls when the bindings do
 * not have the shape the fused shader assumes.
 */
export function encodeFusedRecurrentStep(
  context: DispatchContext,
  step: FusedRecurrentStep,
  kernel: PointwiseKernel,
  launch: PointwiseLaunch,
): void {
  const reads = launch.rows > 0 && launch.units > 0 ? projectionInputs(step, launch) : undefined;
  if (!reads) {
    encodeGemm(context, step.hidden, step.recurrentWeights, step.projection, { transposeB: true });
    encodePointwise(context, kernel, launch);
    return;
  }
  encodePointwise(context, kernel, launch, { step, projectionInputs: reads });
}
