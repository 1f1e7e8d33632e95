import type {
  Backend,
  BackendInfo,
  DeviceBuffer,
  FusedRecurrentStep,
  GemmOptions,
  MatrixView,
  PointwiseKernel,
  PointwiseLaunch,
} from '@recurrent/core';
import { CommandQueue } from './command-queue.js';
import type { DepthSplit } from './depth-split.js';
import { WebGpuDeviceBuffer } from './device-buffer.js';
import type { DispatchContext } from './dispatch-context.js';
import { ErrorLog } from './error-log.js';
import { GpuJsBackendError } from './errors.js';
import { encodeFusedRecurrentStep } from './fused-step-op.js';
import { LANES_GEMM_ROWS } from './gemm-lanes-shader.js';
import { encodeGemm } from './gemm-op.js';
import { KernelCache } from './kernel-cache.js';
import { encodePointwise } from './pointwise-op.js';
import { encodeSumRows } from './sum-rows-op.js';
import type { WebGpuDevice } from './webgpu-device.js';

/**
 * The backend on WebGPU: buffers are storage buffers this backend owns; pointwise math is
 * core's functions translated by gpu.js; GEMM and row sums are fixed WGSL shaders. Work is
 * recorded into batched command encoders; `download` and `flush` submit and surface errors.
 */
export class WebGpuBackend implements Backend {
  readonly info: BackendInfo;
  /** Holds the adapter (and through it Dawn's instance) for as long as the device lives. */
  private readonly gpu: WebGpuDevice;
  private readonly errors = new ErrorLog('webgpu');
  private readonly queue: CommandQueue;
  private readonly kernels: KernelCache;
  private readonly context: DispatchContext;
  private readonly live = new Set<WebGpuDeviceBuffer>();
  private nextId = 1;
  private destroyed = false;

  /**
   * Present only with `fuseRecurrentStep: true`: on llvmpipe the fused launch measured slower
   * than the register-blocked GEMM plus the cell kernel (see the README), so it is opt-in.
   */
  readonly fusedRecurrentStep?: (
    step: FusedRecurrentStep,
    kernel: PointwiseKernel,
    launch: PointwiseLaunch,
  ) => void;

  /**
   * @internal The command queue's bind-group cache (groups, key references held by buffers, groups
   * created in all): tests check that a pass creates as many for 8 steps as for 4, and that
   * released buffers leave nothing behind.
   */
  bindGroupCacheSize(): {
    readonly groups: number;
    readonly keyReferences: number;
    readonly created: number;
  } {
    return this.queue.bindGroupCacheSize;
  }

  constructor(
    gpu: WebGpuDevice,
    options: {
      readonly fuseRecurrentStep?: boolean;
      readonly depthSplit?: DepthSplit;
      /**
       * @internal Default true: where the device has subgroups of at least 8 invocations, the
       * lanes GEMM kernel broadcasts A values across lanes. False loads them in every lane
       * (tests and A/B benchmarks reach that kernel with it).
       */
      readonly broadcastLanes?: boolean;
    } = {},
  ) {
    this.gpu = gpu;
    if (options.fuseRecurrentStep) {
      this.fusedRecurrentStep = (step, kernel, launch) => {
        this.assertAlive(kernel.name);
        encodeFusedRecurrentStep(this.context, step, kernel, launch);
      };
    }
    this.info = {
      name: 'gpujs',
      dtype: 'float32',
      device: 'webgpu',
      adapter: gpu.adapterName,
      deterministic: true,
    };
    const softwareAdapter = /software|llvmpipe|lavapipe|swiftshader/i.test(gpu.adapterName);
    this.queue = new CommandQueue(this.device, this.errors);
    this.kernels = new KernelCache(this.device, this.errors);
    this.device.lost.then((info) => {
      if (!this.destroyed) this.errors.record('device', `device lost: ${info.message}`);
    });
    this.device.onuncapturederror = (event) => {
      this.errors.record('device', event.error.message);
    };
    this.context = {
      device: this.device,
      queue: this.queue,
      kernels: this.kernels,
      resolve: (buffer, operation) => this.resolve(buffer, operation),
      allocateScratch: (length) => this.allocate(length),
      releaseScratch: (buffer) => this.dispose(buffer),
      depthSplit: options.depthSplit ?? 'auto',
      softwareAdapter,
      broadcastLanes: softwareAdapter && (options.broadcastLanes ?? true) && holdsWorkgroupInSubgroup(gpu),
    };
  }

  private get device(): GPUDevice {
    return this.gpu.device;
  }

