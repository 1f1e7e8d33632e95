/**
 * Checks and slicing of the host tensors (`{ data, shape }`) that weight formats exchange.
 * Every check names the entry point and the tensor, so a wrong file is easy to find.
 */
import { formatShape, ShapeError, ValueError } from '../errors.js';
import type { HostTensor } from '../tensor.js';

/** Throws unless `tensor` is a host tensor of exactly `shape` with matching data length. */
export function expectHostTensor(
  where: string,
  label: string,
  tensor: unknown,
  shape: readonly number[],
): asserts tensor is HostTensor {
  const candidate = tensor as Partial<HostTensor> | null | undefined;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    !Array.isArray(candidate.shape) ||
    typeof candidate.data !== 'object' ||
    candidate.data === null ||
    typeof candidate.data.length !== 'number'
  ) {
    throw new ValueError(
      where,
      `${label} is not a host tensor; expected { data, shape: ${formatShape(shape)} }`,
    );
  }
  const sameShape =
    candidate.shape.length === shape.length && candidate.shape.every((size, axis) => size === shape[axis]);
  if (!sameShape) {
    throw new ShapeError(
      where,
      `${label} has shape ${formatShape(candidate.shape)}; expected ${formatShape(shape)}`,
    );
  }
  const size = shape.reduce((product, dimension) => product * dimension, 1);
  if (candidate.data.length !== size) {
    throw new ShapeError(
      where,
      `${label} has ${candidate.data.length} values for shape ${formatShape(shape)}; expected ${size}`,
    );
  }
}

/** `count` values of `values` starting at `offset`, copied. */
export function sliceValues(values: ArrayLike<number>, offset: number, count: number): Float64Array {
  const result = new Float64Array(count);
  for (let index = 0; index < count; index++) {
    result[index] = values[offset + index]!;
  }
  return result;
}

/** True when every value is exactly zero (absent tensors count as zero). */
export function allZero(values: ArrayLike<number> | undefined): boolean {
  if (values === undefined) {
    return true;
  }
  for (let index = 0; index < values.length; index++) {
    if (values[index] !== 0) {
      return false;
    }
  }
  return true;
}

/** Element-wise sum of two equally long arrays. */
export function addValues(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const result = new Float64Array(a.length);
  for (let index = 0; index < a.length; index++) {
    result[index] = a[index]! + b[index]!;
  }
  return result;
}
