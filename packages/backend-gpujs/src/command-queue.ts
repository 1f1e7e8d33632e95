import type { ComputePipeline } from './compute-pipeline.js';
import type { ErrorLog } from './error-log.js';

const UNIFORM = 0x0040;
const COPY_DST = 0x0008;
const COPY_SRC = 0x0004;
const MAP_READ = 0x0001;
const MAP_MODE_READ = 0x0001;

/** Dispatches recorded before a submit (bounds the encoder and the parameter arena). */
const MAX_DISPATCHES_PER_SUBMIT = 256;
/** Parameter bytes per dispatch the arena holds on average (one alignment unit is 256 bytes). */
const ARENA_UNITS_PER_DISPATCH = 4;

export interface Dispatch {
  readonly pipeline: ComputePipeline;
  readonly params: Uint32Array;
  readonly buffers: readonly GPUBuffer[];
  readonly workgroups: readonly [number, number, number];
}

/**
 * Records dispatches into one compute pass and submits them in batches. Each dispatch gets its
 * own 256-byte-aligned slice of one uniform buffer, written with the batch just before submit
 * (`queue.writeBuffer` is ordered with submits, so the buffer is reused across batches).
 * Errors of a batch are captured by an error scope and logged with the kernels it held.
 */
export class CommandQueue {
  private readonly device: GPUDevice;
  private readonly errors: ErrorLog;
  private readonly alignment: number;
  private readonly arena: Uint32Array;
  private readonly paramsBuffer: GPUBuffer;
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private arenaBytes = 0;
  private dispatches = 0;
  private labels = new Set<string>();
  private destroyAfterSubmit: GPUBuffer[] = [];

  constructor(device: GPUDevice, errors: ErrorLog) {
    this.device = device;
    this.errors = errors;
    this.alignment = Math.max(256, device.limits.minUniformBufferOffsetAlignment);
    this.arena = new Uint32Array((this.alignment * MAX_DISPATCHES_PER_SUBMIT * ARENA_UNITS_PER_DISPATCH) / 4);
    this.paramsBuffer = device.createBuffer({
      label: 'recurrent params arena',
      size: this.arena.byteLength,
      usage: UNIFORM | COPY_DST,
    });
  }

  dispatch(dispatch: Dispatch): void {
    const bytes = Math.ceil(dispatch.params.byteLength / this.alignment) * this.alignment;
    if (this.arenaBytes + bytes > this.arena.byteLength || this.dispatches >= MAX_DISPATCHES_PER_SUBMIT) {
      this.submit();
    }
    if (!this.pass) {
      this.device.pushErrorScope('out-of-memory');
      this.device.pushErrorScope('validation');
      this.encoder = this.device.createCommandEncoder();
      this.pass = this.encoder.beginComputePass();
    }
    const offset = this.arenaBytes;
    this.arena.set(dispatch.params, offset / 4);
    this.arenaBytes += bytes;
    this.dispatches++;
    this.labels.add(dispatch.pipeline.label);
    const { pipeline } = dispatch;
    const entries: GPUBindGroupEntry[] = [
      { binding: 0, resource: { buffer: this.paramsBuffer, offset, size: dispatch.params.byteLength } },
    ];
    dispatch.buffers.forEach((buffer, slot) => {
      entries.push({ binding: slot + 1, resource: { buffer } });
    });
    const bindGroup = this.device.createBindGroup({
      label: pipeline.label,
      layout: pipeline.layout,
      entries,
    });
    const pass = this.pass!;
    pass.setPipeline(pipeline.pipeline);
    pipeline.emptyGroups.forEach((group, index) => {
      pass.setBindGroup(index, group);
    });
    pass.setBindGroup(pipeline.group, bindGroup);
    pass.dispatchWorkgroups(dispatch.workgroups[0], dispatch.workgroups[1], dispatch.workgroups[2]);
  }

  /** Submits what is recorded; buffers disposed meanwhile are destroyed after it. */
  submit(): void {
    if (this.encoder && this.pass) {
      this.pass.end();
      this.device.queue.writeBuffer(this.paramsBuffer, 0, this.arena.buffer, 0, this.arenaBytes);
      this.device.queue.submit([this.encoder.finish()]);
      const kernels = [...this.labels].join(', ');
      const scope = (error: GPUError | null) => (error ? error.message : undefined);
      this.errors.watch(this.device.popErrorScope().then(scope), kernels);
      this.errors.watch(this.device.popErrorScope().then(scope), kernels);
      this.encoder = null;
      this.pass = null;
      this.arenaBytes = 0;
      this.dispatches = 0;
      this.labels = new Set();
    }
    for (const buffer of this.destroyAfterSubmit) buffer.destroy();
    this.destroyAfterSubmit = [];
  }

  /** Destroys `buffer` once the recorded work that may use it is submitted. */
  release(buffer: GPUBuffer): void {
    if (this.encoder) this.destroyAfterSubmit.push(buffer);
    else buffer.destroy();
  }

  /** Writes host data after everything recorded so far. */
  write(buffer: GPUBuffer, byteOffset: number, data: Float32Array): void {
    this.submit();
    this.device.queue.writeBuffer(buffer, byteOffset, data.buffer, data.byteOffset, data.byteLength);
  }

  /** Copies `byteLength` bytes of `buffer` to the host after everything recorded so far. */
  async read(buffer: GPUBuffer, byteOffset: number, byteLength: number): Promise<Float32Array> {
    this.submit();
    if (byteLength === 0) return new Float32Array(0);
    const staging = this.device.createBuffer({ size: byteLength, usage: MAP_READ | COPY_DST });
    const encoder = this.device.createCommandEncoder();
    encoder.copyBufferToBuffer(buffer, byteOffset, staging, 0, byteLength);
    this.device.queue.submit([encoder.finish()]);
    try {
      await staging.mapAsync(MAP_MODE_READ);
      return new Float32Array(staging.getMappedRange().slice(0));
    } finally {
      staging.destroy();
    }
  }

  /** Waits until the device has finished everything submitted. */
  async drain(): Promise<void> {
    this.submit();
    await this.device.queue.onSubmittedWorkDone();
  }

  destroy(): void {
    if (this.pass) this.pass.end();
    this.encoder = null;
    this.pass = null;
    for (const buffer of this.destroyAfterSubmit) buffer.destroy();
    this.destroyAfterSubmit = [];
    this.paramsBuffer.destroy();
  }

  /** COPY_SRC | COPY_DST | STORAGE: the usage of every buffer this backend allocates. */
  static readonly bufferUsage = 0x0080 | COPY_SRC | COPY_DST;
}
