/**
 * The one error class this backend throws for its own faults (missing device, shader compile
 * error, device lost, unsupported mode). Core validates user input before a call reaches here.
 */
export class GpuJsBackendError extends Error {
  override readonly name = 'GpuJsBackendError';
  /** The backend mode that failed, e.g. `webgpu`. */
  readonly mode: string;
  /** The kernel or operation that failed, e.g. `gemm` or a pointwise kernel's name. */
  readonly kernel: string | undefined;

  constructor(mode: string, kernel: string | undefined, message: string, options?: { cause?: unknown }) {
    super(`gpujs backend [${mode}]${kernel === undefined ? '' : ` ${kernel}`}: ${message}`, options);
    this.mode = mode;
    this.kernel = kernel;
  }
}
