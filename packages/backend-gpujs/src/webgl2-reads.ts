/// <reference lib="dom" />
// The WebGL2 mode runs in browsers: its types come from the DOM library wherever this file is compiled.
import type { WebGl2DeviceBuffer } from './webgl2-buffer.js';

/** A range of elements a pass reads from one buffer (first and last element, inclusive). */
export interface ElementRange {
  readonly buffer: WebGl2DeviceBuffer;
  readonly first: number;
  readonly last: number;
}

/** Where a pass reads: a texture bound to one sampler slot, and its first element. */
export interface ReadSlot {
  readonly texture: WebGLTexture;
  readonly origin: number;
}

/** What the caller must copy before the pass: rows `[firstRow, lastRow]` of the render target. */
export interface SnapshotRequest {
  readonly firstRow: number;
  readonly lastRow: number;
}

/**
 * Assigns sampler slots to a pass's reads. WebGL2 forbids sampling the texture being rendered
 * to (a feedback loop), while core legitimately reads step t of a state buffer and writes step
 * t + 1 of it, and `add` outputs and GEMM with `beta` read their own target. Reads of the target
 * therefore go to one snapshot slot: a copy of just the texel rows those reads span, made right
 * before the pass. Every other buffer gets one slot, shared by all its reads.
 */
export interface ReadPlan {
  /** For each read, its slot. */
  readonly slotOfRead: readonly number[];
  /** Distinct buffers in slot order; `null` marks the snapshot slot. */
  readonly slots: readonly (WebGl2DeviceBuffer | null)[];
  readonly snapshot: SnapshotRequest | null;
  /** Cache-key fragment: which reads share a slot. */
  readonly pattern: string;
}

export function planReads(
  reads: readonly ElementRange[],
  target: WebGl2DeviceBuffer,
  textureWidth: number,
): ReadPlan {
  const slots: (WebGl2DeviceBuffer | null)[] = [];
  const slotOfRead: number[] = [];
  let firstRow = Number.POSITIVE_INFINITY;
  let lastRow = -1;
  for (const read of reads) {
    const key = read.buffer === target ? null : read.buffer;
    if (key === null) {
      firstRow = Math.min(firstRow, Math.floor(read.first / textureWidth));
      lastRow = Math.max(lastRow, Math.floor(read.last / textureWidth));
    }
    let slot = slots.indexOf(key);
    if (slot === -1) {
      slot = slots.length;
      slots.push(key);
    }
    slotOfRead.push(slot);
  }
  return {
    slotOfRead,
    slots,
    snapshot: lastRow >= 0 ? { firstRow, lastRow } : null,
    pattern: slotOfRead.join('.'),
  };
}
