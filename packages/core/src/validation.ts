/**
 * Checks at the public boundary. Every check throws a typed error naming the entry point,
 * the argument, what was expected and what was received, before anything is mutated.
 */

import { type Activation, activationKinds } from './activation.js';
import type { Backend } from './backend.js';
import type { CellDefinition } from './cells/cell-definition.js';
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
  let shape: readonly number[];
  if (value instanceof Tensor) {
    value.assertLive(where);
    if (options.backend && value.backend !== options.backend) {
      throw new DTypeError(
        where,
        `${name} lives on another backend instance ('${value.backend.info.name}'); expected a tensor of this layer's backend ('${options.backend.info.name}')`,
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
      const index = firstNonFinite(value.data);
      if (index >= 0) {
        const element = value.data[index];
        throw new ValueError(where, `${name}[${index}] is ${describe(element)}; expected a finite number`);
      }
    }
  } else {
    throw new DTypeError(where, `${name} is ${describe(value)}; expected a Tensor or { data, shape }`);
  }
  const matches =
    shape.length === expected.length &&
    expected.every((dimension, axis) => dimension === undefined || dimension === shape[axis]);
  if (!matches) {
    const expectation = labels
      .map((label, axis) => (expected[axis] === undefined ? label : `${label}=${expected[axis]}`))
      .join(', ');
    throw new ShapeError(where, `${name} has shape ${formatShape(shape)}; expected [${expectation}]`);
  }
  if (shape.some((dimension) => dimension === 0)) {
    throw new ShapeError(where, `${name} has shape ${formatShape(shape)}; every dimension must be ≥ 1`);
  }
  return shape;
}

/**
 * Index of the first element that is not a finite number, or −1. Float typed arrays hold only
 * numbers, so for them the loop tests finiteness alone (`x − x` is 0 exactly for finite x): this
 * runs over every element of every host sequence a call receives.
 */
function firstNonFinite(data: ArrayLike<unknown>): number {
  if (data instanceof Float32Array || data instanceof Float64Array) {
    for (let index = 0; index < data.length; index++) {
      const element = data[index]!;
      if (element - element !== 0) return index;
    }
    return -1;
  }
  for (let index = 0; index < data.length; index++) {
    const element = data[index];
    if (typeof element !== 'number' || !Number.isFinite(element)) return index;
  }
  return -1;
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

/** Optional flags (`training`, `bidirectional`, …) must be real booleans, not truthy strings. */
export function assertOptionalBoolean(where: string, name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new ValueError(where, `${name} is ${describe(value)}; expected true or false`);
  }
}

export function assertFiniteNumber(where: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValueError(where, `${name} is ${describe(value)}; expected a finite number`);
  }
}

/** An options bag: a plain object (absent options are defaulted by the caller, `null` is not). */
export function assertOptionsObject(where: string, name: string, value: unknown, expected: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValueError(where, `${name} is ${describe(value)}; expected ${expected}`);
  }
}

/** Catches a missing or wrong backend argument before its first use turns into a TypeError. */
export function assertBackend(where: string, value: unknown): asserts value is Backend {
  const candidate = value as Partial<Record<keyof Backend, unknown>> | null | undefined;
  const complete =
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.info === 'object' &&
    (['allocate', 'write', 'download', 'dispose', 'gemm', 'pointwise'] as const).every(
      (method) => typeof candidate[method] === 'function',
    );
  if (!complete) {
    throw new ValueError(
      where,
      `backend is ${describe(value)}; expected a Backend (e.g. createCpuBackend())`,
    );
  }
}

/** True for a value shaped like a {@link CellDefinition} (what `gruCell()` & co. return). */
export function isCellDefinition(value: unknown): value is CellDefinition {
  const candidate = value as Partial<CellDefinition> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.displayName === 'string' &&
    Array.isArray(candidate.gates) &&
    Array.isArray(candidate.states) &&
    typeof candidate.constants === 'object' &&
    typeof candidate.options === 'object'
  );
}

/**
 * A cell's options as its factory received them: activations built by `activation()`, flags
 * that are booleans, and every kernel constant finite, with `clip` ≥ 0. Cell factories copy
 * their arguments without checking, so the layer checks them here, naming the option.
 */
export function checkCellOptions(where: string, cell: CellDefinition): void {
  for (const [name, value] of Object.entries(cell.options)) {
    if (/activation$/i.test(name)) {
      const candidate = value as Partial<Activation> | null;
      if (
        typeof candidate !== 'object' ||
        candidate === null ||
        typeof candidate.name !== 'string' ||
        !Object.hasOwn(activationKinds, candidate.name)
      ) {
        throw new ValueError(
          where,
          `${name} is ${describe(value)}; expected activation(name, alpha?, beta?) with name one of ${Object.keys(activationKinds).join(', ')}`,
        );
      }
      assertFiniteNumber(where, `${name}.alpha`, candidate.alpha);
      assertFiniteNumber(where, `${name}.beta`, candidate.beta);
    } else if (name === 'clip') {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new ValueError(
          where,
          `clip is ${describe(value)}; expected a finite number ≥ 0 (0: no clipping)`,
        );
      }
    } else if (name === 'resetAfter' || name === 'peepholes') {
      assertOptionalBoolean(where, name, value);
    }
  }
  for (const [name, value] of Object.entries(cell.constants)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ValueError(where, `cell constant '${name}' is ${describe(value)}; expected a finite number`);
    }
  }
}

/**
 * A flat host array of `length` finite numbers (one canonical weight tensor); `shape` labels
 * the expected layout in messages, e.g. `6×3`.
 */
export function checkHostValues(
  where: string,
  name: string,
  value: unknown,
  length: number,
  shape: string,
): void {
  if (value === undefined) {
    throw new ShapeError(where, `${name} is missing; expected ${length} values [${shape}]`);
  }
  const arrayLike = Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
  if (!arrayLike) {
    throw new DTypeError(
      where,
      `${name} is ${describe(value)}; expected an array of ${length} numbers [${shape}]`,
    );
  }
  const values = value as ArrayLike<unknown>;
  if (values.length !== length) {
    throw new ShapeError(where, `${name} has ${values.length} values; expected ${length} [${shape}]`);
  }
  for (let index = 0; index < values.length; index++) {
    const element = values[index];
    if (typeof element !== 'number' || !Number.isFinite(element)) {
      throw new ValueError(where, `${name}[${index}] is ${describe(element)}; expected a finite number`);
    }
  }
}
