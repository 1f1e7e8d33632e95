import type {
  Backend,
  BackendInfo,
  DeviceBuffer,
  GemmOptions,
  MatrixView,
  PointwiseKernel,
  PointwiseLaunch,
} from '@recurrent/core';
import { GpuJsBackendError } from './errors.js';
import { type HostView, hostGemm, hostSumRows } from './host-loops.js';
import { kernelKey } from './kernel-key.js';
import { type CpuKernelRunner, compileCpuRunner, translateKernelForCpu } from './translate-kernel-cpu.js';

class HostBuffer implements DeviceBuffer {
  readonly owner: Backend;
  readonly data: Float32Array;
  disposed = false;

  constructor(owner: Backend, length: number) {
    this.owner = owner;
    this.data = new Float32Array(length);
  }

  get length(): number {
    return this.data.length;
  }
}

/**
 * gpu.js's `cpu` mode, only when asked for by name: host float32 arrays, pointwise kernels
 * translated by gpu.js's CPU translator (the same JS-to-JS pass gpu.js runs when it falls
 * back), GEMM and row sums as plain loops. For debugging the translation on any machine; for
 * speed on the CPU use `@recurrent/backend-cpu`.
 */
export class GpuJsCpuBackend implements Backend {
  readonly info: BackendInfo = {
    name: 'gpujs',
    dtype: 'float32',
    device: 'cpu',
    adapter: 'gpu.js cpu mode (JavaScript)',
    deterministic: true,
  };
  private readonly translations = new Map<string, string>();
  private readonly runners = new Map<string, CpuKernelRunner>();
  private live = 0;
  private destroyed = false;

  /** Number of compiled runners (for compile-once checks). */
  get compiledKernelCount(): number {
    return this.runners.size;
  }

  allocate(length: number): DeviceBuffer {
    this.assertAlive('allocate');
    let buffer: HostBuffer;
    try {
      buffer = new HostBuffer(this, length);
    } catch (cause) {
      throw new GpuJsBackendError(
        'cpu',
        'allocate',
        `${length} float32 elements: ${(cause as Error).message}`,
        {
          cause,
        },
      );
    }
    this.live++;
    return buffer;
  }

  write(buffer: DeviceBuffer, data: ArrayLike<number>, offset = 0): void {
    this.resolve(buffer, 'write').data.set(data, offset);
  }

  async download(buffer: DeviceBuffer, offset = 0, length?: number): Promise<Float32Array> {
    const source = this.resolve(buffer, 'download');
    return source.data.slice(offset, offset + (length ?? source.length - offset));
  }

  dispose(buffer: DeviceBuffer): void {
    if (!(buffer instanceof HostBuffer) || buffer.owner !== this || buffer.disposed) return;
    buffer.disposed = true;
    this.live--;
  }

  isDisposed(buffer: DeviceBuffer): boolean {
    return buffer instanceof HostBuffer && buffer.disposed;
  }

  liveBufferCount(): number {
    return this.live;
  }

  gemm(a: MatrixView, b: MatrixView, c: MatrixView, options?: GemmOptions): void {
    hostGemm(this.host(a, 'gemm'), this.host(b, 'gemm'), this.host(c, 'gemm'), options);
  }

  sumRows(src: MatrixView, out: MatrixView, beta?: number): void {
    hostSumRows(this.host(src, 'sumRows'), this.host(out, 'sumRows'), beta);
  }

  pointwise(kernel: PointwiseKernel, launch: PointwiseLaunch): void {
    this.assertAlive(kernel.name);
    const signature = {
      constantInputs: launch.inputs.map((input) => typeof input === 'number'),
      wantedOutputs: launch.outputs.map((output) => output !== null),
      addOutputs: launch.outputs.map((output) => output?.mode === 'add'),
    };
    const key = `${kernelKey(kernel)}|${signature.constantInputs.map(Number).join('')}|${launch.outputs
      .map((output) => (output === null ? '-' : output.mode === 'add' ? '+' : '='))
      .join('')}`;
    let runner = this.runners.get(key);
    if (!runner) {
      let functions = this.translations.get(kernelKey(kernel));
      if (functions === undefined) {
        functions = translateKernelForCpu(kernel);
        this.translations.set(kernelKey(kernel), functions);
      }
      runner = compileCpuRunner(kernel, functions, signature);
      this.runners.set(key, runner);
    }
    const operation = `pointwise ${kernel.name}`;
    const bound = launch.inputs.map((input) => (typeof input === 'number' ? null : input));
    runner(
      launch.rows,
      launch.units,
      bound.map((input) => (input ? this.resolve(input.view.buffer, operation).data : null)),
      bound.map((input) => (input ? input.view.offset + (input.column ?? 0) : 0)),
      bound.map((input) => (input ? input.view.rowStride : 0)),
      launch.inputs.map((input) => (typeof input === 'number' ? input : 0)),
      launch.outputs.map((output) => (output ? this.resolve(output.view.buffer, operation).data : null)),
      launch.outputs.map((output) => (output ? output.view.offset + (output.column ?? 0) : 0)),
      launch.outputs.map((output) => (output ? output.view.rowStride : 0)),
    );
  }

  async flush(): Promise<void> {}

  destroy(): void {
    this.destroyed = true;
    this.translations.clear();
    this.runners.clear();
  }

  private host(view: MatrixView, operation: string): HostView {
    return { ...view, data: this.resolve(view.buffer, operation).data };
  }

  private assertAlive(operation: string): void {
    if (this.destroyed) throw new GpuJsBackendError('cpu', operation, 'the backend has been destroyed');
  }

  private resolve(buffer: DeviceBuffer, operation: string): HostBuffer {
    this.assertAlive(operation);
    if (!(buffer instanceof HostBuffer) || buffer.owner !== this) {
      throw new GpuJsBackendError('cpu', operation, 'the buffer belongs to another backend');
    }
    if (buffer.disposed) throw new GpuJsBackendError('cpu', operation, 'the buffer has been disposed');
    return buffer;
  }
}
