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
 * (`queue.writeBuffer` is ordered with submits, so the buffer is reused across batches), and
 * bound through a dynamic offset, so bind groups are cached per (pipeline, buffers): a time
 * step's dispatches bind the same buffers at every step, and creating a bind group per
 * dispatch was the largest host cost per step on a real GPU (Dawn on an NVIDIA H100).
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
  private readonly bindGroups = new BindGroupCache();
  private lastPipeline: ComputePipeline | null = null;

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
    const bindGroup = this.bindGroups.get(this.device, pipeline, this.paramsBuffer, dispatch);
    const pass = this.pass!;
    if (this.lastPipeline !== pipeline) {
      pass.setPipeline(pipeline.pipeline);
      pipeline.emptyGroups.forEach((group, index) => {
        pass.setBindGroup(index, group);
      });
      this.lastPipeline = pipeline;
    }
    this.dynamicOffset[0] = offset;
    pass.setBindGroup(pipeline.group, bindGroup, this.dynamicOffset, 0, 1);
    pass.dispatchWorkgroups(dispatch.workgroups[0], dispatch.workgroups[1], dispatch.workgroups[2]);
  }

  private readonly dynamicOffset = new Uint32Array(1);

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
      this.lastPipeline = null;
      this.arenaBytes = 0;
      this.dispatches = 0;
      this.labels = new Set();
    }
    for (const buffer of this.destroyAfterSubmit) buffer.destroy();
    this.destroyAfterSubmit = [];
  }

  /** Destroys `buffer` once the recorded work that may use it is submitted. */
  release(buffer: GPUBuffer): void {
    this.bindGroups.forget(buffer);
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
    this.lastPipeline = null;
    this.bindGroups.clear();
    for (const buffer of this.destroyAfterSubmit) buffer.destroy();
    this.destroyAfterSubmit = [];
    this.paramsBuffer.destroy();
  }

  /** Bind groups held in the cache, the key references its buffers hold, and groups created in all. */
  get bindGroupCacheSize(): {
    readonly groups: number;
    readonly keyReferences: number;
    readonly created: number;
  } {
    const cache = this.bindGroups;
    return { groups: cache.size, keyReferences: cache.keyReferences, created: cache.created };
  }

  /** COPY_SRC | COPY_DST | STORAGE: the usage of every buffer this backend allocates. */
  static readonly bufferUsage = 0x0080 | COPY_SRC | COPY_DST;
}

/**
 * Bind groups by (pipeline, parameter size, bound buffers). A buffer's entries are dropped when
 * it is released, so the cache holds no destroyed buffer and stays as large as the live set.
 */
class BindGroupCache {
  private readonly groups = new Map<string, { group: GPUBindGroup; buffers: readonly GPUBuffer[] }>();
  private readonly keysOfBuffer = new Map<GPUBuffer, Set<string>>();
  private readonly ids = new WeakMap<object, number>();
  private nextId = 1;
  /** Bind groups created so far. */
  created = 0;

  get(device: GPUDevice, pipeline: ComputePipeline, params: GPUBuffer, dispatch: Dispatch): GPUBindGroup {
    let key = `${this.idOf(pipeline)}:${dispatch.params.byteLength}`;
    for (const buffer of dispatch.buffers) key += `,${this.idOf(buffer)}`;
    const cached = this.groups.get(key);
    if (cached) return cached.group;
    const entries: GPUBindGroupEntry[] = [
      { binding: 0, resource: { buffer: params, offset: 0, size: dispatch.params.byteLength } },
    ];
    dispatch.buffers.forEach((buffer, slot) => {
      entries.push({ binding: slot + 1, resource: { buffer } });
    });
    const group = device.createBindGroup({ label: pipeline.label, layout: pipeline.layout, entries });
    this.created++;
    this.groups.set(key, { group, buffers: [...dispatch.buffers] });
    for (const buffer of dispatch.buffers) {
      let keys = this.keysOfBuffer.get(buffer);
      if (!keys) {
        keys = new Set();
        this.keysOfBuffer.set(buffer, keys);
      }
      keys.add(key);
    }
    return group;
  }

  forget(buffer: GPUBuffer): void {
    const keys = this.keysOfBuffer.get(buffer);
    if (!keys) return;
    this.keysOfBuffer.delete(buffer);
    for (const key of keys) {
      // The other buffers of a dropped group must not keep its key (they may live for the whole run).
      for (const other of this.groups.get(key)?.buffers ?? []) this.keysOfBuffer.get(other)?.delete(key);
      this.groups.delete(key);
    }
  }

  clear(): void {
    this.groups.clear();
    this.keysOfBuffer.clear();
  }

  /** Cached groups and the keys the buffers hold (tests check that released buffers leave none behind). */
  get size(): number {
    return this.groups.size;
  }

  get keyReferences(): number {
    let count = 0;
    for (const keys of this.keysOfBuffer.values()) count += keys.size;
    return count;
  }

  private idOf(object: object): number {
    let id = this.ids.get(object);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(object, id);
    }
    return id;
  }
}
