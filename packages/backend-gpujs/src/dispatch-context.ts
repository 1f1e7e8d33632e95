import type { DeviceBuffer } from '@recurrent/core';
import type { CommandQueue } from './command-queue.js';
import type { DepthSplit } from './depth-split.js';
import type { WebGpuDeviceBuffer } from './device-buffer.js';
import { LANES_GEMM_COLUMNS, LANES_GEMM_ROWS } from './gemm-lanes-shader.js';
import { GEMM_TILE } from './gemm-shader.js';
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
  /** Which GEMM and row-sum kernels run: see {@link DepthSplit}. */
  readonly depthSplit: DepthSplit;
  /** The adapter is a software rasterizer (llvmpipe, SwiftShader): threads are CPU cores. */
  readonly softwareAdapter: boolean;
  /**
   * Subgroups are enabled and hold a whole 8-invocation workgroup: the lanes GEMM kernel then
   * loads each A value once, in one lane, and broadcasts it (`gemm-lanes-shader.ts`).
   */
  readonly broadcastLanes: boolean;
}

/** Output tiles (of the tiled kernel) below which a deep product splits its depth. */
const SPLIT_BELOW_TILES = 512;
/** Depth from which splitting it pays: below, the partial sums cost more than they save. */
const SPLIT_MIN_DEPTH = 64;
/** Rows from which a row sum splits them. */
const SPLIT_MIN_ROWS = 256;

/** Whether a product `m × n` over depth `k` (tile edge `tile`) runs the depth-split kernel. */
export function splitsGemm(context: DispatchContext, m: number, n: number, k: number, tile: number): boolean {
  if (context.depthSplit !== 'auto') return context.depthSplit === 'always';
  // On a software rasterizer workgroup barriers cost more than the extra parallelism gains.
  if (context.softwareAdapter) return false;
  return Math.ceil(m / tile) * Math.ceil(n / tile) < SPLIT_BELOW_TILES && k >= SPLIT_MIN_DEPTH;
}

/** The GEMM kernels of the WebGPU mode (see {@link gemmKernel}). */
export type GemmKernel = 'split' | 'tiled' | 'lanes';

/**
 * The GEMM kernel a product `m × n` over depth `k` runs: `split` (depth split inside a
 * workgroup, `gemm-split-shader.ts`), `tiled` (register-blocked tiles, `gemm-shader.ts`) or
 * `lanes` (blocks whose A values the lanes of one SIMD vector share, `gemm-lanes-shader.ts`),
 * which software rasterizers get under `auto` unless its grid would pass `maxGroups` workgroups
 * per dimension. `never` and `always` force the hardware kernels on every adapter, so tests
 * cover them on a software CI.
 */
export function gemmKernel(
  context: DispatchContext,
  m: number,
  n: number,
  k: number,
  maxGroups: number,
): GemmKernel {
  if (splitsGemm(context, m, n, k, GEMM_TILE)) return 'split';
  const lanesFit =
    Math.ceil(m / LANES_GEMM_ROWS) <= maxGroups && Math.ceil(n / LANES_GEMM_COLUMNS) <= maxGroups;
  return context.depthSplit === 'auto' && context.softwareAdapter && lanesFit ? 'lanes' : 'tiled';
}

/** Whether a row sum over `rows` rows runs the split kernel. */
export function splitsSumRows(context: DispatchContext, rows: number): boolean {
  if (context.depthSplit !== 'auto') return context.depthSplit === 'always';
  return !context.softwareAdapter && rows >= SPLIT_MIN_ROWS;
}

/** Workgroup counts for `groups` groups, folded across Y past the per-dimension limit. */
export function foldedWorkgroups(device: GPUDevice, groups: number): [number, number, number] {
  const limit = device.limits.maxComputeWorkgroupsPerDimension;
  if (groups <= limit) return [Math.max(1, groups), 1, 1];
  const y = Math.ceil(groups / limit);
  return [Math.ceil(groups / y), y, 1];
}
