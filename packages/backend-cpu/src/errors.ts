/**
 * The error the CPU backend throws when its own contract is broken: a disposed buffer used,
 * a buffer from another backend passed in, or a view that reaches outside its buffer.
 * Core validates user input; these errors mean a caller (usually core itself) has a bug.
 */
export class CpuBackendError extends Error {
  override readonly name = 'CpuBackendError';
  /** The backend operation that failed, e.g. `gemm` or `pointwise`. */
  readonly operation: string;

  constructor(operation: string, message: string) {
    super(`cpu backend, ${operation}: ${message}`);
    this.operation = operation;
  }
}
