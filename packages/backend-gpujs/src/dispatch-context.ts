import type { DeviceBuffer } from '@recurrent/core';
import type { CommandQueue } from './command-queue.js';
import type { WebGpuDeviceBuffer } from './device-buffer.js';
import type { KernelCache } from './kernel-cache.js';

/** What an operation needs to record a dispatch. */
export interface DispatchContext {
  readonly device: GPUDevice;
  readonly queue: CommandQueue;
  readonly kernels: KernelCache;
  /** Resolves a handle to this backend's buffer; throws on foreign or disposed handles. */
  resolve(buffer: DeviceBuffer, operation: string): WebGpuDeviceBuffer;
  /** A temporary buffer for work recorded next; released with {@link releaseScratch} once recorded. */
  allocateScratch(length: number): DeviceBuffer;
  /** Releases a scratch buffer; its destruction waits for the recorded work that uses it. */
  releaseScratch(buffer: DeviceBuffer): void;
}

/** Workgroup counts for `groups` groups, folded across Y past the per-dimension limit. */
export function foldedWorkgroups(device: GPUDevice, groups: number): [number, number, number] {
  const limit = device.limits.maxComputeWorkgroupsPerDimension;
  if (groups <= limit) return [Math.max(1, groups), 1, 1];
  const y = Math.ceil(groups / limit);
  return [Math.ceil(groups / y), y, 1];
}
