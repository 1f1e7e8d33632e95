/**
 * Mean squared error `L = (1/N) Σ (p − t)²` over all N elements (PyTorch `MSELoss`), or the sum
 * with `reduction: 'sum'`. Device-side: one pointwise kernel writes the gradient
 * `dL/dp = 2 (p − t) / N` and the squared errors; a row sum reduces the squares to one partial
 * sum per column, and only those partial sums are downloaded (one async round trip) and added
 * on the host in float64.
 */

import type { TensorInput } from '../layers/call-arguments.js';
import { matrixView } from '../matrix-view.js';
import { defineKernel } from '../pointwise-kernel.js';
import { Tensor } from '../tensor.js';
import { assertOneOf } from '../validation.js';
import { type LossResult, lossResult, type Reduction } from './loss-result.js';
import { featureCount, needsLeadingSplit, rowBlocks, rowCount } from './row-blocks.js';
import { assertDeviceTensor, axisLabels, borrowTensor } from './tensor-argument.js';

function squaredErrorGradient(prediction: number, target: number, scale: number): number {
  return scale * (prediction - target);
}
function squaredError(prediction: number, target: number): number {
  const difference = prediction - target;
  return difference * difference;
}

/** Emits `gradient = scale · (p − t)` and `squared = (p − t)²`. */
export const squaredErrorKernel = defineKernel(
  'training/squared-error',
  ['prediction', 'target', 'scale'],
  [
    ['gradient', ['prediction', 'target', 'scale'], squaredErrorGradient],
    ['squared', ['prediction', 'target'], squaredError],
  ],
  ['gradient', 'squared'],
  [],
);

/**
 * Mean squared error between a device `prediction` and a `target` of the same shape (device or
 * host). Resolves when the loss value has been downloaded; the gradient stays on the device.
 */
export async function meanSquaredError(
  prediction: Tensor,
  target: TensorInput,
  options: { readonly reduction?: Reduction } = {},
): Promise<LossResult> {
  const where = 'meanSquaredError';
  assertDeviceTensor(where, 'prediction', prediction);
  const reduction = options.reduction ?? 'mean';
  assertOneOf(where, 'reduction', reduction, ['mean', 'sum']);
  const backend = prediction.backend;
  const borrowed = borrowTensor(
    backend,
    where,
    'target',
    target,
    prediction.shape,
    axisLabels(prediction.shape.length, 'features'),
  );
  const size = prediction.size;
  const rows = rowCount(prediction);
  const features = featureCount(prediction);
  const gradient = backend.allocate(size);
  const squares = backend.allocate(size);
  const partialSums = backend.allocate(features);
  try {
    const split = needsLeadingSplit(prediction, borrowed.tensor);
    const targetBlocks = rowBlocks(borrowed.tensor, where, 'target', split);
    const scale = reduction === 'mean' ? 2 / size : 2;
    rowBlocks(prediction, where, 'prediction', split).forEach((block, index) => {
      const dense = matrixView(gradient, block.firstRow * features, block.view.rows, features);
      backend.pointwise(squaredErrorKernel, {
        rows: block.view.rows,
        units: features,
        inputs: [{ view: block.view }, { view: targetBlocks[index]!.view }, scale],
        outputs: [{ view: dense }, { view: { ...dense, buffer: squares } }],
      });
    });
    backend.sumRows(matrixView(squares, 0, rows, features), matrixView(partialSums, 0, 1, features));
    const partial = await backend.download(partialSums);
    let total = 0;
    for (const value of partial) {
      total += value;
    }
    const value = reduction === 'mean' ? total / size : total;
    return lossResult(value, Tensor.fromBuffer(backend, gradient, prediction.shape));
  } catch (error) {
    backend.dispose(gradient);
    throw error;
  } finally {
    backend.dispose(squares);
    backend.dispose(partialSums);
    borrowed.release();
  }
}
