import type { Backend, DeviceBuffer } from '@recurrent/core';

/** A `DeviceBuffer` backed by one WebGPU storage buffer of float32 elements. */
export class WebGpuDeviceBuffer implements DeviceBuffer {
  readonly length: number;
  readonly owner: Backend;
  readonly storage: GPUBuffer;
  /** Stable identity for cache keys and slot planning. */
  readonly id: number;
  disposed = false;

  constructor(owner: Backend, length: number, storage: GPUBuffer, id: number) {
    this.owner = owner;
    this.length = length;
    this.storage = storage;
    this.id = id;
  }
}
