/** Thrown for source outside the subset; callers fall back instead of failing. */
export class UnsupportedFunctionError extends Error {
  override readonly name = 'UnsupportedFunctionError';
}
