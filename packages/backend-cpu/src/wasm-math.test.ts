import type { DType } from '@recurrent/core';
import { describe, expect, it } from 'vitest';
import { evaluate, stepKernel, ulpDistance } from './test-wasm-pointwise.js';

function exp(x: number): number {
  return Math.exp(x);
}
function tanh(x: number): number {
  return Math.tanh(x);
}
function log(x: number): number {
  return Math.log(x);
}
function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
function softplus(x: number): number {
  return Math.max(x, 0) + Math.log(1 + Math.exp(-Math.abs(x)));
}

const specials = [
  0,
  -0,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  1e-300,
  -1e-300,
  2.2250738585072014e-308,
  1.1754943508222875e-38,
  1.401298464324817e-45,
  1e-30,
  1e-8,
  -1e-8,
  0.5,
  1,
  -1,
  Math.LN2 / 2,
  -Math.LN2 / 2,
  88.7,
  88.73,
  89,
  -87.3,
  -103.9,
  -104,
  -150,
  709.78,
  709.79,
  710,
  -708.4,
  -745.1,
  -745.2,
  -800,
  21.9,
  22,
  9,
  9.1,
  10,
  1e10,
  -1e10,
  3.4e38,
  1.7e308,
  Number.MAX_VALUE,
];

/** A deterministic sweep: uniform over [low, high) plus the special values. */
function sweep(low: number, high: number, count: number): number[] {
  const values: number[] = [...specials];
  for (let i = 0; i < count; i++) values.push(low + ((high - low) * (i + 0.5)) / count);
  // Logarithmic spread of magnitudes for log and the tails.
  for (let e = -320; e <= 308; e += 0.37) values.push(10 ** e, -(10 ** e));
  return values;
}

/**
 * Worst distance of the WebAssembly result from `Math.*` (rounded to float32 for float32): in
 * ulp of the reference, or with `scale`, as |error| / (u · max(|reference|, scale)) — for
 * composite formulas whose intermediate (1 + e^-x) is larger than their result, where float32
 * lanes (or rounding the same formula differently) legitimately lose relative accuracy.
 */
async function worstUlp(fn: (x: number) => number, values: number[], dtype: DType, scale?: number) {
  const inputs = dtype === 'float32' ? values.map(Math.fround) : values;
  const {
    values: actual,
    wasm,
    fallbacks,
  } = await evaluate(stepKernel(`test/${fn.name}`, fn), [inputs], dtype, true);
  expect(fallbacks).toEqual([]);
  expect(wasm).toBe(1);
  let worst = 0;
  let worstAt = 0;
  inputs.forEach((x, index) => {
    const reference = dtype === 'float32' ? Math.fround(fn(x)) : fn(x);
    const distance =
      scale === undefined
        ? ulpDistance(actual[index]!, reference, dtype)
        : Object.is(actual[index], reference)
          ? 0
          : Math.abs(actual[index]! - reference) /
            ((dtype === 'float64' ? 2 ** -53 : 2 ** -24) * Math.max(Math.abs(reference), scale));
    if (distance > worst) {
      worst = distance;
      worstAt = x;
    }
  });
  return { worst, worstAt };
}

describe.each(['float64', 'float32'] as const)('WebAssembly math in %s against Math.*', (dtype) => {
  // Bounds: the measured maxima (see the README); a crude approximation misses them by orders of
  // magnitude, and a wrong special case by Infinity.
  const bound = { exp: 1, tanh: dtype === 'float64' ? 3 : 2, log: 1 };

  it('exp is within 1 ulp over [-750, 750], including overflow, subnormals, ±∞, NaN and -0', async () => {
    const { worst, worstAt } = await worstUlp(exp, sweep(-750, 750, 20_000), dtype);
    expect(worst, `at x = ${worstAt}`).toBeLessThanOrEqual(bound.exp);
  });

  it('tanh is within 3 ulp (float64) or 2 (float32) over [-30, 30], with -0, ±1 saturation, ±∞ and NaN as Math.tanh', async () => {
    const { worst, worstAt } = await worstUlp(tanh, sweep(-30, 30, 20_000), dtype);
    expect(worst, `at x = ${worstAt}`).toBeLessThanOrEqual(bound.tanh);
  });

  it('log is within 1 ulp over positive values incl. subnormals; 0 → -∞, negative → NaN', async () => {
    const { worst, worstAt } = await worstUlp(log, sweep(0, 1000, 20_000), dtype);
    expect(worst, `at x = ${worstAt}`).toBeLessThanOrEqual(bound.log);
  });

  it('sigmoid 1/(1+exp(-x)) is within 8 u of max(|σ|, 1) and saturates to exactly 0 and 1', async () => {
    // float32 lanes: e^-x overflows below x ≈ −88.7, giving 0 where float64 gives a subnormal.
    const { worst, worstAt } = await worstUlp(sigmoid, sweep(-200, 200, 20_000), dtype, 1);
    expect(worst, `at x = ${worstAt}`).toBeLessThanOrEqual(8);
    const { values } = await evaluate(
      stepKernel('test/sigmoid-limits', sigmoid),
      [[-1e4, 1e4, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, Number.NaN]],
      dtype,
      true,
    );
    expect(values.slice(0, 4)).toEqual([0, 1, 0, 1]);
    expect(values[4]).toBeNaN();
  });

  it("softplus (core's form, through log and exp) is within 8 u of max(|y|, 1)", async () => {
    const { worst, worstAt } = await worstUlp(softplus, sweep(-100, 100, 20_000), dtype, 1);
    expect(worst, `at x = ${worstAt}`).toBeLessThanOrEqual(8);
  });
});
