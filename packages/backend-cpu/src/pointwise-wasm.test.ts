import { describe } from 'vitest';
import { pointwiseCases } from './test-pointwise-cases.js';

describe('pointwise (WebAssembly SIMD modules compiled from the kernels)', () => {
  pointwiseCases('wasm');
});
