import { describeBackendConformance } from '@recurrent/conformance/vitest';
import { createGpuJsBackend } from '../src/index.js';

// The shared suite on the WebGPU path (llvmpipe on CI). It must really run on WebGPU: a
// backend that ends up anywhere else fails the capabilities check instead of passing on the CPU.
describeBackendConformance('gpujs-webgpu', () => createGpuJsBackend({ mode: 'webgpu' }), {
  expected: { device: 'webgpu', dtype: 'float32' },
});
