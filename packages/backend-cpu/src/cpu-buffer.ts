import type { Backend, DeviceBuffer } from '@recurrent/core';
import { CpuBackendError } from './errors.js';

/** Typed array the backend stores elements in; one kind per backend instance. */
export type CpuArray = Float32Array | Float64Array;

/** A host-memory buffer: a typed array plus the bookkeeping the contract asks for. */
export interface CpuBuffer extends DeviceBuffer {
  readonly id: number;
  /** The elements; replaced by an empty array on dispose so stale use cannot read old data. */
  data: CpuArray;
  disposed: boolean;
  /** Bumped by every operation that writes the buffer, so packed copies can be reused safely. */
  version: number;
}

/**
 * Narrows a handle to this backend's buffer, failing loudly when the buffer belongs to another
 * backend or was disposed.
 */
export function resolveBuffer(owner: Backend, buffer: DeviceBuffer, operation: string): CpuBuffer {
  if (buffer.owner !== owner) {
    throw new CpuBackendError(operation, 'buffer belongs to another backend instance');
  }
  const cpuBuffer = buffer as CpuBuffer;
  if (cpuBuffer.disposed) {
    throw new CpuBackendError(operation, `buffer #${cpuBuffer.id} was disposed`);
  }
  return cpuBuffer;
}
