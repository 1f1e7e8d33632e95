/**
 * Softmax cross-entropy over the last axis of `logits [..., C]` (PyTorch `CrossEntropyLoss`),
 * averaged over the N = size / C rows (or summed). Targets are class indices (one per row) or
 * a probability distribution per row (same shape as the logits).
 *   log softmax(z)_c = z_c − (m + log Σ_k exp(z_k − m)),  m = max_k z_k  (log-sum-exp: no overflow)
 *   L = (1/N) Σ_rows Σ_c −y_c · log softmax(z)_c,        dL/dz = (softmax(z) − y) / N
 * Host-side: the per-row maximum and log-sum-exp are reductions along a row, which the
 * backend interface does not offer, so the logits are downloaded (one async round trip), the
 * loss and gradient are computed in float64 on the host, and the gradient is uploaded.
 */
import { ShapeError, ValueError } from '../errors.js';
import type { TensorInput } from '../layers/call-arguments.js';
import { Tensor } from '../tensor.js';
import { assertOneOf, describe, isHostTensor } from '../validation.js';
import { type LossResult, lossResult, type Reduction } from './loss-result.js';
import { featureCount, rowCount } from './row-blocks.js';
import { assertDeviceTensor, axisLabels, borrowTensor } from './tensor-argument.js';

/**
 * Class indices (integers in `0..C−1`, one per row of the logits), or per-row probabilities
 * as a tensor of the logits' shape.
 */
export type ClassTargets = ArrayLike<number> | TensorInput;

/** Softmax cross-entropy of device `logits`; see the file header. */
export async function softmaxCrossEntropy(
  logits: Tensor,
  targets: ClassTargets,
  options: { readonly reduction?: Reduction } = {},
): Promise<LossResult> {
  const where = 'softmaxCrossEntropy';
  assertDeviceTensor(where, 'logits', logits);
  const reduction = options.reduction ?? 'mean';
  assertOneOf(where, 'reduction', reduction, ['mean', 'sum']);
  if (logits.shape.length === 0) {
    throw new ShapeError(where, 'logits is a scalar; expected shape [..., classes]');
  }
  const rows = rowCount(logits);
  const classes = featureCount(logits);
  const probabilities = await targetProbabilities(where, logits, targets, rows, classes);
  const values = await logits.toArray();
  const gradient = new Float64Array(values.length);
  const scale = reduction === 'mean' ? 1 / rows : 1;
  let total = 0;
  for (let row = 0; row < rows; row++) {
    const base = row * classes;
    let maximum = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < classes; c++) {
      maximum = Math.max(maximum, values[base + c]!);
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      sum += Math.exp(values[base + c]! - maximum);
    }
    const logSumExp = maximum + Math.log(sum);
    for (let c = 0; c < classes; c++) {
      const target = probabilities.probability(row, c);
      const logProbability = values[base + c]! - logSumExp;
      if (target !== 0) {
        total -= target * logProbability;
      }
      gradient[base + c] = scale * (Math.exp(logProbability) - target);
    }
  }
  const value = total * scale;
  return lossResult(value, Tensor.fromHost(logits.backend, { data: gradient, shape: logits.shape }));
}

interface TargetDistribution {
  probability(row: number, classIndex: number): number;
}

async function targetProbabilities(
  where: string,
  logits: Tensor,
  targets: ClassTargets,
  rows: number,
  classes: number,
): Promise<TargetDistribution> {
  if (targets instanceof Tensor || isHostTensor(targets)) {
    const borrowed = borrowTensor(
      logits.backend,
      where,
      'targets',
      targets,
      logits.shape,
      axisLabels(logits.shape.length, 'classes'),
    );
    try {
      const values = await borrowed.tensor.toArray();
      return { probability: (row, classIndex) => values[row * classes + classIndex]! };
    } finally {
      borrowed.release();
    }
  }
  if (typeof targets !== 'object' || targets === null || typeof targets.length !== 'number') {
    throw new ValueError(
      where,
      `targets is ${describe(targets)}; expected ${rows} class indices or a tensor of probabilities`,
    );
  }
  if (targets.length !== rows) {
    throw new ShapeError(
      where,
      `targets has ${targets.length} class indices; expected one per row (${rows})`,
    );
  }
  const indices = Array.from(targets);
  indices.forEach((index, row) => {
    if (!Number.isInteger(index) || index < 0 || index >= classes) {
      throw new ValueError(
        where,
        `targets[${row}] is ${describe(index)}; expected an integer class index in 0..${classes - 1}`,
      );
    }
  });
  return { probability: (row, classIndex) => (indices[row] === classIndex ? 1 : 0) };
}
