/**
 * Checks at the public boundary. Every check throws a typed error naming the entry point,
 * the argument, what was expected and what was received, before anything is mutated.
 */

import type { Backend } from './backend.js';
import { DTypeError, formatShape, ShapeError, ValueError } from './errors.js';
import type { HostTensor } from './tensor.js';
import { Tensor } from './tensor.js';

export function assertPositiveInteger(where: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ValueError(where, `${name} is ${describe(value)}; expected a positive integer`);
  }
}

export function assertNonNegativeNumber(where: string, name: string, value: unknown, below?: number): void {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    (below !== undefined && value >= below)
  ) {
    const range = below === undefined ? 'a finite number ≥ 0' : `a number in [0, ${below})`;
    throw new ValueError(where, `${name} is ${describe(value)}; expected ${range}`);
  }
}

export function assertOneOf<T extends string>(
  where: string,
  name: string,
  value: unknown,
  allowed: readonly T[],
): asserts value is T {
  if (!allowed.includes(value as T)) {
    throw new ValueError(
      where,
      `${name} is ${describe(value)}; expected one of ${allowed.map((v) => `'${v}'`).join(', ')}`,
    );
  }
}

/**
 * Checks a host tensor or device tensor argument against an expected shape. `expected` holds
 * numbers (fixed) or `undefined` (free); `labels` names each axis for the message.
 * Returns the actual shape.
 */
export function checkTensorArgument(
  where: string,
  name: string,
  value: unknown,
  expected: readonly (number | undefined)[],
  labels: readonly string[],
  options: { backend?: Backend; checkFinite?: boolean } = {},
): readonly number[] {
  const expectation = `[${labels.map((label, axis) => (expected[axis] === undefined ? label : `${label}=${expected[axis]}`)).join(', ')}]`;
  let shape: readonly number[];
  if (value instanceof Tensor) {
    value.assertLive(where);
    if (options.backend && value.backend !== options.backend) {
      throw new DTypeError(
        where,
        `${name} lives on backend '${value.backend.info.name}'; expected '${options.backend.info.name}'`,
      );
    }
    shape = value.shape;
  } else if (isHostTensor(value)) {
    shape = value.shape;
    const size = shape.reduce((product, dimension) => product * dimension, 1);
    if (!shape.every((dimension) => Number.isInteger(dimension) && dimension >= 0)) {
      throw new ShapeError(where, `${name}.shape is ${formatShape(shape)}; expected non-negative integers`);
    }
    if (value.data.length !== size) {
      throw new ShapeError(
        where,
        `${name} has ${value.data.length} values for shape ${formatShape(shape)}; expected ${size}`,
      );
    }
    if (options.checkFinite ?? true) {
      for (let index = 0; index < value.data.length; index++) {
        const element = value.data[index];
        if (typeof element !== 'number' || !Number.isFinite(element)) {
          throw new ValueError(where, `${name}[${index}] is ${describe(element)}; expected a finite number`);
        }
      }
    }
  } else {
    throw new DTypeError(where, `${name} is ${describe(value)}; expected a Tensor or { data, shape }`);
  }
  const matches =
    shape.length === expected.length &&
    expected.every((dimension, axis) => dimension === undefined || dimension === shape[axis]);
  if (!matches) {
    throw new ShapeError(where, `${name} has shape ${formatShape(shape)}; expected ${expectation}`);
  }
  if (shape.some((dimension) => dimension === 0)) {
    throw new ShapeError(where, `${name} has shape ${formatShape(shape)}; every dimension must be ≥ 1`);
  }
  return shape;
}

export function isHostTensor(value: unknown): value is HostTensor {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const candidate = value as { data?: unknown; shape?: unknown };
  return (
    Array.isArray(candidate.shape) &&
    (Array.isArray(candidate.data) || ArrayBuffer.isView(candidate.data)) &&
    !(candidate.data instanceof DataView)
  );
}

export function describe(value: unknown): string {
  if (value === undefined) {
    return 'undefined';
  }
  if (value === null) {
    return 'null';
  }
  if (typeof value === 'number') {
    return String(value);
  }
  if (typeof value === 'string') {
    return `'${value}'`;
  }
  if (Array.isArray(value)) {
    return `an array of length ${value.length}`;
  }
  if (ArrayBuffer.isView(value)) {
    return `a ${value.constructor.name}`;
  }
  return typeof value === 'object'
    ? `an object (${Object.keys(value).slice(0, 4).join(', ')})`
    : typeof value;
}
