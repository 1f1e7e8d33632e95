import { describeBackendConformance } from '@recurrent/conformance/vitest';
import { createCpuBackend } from '../src/index.js';

// The shared suite, once per precision. float64 also runs the element-wise finite-difference
// gradient checks; float32 is held to the documented float32 tolerances. `device` is `wasm` when
// the WebAssembly SIMD GEMM runs and `cpu` on the TypeScript fallback.
describeBackendConformance('cpu-f32', () => createCpuBackend({ dtype: 'float32' }), {
  expected: { device: ['wasm', 'cpu'], dtype: 'float32' },
});
describeBackendConformance('cpu-f64', () => createCpuBackend({ dtype: 'float64' }), {
  expected: { device: ['wasm', 'cpu'], dtype: 'float64' },
});
// The plain-TypeScript GEMM must pass the same suite (the fallback where WebAssembly is missing).
describeBackendConformance('cpu-f64-typescript', () => createCpuBackend({ dtype: 'float64', wasm: false }), {
  expected: { device: 'cpu', dtype: 'float64' },
});
