import type { Backend, MatrixView } from '@recurrent/core';
import { createGpuJsBackend, type GpuJsMode } from './create-backend.js';
import type { DepthSplit } from './depth-split.js';
import { WebGpuBackend } from './webgpu-backend.js';
import { requestWebGpuDevice } from './webgpu-device.js';

/**
 * Each primitive's kernels: WebGPU with the depth-split GEMM and row sum forced on and off
 * (`auto` picks by adapter, so without forcing, a software-rasterizer CI would test one of
 * them only), and gpu.js's cpu mode.
 */
export const kernelVariants = [
  ['webgpu', 'never'],
  ['webgpu', 'always'],
  ['cpu', 'auto'],
] as const satisfies readonly (readonly [(typeof testModes)[number], DepthSplit])[];

/** The modes that run: every primitive test runs on each. */
export const testModes = ['webgpu', 'cpu'] as const satisfies readonly GpuJsMode[];

/**
 * The real backend on the real WebGPU path (llvmpipe on CI), or gpu.js's cpu mode. Tests fail,
 * never skip, when WebGPU cannot start: a GPU backend suite that goes green without a GPU path
 * proves nothing.
 */
export async function createTestBackend(
  mode: (typeof testModes)[number] = 'webgpu',
  options: {
    readonly fuseRecurrentStep?: boolean;
    readonly depthSplit?: DepthSplit;
    /** WebGPU: false keeps the lanes GEMM kernel from broadcasting A across a subgroup. */
    readonly broadcastLanes?: boolean;
  } = {},
): Promise<Backend> {
  if (mode === 'webgpu' && options.broadcastLanes !== undefined) {
    return new WebGpuBackend(await requestWebGpuDevice(), options);
  }
  return createGpuJsBackend({ mode, ...options });
}

/** Deterministic pseudo-random values in [-1, 1) (xorshift). */
export function randomValues(length: number, seed: number): Float32Array {
  let state = seed >>> 0 || 1;
  const values = new Float32Array(length);
  for (let index = 0; index < length; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    values[index] = ((state >>> 0) / 0x100000000) * 2 - 1;
  }
  return values;
}

/** Uploads `values` into a new buffer. */
export function upload(backend: Backend, values: ArrayLike<number>) {
  const buffer = backend.allocate(values.length);
  backend.write(buffer, values);
  return buffer;
}

export function view(
  buffer: MatrixView['buffer'],
  rows: number,
  cols: number,
  offset = 0,
  rowStride = cols,
): MatrixView {
  return { buffer, rows, cols, offset, rowStride };
}

/** Largest |a - b| / (1 + |b|) over two arrays of equal length. */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  for (let index = 0; index < expected.length; index++) {
    const error = Math.abs(actual[index]! - expected[index]!) / (1 + Math.abs(expected[index]!));
    if (!(error <= worst)) worst = Number.isNaN(error) ? Number.POSITIVE_INFINITY : error;
  }
  return worst;
}
