import type { PointwiseKernel } from '@recurrent/core';

const kernels = new Map<number, PointwiseKernel>();

/**
 * `count` inputs copied to `count` outputs, element by element (outputs may name inputs, so
 * there are no steps). Used to gather inputs from many buffers into one when a launch would
 * bind more storage buffers than the adapter allows. One kernel object per count, so the
 * compile cache sees the same kernel every time.
 */
export function packKernel(count: number): PointwiseKernel {
  let kernel = kernels.get(count);
  if (!kernel) {
    const inputs = Array.from({ length: count }, (_, index) => `value${index}`);
    kernel = { name: `backend-gpujs/pack-${count}`, inputs, steps: [], outputs: inputs, helpers: [] };
    kernels.set(count, kernel);
  }
  return kernel;
}
