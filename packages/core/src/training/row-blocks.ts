/**
 * Tensors as 2-D backend views. The training utilities drive `gemm`, `sumRows` and `pointwise`,
 * which take row-major 2-D windows; a tensor `[..., F]` is a stack of `[rows, F]` windows.
 * A dense tensor is one window; a strided 3-D view (the batch-first output of a layer, which
 * lives time-major on the device) is one window per index of its first axis, so nothing is copied.
 */
import type { MatrixView } from '../backend.js';
import { formatShape, UnsupportedError } from '../errors.js';
import { matrixView } from '../matrix-view.js';
import type { Tensor } from '../tensor.js';

/** One `[rows, cols]` window of a tensor and the row of the tensor's flattened `[N, F]` form it starts at. */
export interface RowBlock {
  readonly view: MatrixView;
  /** Index of the block's first row among all `size / F` rows, in row-major order. */
  readonly firstRow: number;
}

/** Number of rows of the `[N, F]` form of a tensor: the product of every axis but the last. */
export function rowCount(tensor: Tensor): number {
  return tensor.size / featureCount(tensor);
}

/** Size of the last axis (1 for a scalar). */
export function featureCount(tensor: Tensor): number {
  return tensor.shape.length === 0 ? 1 : tensor.shape[tensor.shape.length - 1]!;
}

/**
 * Splits `tensor`, read as `[N, F]` in row-major order, into 2-D windows. `perLeadingIndex`
 * forces one window per index of the first axis of a 3-D tensor even when it is dense (so that
 * two tensors of one shape give matching windows).
 */
export function rowBlocks(tensor: Tensor, where: string, name: string, perLeadingIndex = false): RowBlock[] {
  tensor.assertLive(where);
  const features = featureCount(tensor);
  const rows = rowCount(tensor);
  const { shape, strides } = tensor;
  if (tensor.isDense && !(perLeadingIndex && shape.length === 3)) {
    return [{ view: matrixView(tensor.buffer, tensor.offset, rows, features), firstRow: 0 }];
  }
  const lastStride = shape.length === 0 || shape[shape.length - 1] === 1 ? 1 : strides[strides.length - 1];
  if (shape.length === 2 && lastStride === 1) {
    return [{ view: matrixView(tensor.buffer, tensor.offset, rows, features, strides[0]!), firstRow: 0 }];
  }
  if (shape.length === 3 && lastStride === 1) {
    const [outer, inner] = shape as [number, number, number];
    const blocks: RowBlock[] = [];
    for (let index = 0; index < outer; index++) {
      blocks.push({
        view: matrixView(tensor.buffer, tensor.offset + index * strides[0]!, inner, features, strides[1]!),
        firstRow: index * inner,
      });
    }
    return blocks;
  }
  throw new UnsupportedError(
    where,
    `${name} is a strided view of shape ${formatShape(shape)} with strides ${formatShape(strides)}; expected a dense tensor, or a 2-D/3-D view whose last axis is contiguous`,
  );
}

/** Whether two tensors of the same shape split into windows the same way. */
export function needsLeadingSplit(first: Tensor, second: Tensor): boolean {
  return first.shape.length === 3 && (!first.isDense || !second.isDense);
}
