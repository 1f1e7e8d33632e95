import { describe } from 'vitest';
import { pointwiseCases } from './test-pointwise-cases.js';

describe('pointwise (JavaScript loops compiled with new Function)', () => {
  pointwiseCases('compiled');
});