  /**
   * @internal Whether the lanes GEMM kernel broadcasts A values across a subgroup (tests check
   * that llvmpipe gets it, since falling back would only be slower, not wrong).
   */
  get broadcastsLanes(): boolean {
    return this.context.broadcastLanes;
  }

  /** Number of compiled pipelines (for compile-once checks). */
  get compiledKernelCount(): number {
    return this.kernels.size;
  }

  allocate(length: number): DeviceBuffer {
    this.assertAlive('allocate');
    const limits = this.device.limits;
    const maxBytes = Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize);
    if (length * 4 > maxBytes) {
      throw new GpuJsBackendError(
        'webgpu',
        'allocate',
        `${length} float32 elements need ${length * 4} bytes; this adapter allows ${maxBytes} per storage buffer`,
      );
    }
    const storage = this.device.createBuffer({
      label: `recurrent buffer ${this.nextId}`,
      size: Math.max(4, length * 4),
      usage: CommandQueue.bufferUsage,
    });
    const buffer = new WebGpuDeviceBuffer(this, length, storage, this.nextId++);
    this.live.add(buffer);
    return buffer;
  }

  write(buffer: DeviceBuffer, data: ArrayLike<number>, offset = 0): void {
    const target = this.resolve(buffer, 'write');
    if (data.length === 0) return;
    const values = data instanceof Float32Array ? data : Float32Array.from(data);
    this.queue.write(target.storage, offset * 4, values);
  }

  async download(buffer: DeviceBuffer, offset = 0, length?: number): Promise<Float32Array> {
    const source = this.resolve(buffer, 'download');
    const count = length ?? source.length - offset;
    let result: Float32Array;
    try {
      result = await this.queue.read(source.storage, offset * 4, count * 4);
    } catch (cause) {
      // A recorded fault (device lost, failed kernel) explains a failed read better than the read.
      await this.errors.check();
      throw new GpuJsBackendError(
        'webgpu',
        'download',
        `reading buffer ${source.id} failed: ${String(cause)}`,
        {
          cause,
        },
      );
    }
    await this.errors.check();
    return result;
  }

  dispose(buffer: DeviceBuffer): void {
    if (!(buffer instanceof WebGpuDeviceBuffer) || buffer.owner !== this || buffer.disposed) return;
    buffer.disposed = true;
    this.live.delete(buffer);
    this.queue.release(buffer.storage);
  }

  isDisposed(buffer: DeviceBuffer): boolean {
    return buffer instanceof WebGpuDeviceBuffer && buffer.disposed;
  }

  liveBufferCount(): number {
    return this.live.size;
  }

  gemm(a: MatrixView, b: MatrixView, c: MatrixView, options?: GemmOptions): void {
    this.assertAlive('gemm');
    encodeGemm(this.context, a, b, c, options);
  }

  sumRows(src: MatrixView, out: MatrixView, beta?: number): void {
    this.assertAlive('sumRows');
    encodeSumRows(this.context, src, out, beta);
  }

  pointwise(kernel: PointwiseKernel, launch: PointwiseLaunch): void {
    this.assertAlive(kernel.name);
    encodePointwise(this.context, kernel, launch);
  }

  async flush(): Promise<void> {
    if (this.destroyed) return;
    await this.queue.drain();
    await this.errors.check();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const buffer of this.live) buffer.disposed = true;
    this.live.clear();
    this.queue.destroy();
    this.kernels.clear();
    this.device.destroy();
  }

  private assertAlive(operation: string): void {
    if (this.destroyed) throw new GpuJsBackendError('webgpu', operation, 'the backend has been destroyed');
  }

  private resolve(buffer: DeviceBuffer, operation: string): WebGpuDeviceBuffer {
    this.assertAlive(operation);
    if (!(buffer instanceof WebGpuDeviceBuffer) || buffer.owner !== this) {
      throw new GpuJsBackendError('webgpu', operation, 'the buffer belongs to another backend');
    }
    if (buffer.disposed)
      throw new GpuJsBackendError('webgpu', operation, `buffer ${buffer.id} has been disposed`);
    return buffer;
  }
}

/**
 * Whether the device's subgroups are enabled and at least {@link LANES_GEMM_ROWS} invocations
 * wide, so one 8-invocation workgroup of the lanes GEMM kernel is one subgroup.
 */
function holdsWorkgroupInSubgroup(gpu: WebGpuDevice): boolean {
  const minimum = gpu.adapter.info?.subgroupMinSize ?? 0;
  return gpu.device.features.has('subgroups') && minimum >= LANES_GEMM_ROWS;
}
