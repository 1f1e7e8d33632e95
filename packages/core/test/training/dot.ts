/** Σ a_i·b_i: the scalar losses the finite-difference tests differentiate. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let index = 0; index < a.length; index++) {
    sum += a[index]! * b[index]!;
  }
  return sum;
}
