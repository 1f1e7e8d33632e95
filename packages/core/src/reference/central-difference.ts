/**
 * Central differences `(f(θ + ε) − f(θ − ε)) / 2ε` of a function of `values`, element by element
 * (float64): each element is moved by ±ε in place, `evaluate` is called, and the element is put
 * back before the next one.
 */
export async function centralDifference(
  values: Float64Array,
  evaluate: () => number | Promise<number>,
  epsilon = 1e-6,
): Promise<Float64Array> {
  const numeric = new Float64Array(values.length);
  for (let index = 0; index < values.length; index++) {
    const original = values[index]!;
    values[index] = original + epsilon;
    const plus = await evaluate();
    values[index] = original - epsilon;
    const minus = await evaluate();
    values[index] = original;
    numeric[index] = (plus - minus) / (2 * epsilon);
  }
  return numeric;
}
