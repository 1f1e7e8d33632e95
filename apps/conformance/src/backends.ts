/**
 * Every backend the CLI knows, in ONE place. A new backend package adds one entry here.
 * Each is loaded at run time, so a missing or broken package makes that backend unavailable
 * (with the reason in the report), never the CLI.
 */
import type { BackendSpec } from '@recurrent/conformance';

export const backendSpecs: readonly BackendSpec[] = [
  {
    name: 'reference',
    expected: { device: 'cpu', dtype: 'float64' },
    create: async () => (await import('@recurrent/core/reference')).createReferenceBackend(),
  },
  {
    name: 'cpu',
    // Its GEMM runs in WebAssembly (device 'wasm'); 'cpu' when built without it.
    expected: { device: ['wasm', 'cpu'], dtype: 'float32' },
    create: async () => (await import('@recurrent/backend-cpu')).createCpuBackend({ dtype: 'float32' }),
  },
  {
    name: 'cpu-f64',
    expected: { device: ['wasm', 'cpu'], dtype: 'float64' },
    create: async () => (await import('@recurrent/backend-cpu')).createCpuBackend({ dtype: 'float64' }),
  },
  {
    name: 'gpujs',
    // Must really run on WebGPU: a gpu.js backend that ends up on its CPU mode fails the capabilities check.
    expected: { device: 'webgpu', dtype: 'float32' },
    create: async () => (await import('@recurrent/backend-gpujs')).createGpuJsBackend({ mode: 'webgpu' }),
  },
];

/**
 * Variants run only when named (`--backend gpujs-fused`), not in the default run, to measure
 * them against the default in the same run: the CPU backend on the calling thread alone
 * (`cpu-1thread`, no GEMM worker threads); the gpu.js backend with core's fused recurrent step
 * (one launch per time step), and with the depth-split kernels off (`gpujs-tiled`). Their own
 * tests already put these through the suite.
 */
export const namedOnlyBackendSpecs: readonly BackendSpec[] = [
  {
    name: 'cpu-1thread',
    expected: { device: ['wasm', 'cpu'], dtype: 'float32' },
    create: async () =>
      (await import('@recurrent/backend-cpu')).createCpuBackend({ dtype: 'float32', threads: 1 }),
  },
  {
    name: 'gpujs-fused',
    expected: { device: 'webgpu', dtype: 'float32' },
    create: async () =>
      (await import('@recurrent/backend-gpujs')).createGpuJsBackend({
        mode: 'webgpu',
        fuseRecurrentStep: true,
      }),
  },
  {
    name: 'gpujs-tiled',
    expected: { device: 'webgpu', dtype: 'float32' },
    create: async () =>
      (await import('@recurrent/backend-gpujs')).createGpuJsBackend({ mode: 'webgpu', depthSplit: 'never' }),
  },
];

/** Default selection: every backend except the slow reference is benchmarked. */
export const defaultBenchmarkBackends: readonly string[] = ['cpu', 'cpu-f64', 'gpujs'];
