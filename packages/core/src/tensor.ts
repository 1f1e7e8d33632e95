import type { Backend, DeviceBuffer, DType } from './backend.js';
import { DisposedError, formatShape, ShapeError } from './errors.js';

/** Data on the host: a flat row-major array and its shape. */
export interface HostTensor {
  readonly data: ArrayLike<number>;
  readonly shape: readonly number[];
}

/** Reference-counted device memory shared by a tensor and its views. */
class Storage {
  private references = 1;
  constructor(
    readonly backend: Backend,
    readonly buffer: DeviceBuffer,
  ) {}
  retain(): void {
    this.references++;
  }
  release(): void {
    this.references--;
    if (this.references === 0) {
      this.backend.dispose(this.buffer);
    }
  }
}

/**
 * A handle to device memory with a shape: possibly a strided view of a larger buffer (a time
 * step, one direction, a batch-first permutation) that shares storage without copying.
 * Results stay on the device until `await tensor.toArray()`.
 */
export class Tensor {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  private readonly storage: Storage;
  private disposed = false;

  private constructor(
    storage: Storage,
    shape: readonly number[],
    strides: readonly number[],
    offset: number,
  ) {
    this.storage = storage;
    this.shape = shape;
    this.strides = strides;
    this.offset = offset;
  }

  /** Wraps a whole buffer the caller hands over (the tensor now owns it). */
  static fromBuffer(backend: Backend, buffer: DeviceBuffer, shape: readonly number[]): Tensor {
    const size = shape.reduce((product, dimension) => product * dimension, 1);
    if (size > buffer.length) {
      throw new ShapeError(
        'Tensor',
        `shape ${formatShape(shape)} needs ${size} elements; buffer has ${buffer.length}`,
      );
    }
    return new Tensor(new Storage(backend, buffer), shape, denseStrides(shape), 0);
  }

  /** Uploads host data into a new tensor. */
  static fromHost(backend: Backend, host: HostTensor): Tensor {
    const size = host.shape.reduce((product, dimension) => product * dimension, 1);
    const buffer = backend.allocate(size);
    backend.write(buffer, host.data);
    return Tensor.fromBuffer(backend, buffer, host.shape);
  }

  get backend(): Backend {
    return this.storage.backend;
  }
  get dtype(): DType {
    return this.storage.backend.info.dtype;
  }
  get size(): number {
    return this.shape.reduce((product, dimension) => product * dimension, 1);
  }
  get isDisposed(): boolean {
    return this.disposed;
  }

  /** The underlying buffer, for code that drives a backend directly. */
  get buffer(): DeviceBuffer {
    this.assertLive('Tensor.buffer');
    return this.storage.buffer;
  }

  /** A view sharing this tensor's storage; dispose it independently. */
  view(shape: readonly number[], strides: readonly number[], offset: number): Tensor {
    this.assertLive('Tensor.view');
    this.storage.retain();
    return new Tensor(this.storage, shape, strides, offset);
  }

  /** True when the elements are contiguous in row-major order. */
  get isDense(): boolean {
    const dense = denseStrides(this.shape);
    return this.shape.every((dimension, axis) => dimension === 1 || this.strides[axis] === dense[axis]);
  }

  /** Copies the elements to the host in row-major order of `shape`, after all queued work. */
  async toArray(): Promise<Float32Array | Float64Array> {
    this.assertLive('Tensor.toArray');
    const { first, last } = this.extent();
    const raw = await this.storage.backend.download(this.storage.buffer, first, last - first + 1);
    if (this.isDense) {
      return raw.slice(this.offset - first, this.offset - first + this.size);
    }
    const result = new (raw.constructor as Float64ArrayConstructor)(this.size);
    gather(raw, this.offset - first, this.shape, this.strides, result);
    return result;
  }

  /** Releases this handle; the memory goes when no view of it is left. Idempotent. */
  dispose(): void {
    if (!this.disposed) {
      this.disposed = true;
      this.storage.release();
    }
  }

  /** Throws a {@link DisposedError} naming `where` when this tensor was disposed. */
  assertLive(where: string): void {
    if (this.disposed || this.storage.backend.isDisposed(this.storage.buffer)) {
      throw new DisposedError(where, `tensor of shape ${formatShape(this.shape)} was disposed`);
    }
  }

  private extent(): { first: number; last: number } {
    let last = this.offset;
    for (let axis = 0; axis < this.shape.length; axis++) {
      last += (this.shape[axis]! - 1) * this.strides[axis]!;
    }
    return { first: this.offset, last: this.size === 0 ? this.offset : last };
  }
}

export function denseStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis]!;
  }
  return strides;
}

function gather(
  source: ArrayLike<number>,
  base: number,
  shape: readonly number[],
  strides: readonly number[],
  target: Float32Array | Float64Array,
): void {
  let written = 0;
  const walk = (axis: number, offset: number) => {
    const count = shape[axis]!;
    const stride = strides[axis]!;
    if (axis === shape.length - 1) {
      for (let index = 0; index < count; index++) {
        target[written++] = source[offset + index * stride]!;
      }
      return;
    }
    for (let index = 0; index < count; index++) {
      walk(axis + 1, offset + index * stride);
    }
  };
  if (shape.length === 0) {
    target[0] = source[base]!;
    return;
  }
  walk(0, base);
}
