/**
 * The error measure every numeric check uses: per tensor, the worst element's absolute
 * difference divided by the tensor's scale, `max_i |a_i − e_i| / max(max_i |a_i|, max_i |e_i|, tiny)`.
 * Relative to the tensor, not the element, so entries that are exactly zero in one of the
 * two do not turn round-off into a huge relative error. NaN anywhere counts as infinite.
 */
import type { TensorError } from './report.js';

const tiny = 1e-30;

/** Compares a tensor under test with the expected values; lengths must match. */
export function compareTensor(
  tensor: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
): TensorError {
  if (actual.length !== expected.length) {
    return { tensor, error: Number.POSITIVE_INFINITY, actual: actual.length, expected: expected.length };
  }
  let scale = tiny;
  for (let index = 0; index < actual.length; index++) {
    scale = Math.max(scale, Math.abs(actual[index]!), Math.abs(expected[index]!));
  }
  return worstScaledDifference(tensor, actual, expected, scale);
}

/**
 * The element with the largest `|a_i − e_i| / scale` (NaN counts as infinite), for measures that
 * differ only in their scale. Lengths must match.
 */
export function worstScaledDifference(
  tensor: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  scale: number,
): TensorError {
  let worst = 0;
  let worstIndex = 0;
  for (let index = 0; index < actual.length; index++) {
    const difference = Math.abs(actual[index]! - expected[index]!) / scale;
    const error = Number.isNaN(difference) ? Number.POSITIVE_INFINITY : difference;
    if (error > worst) {
      worst = error;
      worstIndex = index;
    }
  }
  return { tensor, error: worst, worstIndex, actual: actual[worstIndex]!, expected: expected[worstIndex]! };
}

/** The entry with the largest error (the first when several tie). */
export function worstOf(errors: readonly TensorError[]): TensorError | undefined {
  let worst: TensorError | undefined;
  for (const entry of errors) {
    if (worst === undefined || entry.error > worst.error) {
      worst = entry;
    }
  }
  return worst;
}
