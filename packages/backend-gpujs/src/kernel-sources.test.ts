/**
 * A bundler's minifier names functions as it likes: `$o` (not a GLSL identifier) or `mix` (a
 * GLSL built-in). Every translation must give shaders names of this backend's own.
 */
import type { Backend, PointwiseKernel } from '@recurrent/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionNames } from './kernel-sources.js';
import { createTestBackend, testModes, upload, view } from './test-backend.js';
import { translateKernel } from './translate-kernel.js';
import { translateKernelToGlsl } from './translate-kernel-glsl.js';

/** A function whose `name` is `name`, as minified bundles have them. */
function named<T extends (...args: number[]) => number>(fn: T, name: string): T {
  return Object.defineProperty(fn, 'name', { value: name });
}

// Sources written as a minifier would: the step calls the helper by its short name.
const $o = named((x: number) => Math.max(x, 0) * 2, '$o');
const mix = named(
  new Function('a', 'b', 'return $o(a) + Math.exp(b) * 0.5;') as (a: number, b: number) => number,
  'mix',
);
const kernel: PointwiseKernel = {
  name: 'test/minified-names',
  inputs: ['a', 'b'],
  steps: [{ name: 'y', args: ['a', 'b'], fn: mix }],
  outputs: ['y'],
  helpers: [$o],
};
(globalThis as { $o?: unknown }).$o = $o;

describe('function names in translations', () => {
  it('names every function rcFunction<i> in GLSL and WGSL, calls included', () => {
    expect([...functionNames(kernel).values()]).toEqual(['rcFunction0', 'rcFunction1']);
    const glsl = translateKernelToGlsl(kernel);
    expect(glsl).not.toMatch(/\$o|float mix\(/);
    expect(glsl).toMatch(/rcFunction1\(float/);
    expect(glsl).toMatch(/rcFunction0\(/);
    const wgsl = translateKernel(kernel).module;
    expect(wgsl).not.toContain('$o');
    expect(wgsl).toMatch(/fn fn_rcFunction1\(/);
  });
});

describe.each(testModes)('a kernel with minified function names (%s)', (mode) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await createTestBackend(mode);
  });
  afterAll(() => backend.destroy());

  it('computes what the JavaScript functions compute', async () => {
    const a = upload(backend, [-1, 0.5, 2]);
    const b = upload(backend, [0, 1, -1]);
    const out = backend.allocate(3);
    backend.pointwise(kernel, {
      rows: 1,
      units: 3,
      inputs: [{ view: view(a, 1, 3) }, { view: view(b, 1, 3) }],
      outputs: [{ view: view(out, 1, 3) }],
    });
    const actual = await backend.download(out);
    [-1, 0.5, 2].forEach((value, index) => {
      expect(actual[index]).toBeCloseTo(mix(value, [0, 1, -1][index]!), 5);
    });
  });
});
