/** Central differences `(f(θ+ε) − f(θ−ε)) / 2ε` of a host function, element by element (float64). */
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

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let index = 0; index < a.length; index++) {
    sum += a[index]! * b[index]!;
  }
  return sum;
}
