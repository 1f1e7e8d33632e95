import { describe } from 'vitest';
import { pointwiseCases } from './test-pointwise-cases.js';

describe('pointwise (compiled loops)', () => {
  pointwiseCases();
});
