import { describeBackendConformance } from '@recurrent/conformance/vitest';
import { createGpuJsBackend } from './create-backend.js';

// The plain WebGPU run of the shared suite lives in test/conformance.test.ts. These are the
// package's other configurations, through the same suite.

// gpu.js cpu mode (asked for by name): the whole suite, stating device cpu.
describeBackendConformance('gpujs-cpu', () => createGpuJsBackend({ mode: 'cpu' }), {
  expected: { device: 'cpu', dtype: 'float32' },
});

// The opt-in fused recurrent step (core uses it when offered): equivalence and invariants.
describeBackendConformance('gpujs-fused', () => createGpuJsBackend({ fuseRecurrentStep: true }), {
  expected: { device: 'webgpu', dtype: 'float32' },
  groups: ['equivalence', 'invariants'],
});
