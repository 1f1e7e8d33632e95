/** Helpers for the WebAssembly pointwise tests: run one-step kernels and measure ulp distances. */
import type { DType, PointwiseKernel } from '@recurrent/core';
import { createCpuBackend } from './cpu-backend.js';
import { pointwisePaths } from './pointwise-paths.js';

type ScalarFunction = (...args: number[]) => number;

/** A kernel with one step `fn` over inputs `x0, x1, …` and that step as its only output. */
export function stepKernel(
  name: string,
  fn: ScalarFunction,
  helpers: ScalarFunction[] = [],
): PointwiseKernel {
  const inputs = Array.from({ length: fn.length }, (_, index) => `x${index}`);
  return { name, inputs, steps: [{ name: 'y', args: inputs, fn }], outputs: ['y'], helpers };
}

/**
 * Evaluates `kernel`'s single output over `columns` (one array per input, or a constant) with
 * a fresh backend, and reports which path ran.
 */
export async function evaluate(
  kernel: PointwiseKernel,
  columns: readonly (readonly number[] | number)[],
  dtype: DType,
  wasmPointwise: boolean,
): Promise<{ values: number[]; wasm: number; fallbacks: string[] }> {
  const backend = createCpuBackend({ dtype, wasmPointwise });
  const length = Math.max(1, ...columns.map((column) => (typeof column === 'number' ? 1 : column.length)));
  const inputs = columns.map((column) => {
    if (typeof column === 'number') return column;
    const buffer = backend.allocate(length);
    backend.write(buffer, column);
    return { view: { buffer, offset: 0, rows: 1, cols: length, rowStride: length } };
  });
  const out = backend.allocate(length);
  backend.pointwise(kernel, {
    rows: 1,
    units: length,
    inputs,
    outputs: [{ view: { buffer: out, offset: 0, rows: 1, cols: length, rowStride: length } }],
  });
  const values = [...(await backend.download(out))];
  const paths = pointwisePaths(backend)!;
  backend.destroy();
  return { values, wasm: paths.wasm, fallbacks: paths.fallbacks };
}

/**
 * Distance in units in the last place of `expected` (in the element type); 0 for identical
 * values, including NaN against NaN and equal infinities; Infinity when only one is NaN,
 * the signs of zeros differ, or one is infinite.
 */
export function ulpDistance(actual: number, expected: number, dtype: DType): number {
  if (Object.is(actual, expected)) return 0;
  if (Number.isNaN(actual) || Number.isNaN(expected)) return Number.POSITIVE_INFINITY;
  if (!Number.isFinite(actual) || !Number.isFinite(expected)) return Number.POSITIVE_INFINITY;
  if (actual === 0 && expected === 0) return Number.POSITIVE_INFINITY; // +0 against -0
  const magnitude = Math.abs(expected);
  const [mantissaBits, minimumExponent] = dtype === 'float64' ? [52, -1022] : [23, -126];
  const exponent = Math.max(Math.floor(Math.log2(magnitude)), minimumExponent);
  return Math.abs(actual - expected) / 2 ** (exponent - mantissaBits);
}
