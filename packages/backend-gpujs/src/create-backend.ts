import type { Backend } from '@recurrent/core';
import { GpuJsCpuBackend } from './cpu-mode-backend.js';
import { GpuJsBackendError } from './errors.js';
import { WebGpuBackend } from './webgpu-backend.js';
import { requestWebGpuDevice } from './webgpu-device.js';

/** The gpu.js modes this package knows of; see the README for which ones run. */
export type GpuJsMode = 'webgpu' | 'webgl2' | 'webgl' | 'headlessgl' | 'cpu';

export interface GpuJsBackendOptions {
  /**
   * Default `webgpu`. Never falls back: an unavailable mode is an error. `cpu` runs only when
   * asked for by name (gpu.js's JavaScript translation on host memory, for debugging).
   */
  readonly mode?: GpuJsMode;
  /**
   * WebGPU only: offer `Backend.fusedRecurrentStep` (recurrent product and cell step in one
   * launch). Default false: on llvmpipe it measured slower than the two separate launches.
   */
  readonly fuseRecurrentStep?: boolean;
}

/**
 * Creates the gpu.js backend. Resolves once the device is ready; rejects with a
 * {@link GpuJsBackendError} naming what is missing when the requested mode cannot run.
 */
export async function createGpuJsBackend(options: GpuJsBackendOptions = {}): Promise<Backend> {
  const mode = options.mode ?? 'webgpu';
  if (mode === 'cpu') return new GpuJsCpuBackend();
  if (mode !== 'webgpu') {
    throw new GpuJsBackendError(
      mode,
      undefined,
      `mode "${mode}" is not implemented by this version: "webgpu" runs on GPUs (storage buffers are ` +
        'what make device-resident strided views cheap) and "cpu" on request; use ' +
        '@recurrent/backend-cpu for a fast CPU backend',
    );
  }
  return new WebGpuBackend(await requestWebGpuDevice(), {
    fuseRecurrentStep: options.fuseRecurrentStep ?? false,
  });
}
