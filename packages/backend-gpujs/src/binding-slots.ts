import type { WebGpuDeviceBuffer } from './device-buffer.js';

/** One use of a buffer by a shader: which buffer, and whether the shader writes it. */
export interface BufferUse {
  readonly buffer: WebGpuDeviceBuffer;
  readonly writes: boolean;
}

/**
 * WebGPU forbids binding one buffer twice in a dispatch when either binding is writable, and
 * core may legitimately pass two views of one buffer (a state buffer's step t as input and step
 * t + 1 as output). So shaders bind each distinct buffer once, in a slot, and each use refers
 * to its slot. The slot pattern is part of a compiled shader's cache key.
 */
export interface SlotPlan {
  /** The distinct buffers, in slot order. */
  readonly buffers: readonly WebGpuDeviceBuffer[];
  /** Whether each slot is bound read-write. */
  readonly writable: readonly boolean[];
  /** For each use, its slot. */
  readonly slotOfUse: readonly number[];
  /** Cache-key fragment: which uses share slots, and which slots are writable. */
  readonly pattern: string;
}

export function planSlots(uses: readonly BufferUse[]): SlotPlan {
  const buffers: WebGpuDeviceBuffer[] = [];
  const writable: boolean[] = [];
  const slotOfUse: number[] = [];
  for (const use of uses) {
    let slot = buffers.indexOf(use.buffer);
    if (slot === -1) {
      slot = buffers.length;
      buffers.push(use.buffer);
      writable.push(false);
    }
    if (use.writes) writable[slot] = true;
    slotOfUse.push(slot);
  }
  const pattern = `${slotOfUse.join('.')}:${writable.map((w) => (w ? 'w' : 'r')).join('')}`;
  return { buffers, writable, slotOfUse, pattern };
}

/** WGSL declarations for the slots of a plan, bound from binding 1 (binding 0 holds the parameters). */
export function slotDeclarations(writable: readonly boolean[], group: number): string {
  return writable
    .map(
      (w, slot) =>
        `@group(${group}) @binding(${slot + 1}) var<storage, ${w ? 'read_write' : 'read'}> rcSlot${slot} : array<f32>;`,
    )
    .join('\n');
}
