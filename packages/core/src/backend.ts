/**
 * The contract between `@recurrent/core` and a compute backend.
 *
 * Core drives every recurrent pass (see `sequence/`) with four kinds of primitive only:
 * memory, a strided GEMM, a row reduction and a generic pointwise map. Everything
 * cell-specific reaches a backend as a {@link PointwiseKernel}: plain scalar functions
 * written once in core that a CPU backend calls in loops and a GPU backend compiles.
 *
 * Calls are enqueue-style and return nothing; a backend may execute them later (a GPU
 * queue). Results become observable only through {@link Backend.download}, which is async.
 */

/** Element type of every buffer a backend instance allocates. */
export type DType = 'float32' | 'float64';

/** Opaque handle to device memory; only the backend that made it can read it. */
export interface DeviceBuffer {
  /** Number of elements. */
  readonly length: number;
  /** The backend instance that owns the buffer (compared by identity). */
  readonly owner: Backend;
}

/**
 * A row-major 2-D window onto a buffer without copying: element `(i, j)` lives at
 * `offset + i * rowStride + j`. A `rowStride` of 0 broadcasts one row to every row
 * (used for biases in pointwise maps; never valid as a GEMM or reduction output).
 */
export interface MatrixView {
  readonly buffer: DeviceBuffer;
  readonly offset: number;
  readonly rows: number;
  readonly cols: number;
  readonly rowStride: number;
}

/** `C = alpha · op(A) · op(B) + beta · C`, where `op` optionally transposes. */
export interface GemmOptions {
  readonly transposeA?: boolean;
  readonly transposeB?: boolean;
  /** Default 1. */
  readonly alpha?: number;
  /** Default 0. With 0, C's previous contents are ignored (NaN in C does not propagate). */
  readonly beta?: number;
}

/**
 * One named intermediate value of a pointwise kernel: `fn(...args)` where each arg names a kernel
 * input or an earlier step. `fn` must be a pure scalar function written in the subset gpu.js can
 * compile: a `function` declaration with number parameters, `const`/`let`, arithmetic, `Math.*`,
 * `if`/ternaries, and calls to the kernel's {@link PointwiseKernel.helpers} only (no closures,
 * arrays, objects or default parameters).
 */
export interface PointwiseStep {
  readonly name: string;
  readonly args: readonly string[];
  readonly fn: (...args: number[]) => number;
}

/**
 * A fused elementwise map written as a small dataflow program: named scalar inputs, then steps
 * evaluated in order (each computed once per element), then the outputs, which name steps or
 * inputs. A CPU backend evaluates the steps in a loop; a GPU backend compiles them into shader
 * code (one shader per output is fine: steps an output does not need are dead code there).
 */
export interface PointwiseKernel {
  /** Unique, stable name: backends use it as the compile-cache key. */
  readonly name: string;
  readonly inputs: readonly string[];
  readonly steps: readonly PointwiseStep[];
  /** Names of steps or inputs, in launch-binding order. */
  readonly outputs: readonly string[];
  /** Scalar-only helper functions the step functions call (by their `name`). */
  readonly helpers: readonly ((...args: number[]) => number)[];
}

/**
 * Where one scalar input or output of a pointwise kernel lives, for element `(row, unit)`:
 * at `view.offset + row * view.rowStride + column + unit` (`column` defaults to 0).
 * A plain number binds a constant to an input.
 */
export interface ChannelBinding {
  readonly view: MatrixView;
  readonly column?: number;
}

/** How a pointwise output is stored: overwrite, or add to what is there (gradients). */
export type WriteMode = 'set' | 'add';

export interface PointwiseOutputBinding extends ChannelBinding {
  readonly mode?: WriteMode;
}

/**
 * Binds a kernel to memory for one launch over `rows × units` elements. `inputs[k]` feeds the
 * kernel's k-th input; `outputs[k]` receives its k-th output, or `null` when not needed.
 * Core guarantees that no output overlaps any input or other output, except that an
 * `add`-mode output reads its own previous value.
 */
export interface PointwiseLaunch {
  readonly rows: number;
  readonly units: number;
  readonly inputs: readonly (ChannelBinding | number)[];
  readonly outputs: readonly (PointwiseOutputBinding | null)[];
}

/** The GEMM half of {@link Backend.fusedRecurrentStep}: `projection = hidden · recurrentWeightsᵀ`. */
export interface FusedRecurrentStep {
  /** `[B, H]` previous hidden state. */
  readonly hidden: MatrixView;
  /** `[G·H, H]` recurrent weights. */
  readonly recurrentWeights: MatrixView;
  /** `[B, G·H]` where the recurrent projection is stored (the pass saves it for backward). */
  readonly projection: MatrixView;
}

/** What a backend is, stated by the backend itself. */
export interface BackendInfo {
  /** Short registry name, e.g. `cpu`, `gpujs`, `reference`. */
  readonly name: string;
  readonly dtype: DType;
  /** Where the work actually runs, e.g. `cpu`, `webgpu`, `webgl2`, `wasm`. */
  readonly device: string;
  /** Adapter or device description when there is one (GPU name, CPU model). */
  readonly adapter?: string;
  /** True when repeated runs with the same inputs give bit-identical results. */
  readonly deterministic: boolean;
}

export interface Backend {
  readonly info: BackendInfo;

  /** A new zero-filled buffer of `length` elements. */
  allocate(length: number): DeviceBuffer;
  /** Copies `data` into `buffer` starting at element `offset` (default 0). */
  write(buffer: DeviceBuffer, data: ArrayLike<number>, offset?: number): void;
  /** Resolves with a copy of `length` elements of the buffer from `offset`, after all queued work. */
  download(buffer: DeviceBuffer, offset?: number, length?: number): Promise<Float32Array | Float64Array>;
  /** Releases the buffer; any later use of it is an error. Idempotent. */
  dispose(buffer: DeviceBuffer): void;
  /** Whether `dispose` has been called on the buffer. */
  isDisposed(buffer: DeviceBuffer): boolean;
  /** Number of buffers allocated and not yet disposed (leak checks). */
  liveBufferCount(): number;

  /** `C = alpha · op(A) · op(B) + beta · C` on strided views. */
  gemm(a: MatrixView, b: MatrixView, c: MatrixView, options?: GemmOptions): void;
  /** `out[0, j] = beta · out[0, j] + Σ_i src[i, j]` (bias gradients). `out` is `1 × src.cols`. */
  sumRows(src: MatrixView, out: MatrixView, beta?: number): void;
  /** Runs a pointwise kernel over every element of the launch. */
  pointwise(kernel: PointwiseKernel, launch: PointwiseLaunch): void;

  /**
   * Optional fused path for one forward time step: must compute exactly
   * `gemm(step.hidden, step.recurrentWeights, step.projection, { transposeB: true })` followed by
   * `pointwise(kernel, launch)` (whose inputs read `step.projection`), but may do it in one launch
   * (each thread computing its row's dot products before the cell math). Core calls it only for
   * cells without an intermediate stage. Backends without it get the two separate calls.
   */
  fusedRecurrentStep?(step: FusedRecurrentStep, kernel: PointwiseKernel, launch: PointwiseLaunch): void;

  /** Waits for all queued work (GPU backends); resolves at once on synchronous backends. */
  flush(): Promise<void>;
  /** Releases every resource the backend holds (compiled kernels, device, buffers). */
  destroy(): void;
}
