import type { Backend } from '@recurrent/core';
import { GpuJsCpuBackend } from './cpu-mode-backend.js';
import type { DepthSplit } from './depth-split.js';
import { GpuJsBackendError } from './errors.js';
import { WebGl2Backend } from './webgl2-backend.js';
import { createWebGl2Context } from './webgl2-context.js';
import { WebGpuBackend } from './webgpu-backend.js';
import { requestWebGpuDevice } from './webgpu-device.js';

/** The gpu.js modes this package knows of; see the README for which ones run. */
export type GpuJsMode = 'webgpu' | 'webgl2' | 'webgl' | 'headlessgl' | 'cpu';

export interface GpuJsBackendOptions {
  /**
   * Forces a mode. Left out, the backend picks the best that starts: `webgpu` when WebGPU gives
   * an adapter, else `webgl2` (browsers and workers only), else it rejects naming what each
   * lacked. It never falls back to `cpu`: that mode (gpu.js's JavaScript translation on host
   * memory, for debugging) runs only when asked for by name.
   */
  readonly mode?: GpuJsMode;
  /**
   * WebGPU only: offer `Backend.fusedRecurrentStep` (recurrent product and cell step in one
   * launch). Default false: on llvmpipe it measured slower than the two separate launches.
   */
  readonly fuseRecurrentStep?: boolean;
  /**
   * WebGPU only: `auto` (default) splits the depth of products with few output tiles, and the
   * rows of tall row sums, across a workgroup on hardware GPUs, and runs products on software
   * rasterizers with a kernel suited to their SIMD lanes (`gemm-lanes-shader.ts`); `never` and
   * `always` force the hardware kernels (unsplit or split) on every adapter, for tests and
   * benchmarks.
   */
  readonly depthSplit?: DepthSplit;
}

function createWebGpu(options: GpuJsBackendOptions): Promise<Backend> {
  return requestWebGpuDevice().then(
    (device) =>
      new WebGpuBackend(device, {
        fuseRecurrentStep: options.fuseRecurrentStep ?? false,
        depthSplit: options.depthSplit ?? 'auto',
      }),
  );
}

function createWebGl2(): Backend {
  return new WebGl2Backend(createWebGl2Context());
}

/** The best mode that starts: WebGPU, then WebGL2; an error naming both failures otherwise. */
async function createBest(options: GpuJsBackendOptions): Promise<Backend> {
  let webGpuFailure: unknown;
  try {
    return await createWebGpu(options);
  } catch (caught) {
    webGpuFailure = caught;
  }
  try {
    return createWebGl2();
  } catch (webGl2Failure) {
    const reason = (failure: unknown) => (failure instanceof Error ? failure.message : String(failure));
    throw new GpuJsBackendError(
      'auto',
      undefined,
      `no GPU mode can start (gpu.js's cpu mode is never chosen automatically; pass { mode: 'cpu' } ` +
        `to debug on the CPU). webgpu: ${reason(webGpuFailure)}. webgl2: ${reason(webGl2Failure)}`,
      { cause: webGpuFailure },
    );
  }
}

/**
 * Creates the gpu.js backend. Resolves once the device is ready; rejects with a
 * {@link GpuJsBackendError} naming what is missing when the requested mode (or, by default,
 * every GPU mode) cannot run. `backend.info.device` says which mode runs, `info.adapter` on what.
 */
export async function createGpuJsBackend(options: GpuJsBackendOptions = {}): Promise<Backend> {
  const mode = options.mode;
  if (mode === undefined) return createBest(options);
  if (mode === 'cpu') return new GpuJsCpuBackend();
  if (mode === 'webgpu') return createWebGpu(options);
  if (mode === 'webgl2') return createWebGl2();
  throw new GpuJsBackendError(
    mode,
    undefined,
    `mode "${mode}" is not implemented by this version: "webgpu" and "webgl2" run on GPUs, "cpu" on ` +
      'request; use @recurrent/backend-cpu for a fast CPU backend',
  );
}
