/**
 * Gradient clipping by global norm (PyTorch `clip_grad_norm_`): with
 * `‖g‖ = √(Σ over every tensor and element of g²)`, every gradient is scaled in place by
 * `min(1, maxNorm / (‖g‖ + 1e-6))`, which keeps the direction of the whole gradient and
 * bounds its length by `maxNorm`.
 *
 * The squares are computed by a pointwise kernel and reduced per column by `sumRows` on the
 * device; the per-column partial sums of all tensors are downloaded together (one async round
 * trip per call) and added on the host in float64. Scaling is two pointwise launches per tensor
 * (copy to scratch, then write back scaled), since an output may not overlap its input.
 */
import { ValueError } from '../errors.js';
import { matrixView } from '../matrix-view.js';
import { defineKernel } from '../pointwise-kernel.js';
import { copyKernel, scaleKernel } from '../sequence/utility-kernels.js';
import type { Tensor } from '../tensor.js';
import { describe } from '../validation.js';
import { featureCount } from './row-blocks.js';
import { assertDense, assertDeviceTensor } from './tensor-argument.js';

function squareOf(value: number): number {
  return value * value;
}

/** Emits `value²`. */
export const squareKernel = defineKernel(
  'training/square',
  ['value'],
  [['square', ['value'], squareOf]],
  ['square'],
  [],
);

/**
 * Scales `gradients` in place so that their global norm is at most `maxNorm`, and resolves
 * with the global norm before clipping. A non-finite norm leaves the gradients unchanged
 * (check the returned value).
 */
export async function clipGradientNorm(gradients: readonly Tensor[], maxNorm: number): Promise<number> {
  const where = 'clipGradientNorm';
  if (!Array.isArray(gradients) || gradients.length === 0) {
    throw new ValueError(where, `gradients is ${describe(gradients)}; expected a non-empty array of Tensors`);
  }
  if (typeof maxNorm !== 'number' || !Number.isFinite(maxNorm) || maxNorm <= 0) {
    throw new ValueError(where, `maxNorm is ${describe(maxNorm)}; expected a finite number > 0`);
  }
  gradients.forEach((gradient, index) => {
    assertDeviceTensor(where, `gradients[${index}]`, gradient, gradients[0]!.backend);
    assertDense(where, `gradients[${index}]`, gradient);
  });
  const backend = gradients[0]!.backend;
  const views = gradients.map((gradient) => {
    const cols = featureCount(gradient);
    return matrixView(gradient.buffer, gradient.offset, gradient.size / cols, cols);
  });
  const scratch = backend.allocate(Math.max(...gradients.map((gradient) => gradient.size)));
  const partialSums = backend.allocate(views.reduce((total, view) => total + view.cols, 0));
  try {
    let column = 0;
    for (const view of views) {
      const squares = matrixView(scratch, 0, view.rows, view.cols);
      backend.pointwise(squareKernel, {
        rows: view.rows,
        units: view.cols,
        inputs: [{ view }],
        outputs: [{ view: squares }],
      });
      backend.sumRows(squares, matrixView(partialSums, column, 1, view.cols));
      column += view.cols;
    }
    let sumOfSquares = 0;
    for (const value of await backend.download(partialSums)) {
      sumOfSquares += value;
    }
    const norm = Math.sqrt(sumOfSquares);
    const coefficient = maxNorm / (norm + 1e-6);
    if (Number.isFinite(norm) && coefficient < 1) {
      for (const view of views) {
        const copy = matrixView(scratch, 0, view.rows, view.cols);
        backend.pointwise(copyKernel, {
          rows: view.rows,
          units: view.cols,
          inputs: [{ view }],
          outputs: [{ view: copy }],
        });
        backend.pointwise(scaleKernel, {
          rows: view.rows,
          units: view.cols,
          inputs: [{ view: copy }, coefficient],
          outputs: [{ view }],
        });
      }
    }
    return norm;
  } finally {
    backend.dispose(scratch);
    backend.dispose(partialSums);
  }
}
