/**
 * Tensor arguments of the training utilities: a device `Tensor` of the right backend, or host
 * data `{ data, shape }` that is uploaded for the call and released after it.
 */
import type { Backend } from '../backend.js';
import { DTypeError, formatShape, ShapeError } from '../errors.js';
import { type HostTensor, Tensor } from '../tensor.js';
import { checkTensorArgument, describe, isHostTensor } from '../validation.js';

/** A checked tensor argument; `release()` frees it when it was uploaded for this call. */
export interface BorrowedTensor {
  readonly tensor: Tensor;
  release(): void;
}

/**
 * Checks `value` against `expected` (`labels` name the axes in messages), uploads host data,
 * and returns the device tensor.
 */
export function borrowTensor(
  backend: Backend,
  where: string,
  name: string,
  value: unknown,
  expected: readonly number[],
  labels: readonly string[],
): BorrowedTensor {
  checkTensorArgument(where, name, value, expected, labels, { backend });
  if (value instanceof Tensor) {
    return { tensor: value, release() {} };
  }
  const tensor = Tensor.fromHost(backend, value as HostTensor);
  return { tensor, release: () => tensor.dispose() };
}

/** The shape of a tensor argument before it is checked in full (for rank-generic checks). */
export function shapeOf(where: string, name: string, value: unknown): readonly number[] {
  if (value instanceof Tensor) {
    return value.shape;
  }
  if (isHostTensor(value)) {
    return value.shape;
  }
  throw new DTypeError(where, `${name} is ${describe(value)}; expected a Tensor or { data, shape }`);
}

/** Throws unless `value` is a live device tensor on `backend` (when given). */
export function assertDeviceTensor(
  where: string,
  name: string,
  value: unknown,
  backend?: Backend,
): asserts value is Tensor {
  if (!(value instanceof Tensor)) {
    throw new DTypeError(where, `${name} is ${describe(value)}; expected a device Tensor`);
  }
  value.assertLive(where);
  if (backend && value.backend !== backend) {
    throw new DTypeError(
      where,
      `${name} lives on backend '${value.backend.info.name}'; expected '${backend.info.name}'`,
    );
  }
}

/** Throws unless `tensor` is dense (contiguous, row-major): optimisers update whole buffers. */
export function assertDense(where: string, name: string, tensor: Tensor): void {
  if (!tensor.isDense) {
    throw new ShapeError(
      where,
      `${name} is a strided view of shape ${formatShape(tensor.shape)}; expected a dense tensor`,
    );
  }
}

/** Labels `axis0, axis1, …, last` for messages about rank-generic shapes. */
export function axisLabels(rank: number, last: string): string[] {
  return Array.from({ length: rank }, (_, axis) => (axis === rank - 1 ? last : `axis${axis}`));
}
