import { describe, expect, it, vi } from 'vitest';
import { compilePointwise } from './pointwise-compile.js';
import { pointwiseCases } from './test-pointwise-cases.js';

// As under a Content-Security-Policy without 'unsafe-eval': nothing can be compiled.
vi.mock('./pointwise-compile.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./pointwise-compile.js')>()),
  compilePointwise: () => null,
}));

describe('pointwise (generic loop, as where new Function is forbidden)', () => {
  it('really runs without compiling', () => {
    expect(compilePointwise({ inputCount: 0, fns: [], stepArgs: [], outputSlots: [] }, ':')).toBeNull();
  });
  pointwiseCases('generic');
});
