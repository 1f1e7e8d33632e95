import type { Backend, PointwiseKernel } from '@recurrent/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpuJsBackendError } from './errors.js';
import { createTestBackend, randomValues, testModes, upload, view } from './test-backend.js';

function sum2(a: number, b: number): number {
  return a + b;
}
const scale = (value: number, factor: number) => value * factor;
function clampUnit(x: number): number {
  return Math.min(Math.max(x, -1), 1);
}
function softStep(x: number): number {
  let y = 0;
  if (x > 0) {
    y = clampUnit(x * 2);
  } else {
    y = x > -0.5 ? -0.25 : Math.tanh(x);
  }
  return y;
}

const kernel: PointwiseKernel = {
  name: 'test/scaled-sum',
  inputs: ['a', 'b', 'k'],
  steps: [
    { name: 's', args: ['a', 'b'], fn: sum2 },
    { name: 'y', args: ['s', 'k'], fn: scale },
    { name: 'z', args: ['y'], fn: softStep },
  ],
  outputs: ['y', 's', 'a', 'z'],
  helpers: [clampUnit],
};

describe.each(testModes)('gpujs pointwise (%s)', (mode) => {
  let backend: Backend & { compiledKernelCount?: number };
  beforeAll(async () => {
    backend = await createTestBackend(mode);
  });
  afterAll(() => backend.destroy());

  it('gathers strided, broadcast and constant inputs and writes set/add/null outputs', async () => {
    const rows = 3;
    const units = 5;
    const aData = randomValues(2 + rows * 8, 1);
    const bias = randomValues(units, 2);
    const outData = randomValues(rows * 4 * units, 3);
    const a = upload(backend, aData);
    const b = upload(backend, bias);
    const out = upload(backend, outData);
    const outView = view(out, rows, 4 * units);
    backend.pointwise(kernel, {
      rows,
      units,
      inputs: [{ view: view(a, rows, units, 0, 8), column: 2 }, { view: view(b, rows, units, 0, 0) }, 0.5],
      outputs: [
        { view: outView, column: 0 },
        { view: outView, column: units, mode: 'add' },
        null,
        { view: outView, column: 3 * units },
      ],
    });
    const actual = await backend.download(out);
    const expected = Float64Array.from(outData);
    for (let row = 0; row < rows; row++) {
      for (let unit = 0; unit < units; unit++) {
        const s = aData[2 + row * 8 + unit]! + bias[unit]!;
        const at = row * 4 * units + unit;
        expected[at] = s * 0.5;
        expected[at + units] = outData[at + units]! + s;
        expected[at + 3 * units] = softStep(s * 0.5);
      }
    }
    for (let index = 0; index < expected.length; index++) {
      expect(actual[index]).toBeCloseTo(expected[index]!, 6);
    }
    for (const buffer of [a, b, out]) backend.dispose(buffer);
  });

  it('reads and writes disjoint views of one buffer, compiling once across offsets', async () => {
    const units = 4;
    const steps = 40;
    const state = backend.allocate((steps + 1) * units);
    backend.write(state, [1, 2, 3, 4]);
    const before = backend.compiledKernelCount;
    for (let step = 0; step < steps; step++) {
      backend.pointwise(kernel, {
        rows: 1,
        units,
        inputs: [{ view: view(state, 1, units, step * units) }, 1, 1],
        outputs: [{ view: view(state, 1, units, (step + 1) * units) }, null, null, null],
      });
    }
    const last = await backend.download(state, steps * units, units);
    expect(Array.from(last)).toEqual([41, 42, 43, 44]);
    if (before !== undefined) expect(backend.compiledKernelCount).toBe(before + 1);
    backend.dispose(state);
  });

  it('keeps two kernels apart that share a name by mistake', async () => {
    const doubled: PointwiseKernel = {
      name: kernel.name,
      inputs: ['a'],
      steps: [{ name: 'y', args: ['a', 'a'], fn: sum2 }],
      outputs: ['y'],
      helpers: [],
    };
    const input = upload(backend, [1, 2]);
    const out = backend.allocate(4);
    backend.pointwise(kernel, {
      rows: 1,
      units: 2,
      inputs: [{ view: view(input, 1, 2) }, 0, 3],
      outputs: [{ view: view(out, 1, 2) }, null, null, null],
    });
    backend.pointwise(doubled, {
      rows: 1,
      units: 2,
      inputs: [{ view: view(input, 1, 2) }],
      outputs: [{ view: view(out, 1, 2, 2) }],
    });
    expect(Array.from(await backend.download(out))).toEqual([3, 6, 2, 4]);
    backend.dispose(input);
    backend.dispose(out);
  });

  it('passes constants that change per call through parameters after a few baked variants', async () => {
    const input = upload(backend, [1, 2]);
    const out = backend.allocate(2 * 10);
    const before = backend.compiledKernelCount ?? 0;
    for (let call = 0; call < 10; call++) {
      backend.pointwise(kernel, {
        rows: 1,
        units: 2,
        inputs: [{ view: view(input, 1, 2) }, 0, call + 0.5],
        outputs: [{ view: view(out, 1, 2, 2 * call) }, null, null, null],
      });
    }
    const expected = Array.from({ length: 10 }, (_, call) => [call + 0.5, 2 * (call + 0.5)]).flat();
    expect(Array.from(await backend.download(out))).toEqual(expected);
    if (backend.compiledKernelCount !== undefined)
      expect(backend.compiledKernelCount - before).toBeLessThanOrEqual(5);
    backend.dispose(input);
    backend.dispose(out);
  });

  it('covers launches past the per-dimension workgroup limit (folded dispatch)', async () => {
    const rows = 2;
    const units = 2_100_000; // 4.2M elements > 65,535 workgroups of 64
    const input = upload(
      backend,
      Float32Array.from({ length: rows * units }, (_, index) => index % 1000),
    );
    const out = backend.allocate(rows * units);
    backend.pointwise(kernel, {
      rows,
      units,
      inputs: [{ view: view(input, rows, units) }, 1, 2],
      outputs: [{ view: view(out, rows, units) }, null, null, null],
    });
    const result = await backend.download(out);
    for (const index of [0, 1, 4_194_239, 4_194_240, rows * units - 1]) {
      expect(result[index]).toBe(((index % 1000) + 1) * 2);
    }
    backend.dispose(input);
    backend.dispose(out);
  });

  // WGSL forbids recursion, so this kernel fails to compile on WebGPU (JavaScript runs it fine).
  if (mode === 'webgpu') {
    it('surfaces a WGSL compile error at the next download, naming the kernel', async () => {
      function countdown(a: number): number {
        return a > 1 ? countdown(a - 1) : a;
      }
      const recursive: PointwiseKernel = {
        name: 'test/recursive',
        inputs: ['a'],
        steps: [{ name: 'y', args: ['a'], fn: countdown }],
        outputs: ['y'],
        helpers: [],
      };
      const buffer = backend.allocate(4);
      const launch = { rows: 1, units: 2, inputs: [{ view: view(buffer, 1, 2) }] };
      let error: unknown;
      try {
        backend.pointwise(recursive, { ...launch, outputs: [{ view: view(buffer, 1, 2, 2) }] });
        await backend.download(buffer);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(GpuJsBackendError);
      expect(String(error)).toMatch(/test\/recursive/);
      backend.dispose(buffer);
      // The backend stays usable after reporting the fault.
      const fine = upload(backend, [1, 2]);
      expect(Array.from(await backend.download(fine))).toEqual([1, 2]);
      backend.dispose(fine);
    });
  }

  it('names the kernel when gpu.js cannot translate a step', () => {
    const broken: PointwiseKernel = {
      name: 'test/untranslatable',
      inputs: ['a'],
      steps: [{ name: 'y', args: ['a'], fn: (a: number) => [a, 1].indexOf(a) }],
      outputs: ['y'],
      helpers: [],
    };
    const buffer = backend.allocate(2);
    const launch = { rows: 1, units: 2, inputs: [{ view: view(buffer, 1, 2) }], outputs: [null] };
    expect(() => backend.pointwise(broken, { ...launch, outputs: [{ view: view(buffer, 1, 2) }] })).toThrow(
      GpuJsBackendError,
    );
    expect(() => backend.pointwise(broken, { ...launch, outputs: [{ view: view(buffer, 1, 2) }] })).toThrow(
      /test\/untranslatable/,
    );
    backend.dispose(buffer);
  });
});
