/** Pointwise checks shared by the WebAssembly, compiled-loop and generic-loop test files. */
import type { Backend, DType, PointwiseKernel } from '@recurrent/core';
import { expect, it } from 'vitest';
import { createCpuBackend } from './cpu-backend.js';
import { pointwisePaths } from './pointwise-paths.js';

type Step = readonly [name: string, args: readonly string[], fn: (...args: number[]) => number];

function kernel(
  name: string,
  inputs: string[],
  steps: Step[],
  outputs: string[],
  helpers: ((...args: number[]) => number)[],
): PointwiseKernel {
  return {
    name,
    inputs,
    steps: steps.map(([stepName, args, fn]) => ({ name: stepName, args, fn })),
    outputs,
    helpers,
  };
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
function sum2(a: number, b: number): number {
  return a + b;
}
function scaledGate(pre: number, scale: number): number {
  return sigmoid(pre) * scale;
}
function product(a: number, b: number): number {
  return a * b;
}
function neverCalled(): number {
  throw new Error('a step no bound output needs was evaluated');
}

/** pre = x + bias; gate = σ(pre)·scale; next = gate·h; outputs gate, next, pre, and x itself. */
const gateKernel = kernel(
  'test/gate',
  ['x', 'bias', 'h', 'scale'],
  [
    ['pre', ['x', 'bias'], sum2],
    ['gate', ['pre', 'scale'], scaledGate],
    ['next', ['gate', 'h'], product],
    ['unused', [], neverCalled],
  ],
  ['gate', 'next', 'pre', 'x', 'unused'],
  [sigmoid],
);

function filled(backend: Backend, values: number[]) {
  const buffer = backend.allocate(values.length);
  backend.write(buffer, values);
  return buffer;
}

/** Which loop the cases must run on; each case checks that every launch took it. */
export type PointwisePath = 'wasm' | 'compiled' | 'generic';

export function pointwiseCases(path: PointwisePath): void {
  const create = (dtype: DType = 'float32') => createCpuBackend({ dtype, wasmPointwise: path === 'wasm' });
  const expectPath = (backend: Backend, launches: number) => {
    const paths = pointwisePaths(backend)!;
    expect(paths.fallbacks).toEqual([]);
    expect(paths[path]).toBe(launches);
  };

  it('evaluates steps per element with broadcast rows, constants, column offsets, add mode and skipped outputs', async () => {
    const backend = create('float64');
    const rows = 3;
    const units = 2;
    // x lives in columns [1, 3) of a 3 × 4 matrix; the bias is one row broadcast to all rows.
    const xValues = [0, 0.5, -1, 0, 0, 2, 0.25, 0, 0, -0.75, 1.5, 0];
    const x = filled(backend, xValues);
    const bias = filled(backend, [0.1, -0.2]);
    const h = filled(backend, [1, 2, 3, 4, 5, 6]);
    const gateOut = backend.allocate(6);
    const nextOut = filled(backend, [10, 20, 30, 40, 50, 60]);
    const xCopy = backend.allocate(6);
    backend.pointwise(gateKernel, {
      rows,
      units,
      inputs: [
        { view: { buffer: x, offset: 0, rows, cols: 4, rowStride: 4 }, column: 1 },
        { view: { buffer: bias, offset: 0, rows: 1, cols: 2, rowStride: 0 } },
        { view: { buffer: h, offset: 0, rows, cols: 2, rowStride: 2 } },
        0.5,
      ],
      outputs: [
        { view: { buffer: gateOut, offset: 0, rows, cols: 2, rowStride: 2 } },
        { view: { buffer: nextOut, offset: 0, rows, cols: 2, rowStride: 2 }, mode: 'add' },
        null,
        { view: { buffer: xCopy, offset: 0, rows, cols: 2, rowStride: 2 }, mode: 'set' },
        null,
      ],
    });
    const gates = await backend.download(gateOut);
    const next = await backend.download(nextOut);
    const copies = await backend.download(xCopy);
    for (let row = 0; row < rows; row++) {
      for (let unit = 0; unit < units; unit++) {
        const index = row * units + unit;
        const xValue = xValues[row * 4 + 1 + unit]!;
        const gate = sigmoid(xValue + [0.1, -0.2][unit]!) * 0.5;
        expect(gates[index]).toBeCloseTo(gate, 15);
        expect(next[index]).toBeCloseTo((index + 1) * 10 + gate * (index + 1), 13);
        expect(copies[index]).toBe(xValue);
      }
    }
    expectPath(backend, 1);
    backend.destroy();
  });

  it('gives the same results in float32, rounded once per store (JavaScript) or within 1 ulp (float32 lanes)', async () => {
    const backend = create('float32');
    const x = filled(backend, [0.3, -0.7]);
    const out = backend.allocate(2);
    backend.pointwise(gateKernel, {
      rows: 1,
      units: 2,
      inputs: [{ view: { buffer: x, offset: 0, rows: 1, cols: 2, rowStride: 2 } }, 0, 1, 2],
      outputs: [{ view: { buffer: out, offset: 0, rows: 1, cols: 2, rowStride: 2 } }, null, null, null, null],
    });
    const expected = [0.3, -0.7].map((value) => Math.fround(sigmoid(Math.fround(value)) * 2));
    const actual = [...(await backend.download(out))];
    if (path === 'wasm') {
      actual.forEach((value, index) => {
        expect(Math.abs(value - expected[index]!)).toBeLessThanOrEqual(2 ** -24);
      });
    } else expect(actual).toEqual(expected);
    expectPath(backend, 1);
  });

  it('follows each launch of a kernel: changed constants (−0 against 0 included) and output modes', async () => {
    const backend = create('float64');
    const x = filled(backend, [0.3, -0.7]);
    const out = filled(backend, [1, 1]);
    const launchWith = (scale: number, mode: 'set' | 'add') =>
      backend.pointwise(gateKernel, {
        rows: 1,
        units: 2,
        inputs: [{ view: { buffer: x, offset: 0, rows: 1, cols: 2, rowStride: 2 } }, 0, 1, scale],
        outputs: [
          { view: { buffer: out, offset: 0, rows: 1, cols: 2, rowStride: 2 }, mode },
          null,
          null,
          null,
          null,
        ],
      });
    const gate = (value: number, scale: number) => sigmoid(value) * scale;
    let expected = [1, 1];
    // Repeats of one signature, then changes of each part of it, then back.
    const sequence: [number, 'set' | 'add'][] = [
      [0.5, 'set'],
      [0.5, 'set'],
      [2, 'set'],
      [2, 'add'],
      [-0, 'set'],
      [0, 'add'],
      [0.5, 'set'],
    ];
    for (const [scale, mode] of sequence) {
      launchWith(scale, mode);
      expected = [0.3, -0.7].map((value, index) =>
        mode === 'add' ? expected[index]! + gate(value, scale) : gate(value, scale),
      );
      const actual = [...(await backend.download(out))];
      actual.forEach((value, index) => {
        expect(value).toBeCloseTo(expected[index]!, 14);
        // σ(x)·(−0) is −0; adding to it or multiplying by +0 gives +0.
        expect(Object.is(value, -0)).toBe(Object.is(expected[index], -0));
      });
    }
    expectPath(backend, sequence.length);
  });

  it('reads and writes side-by-side windows of one buffer at batch 1 (inputs, set and add outputs touching)', async () => {
    const backend = create('float64');
    // One buffer: x | bias | h | gate (set) | next (add) | untouched, two elements each.
    const initial = [0.5, -1, 0.1, -0.2, 3, 4, 99, 99, 10, 20, 7, 8];
    const buffer = filled(backend, initial);
    const window = (column: number) => ({
      view: { buffer, offset: 0, rows: 1, cols: 12, rowStride: 12 },
      column,
    });
    backend.pointwise(gateKernel, {
      rows: 1,
      units: 2,
      inputs: [window(0), window(2), window(4), 0.5],
      outputs: [window(6), { ...window(8), mode: 'add' }, null, null, null],
    });
    const result = [...(await backend.download(buffer))];
    const gates = [0, 1].map((unit) => sigmoid(initial[unit]! + initial[2 + unit]!) * 0.5);
    expect(result.slice(0, 6)).toEqual(initial.slice(0, 6));
    result.slice(6, 8).forEach((value, unit) => {
      expect(value).toBeCloseTo(gates[unit]!, 15);
    });
    result.slice(8, 10).forEach((value, unit) => {
      expect(value).toBeCloseTo(initial[8 + unit]! + gates[unit]! * initial[4 + unit]!, 13);
    });
    expect(result.slice(10)).toEqual([7, 8]);
    expectPath(backend, 1);
  });

  it('sees every change to an input between launches (write, GEMM, another kernel), at batch 1', async () => {
    const backend = create('float64');
    const x = filled(backend, [0.25, -0.5]);
    const bias = filled(backend, [0.1, 0.2]);
    const h = filled(backend, [1, 1]);
    const out = backend.allocate(2);
    const row = (buffer: ReturnType<typeof filled>) => ({
      view: { buffer, offset: 0, rows: 1, cols: 2, rowStride: 2 },
    });
    const launchGate = () =>
      backend.pointwise(gateKernel, {
        rows: 1,
        units: 2,
        inputs: [row(x), row(bias), row(h), 1],
        outputs: [row(out), null, null, null, null],
      });
    const expectGates = async (biasValues: number[]) => {
      const actual = await backend.download(out);
      [0.25, -0.5].forEach((value, unit) => {
        expect(actual[unit]).toBeCloseTo(sigmoid(value + biasValues[unit]!), 15);
      });
    };
    launchGate();
    await expectGates([0.1, 0.2]);
    launchGate();
    await expectGates([0.1, 0.2]);
    backend.write(bias, [-1, 2]);
    launchGate();
    await expectGates([-1, 2]);
    // The bias rewritten by a GEMM (1 × 1 · 1 × 2).
    const one = filled(backend, [1]);
    const weights = filled(backend, [3, -3]);
    backend.gemm(
      { buffer: one, offset: 0, rows: 1, cols: 1, rowStride: 1 },
      { buffer: weights, offset: 0, rows: 1, cols: 2, rowStride: 2 },
      { buffer: bias, offset: 0, rows: 1, cols: 2, rowStride: 2 },
    );
    launchGate();
    await expectGates([3, -3]);
    // The bias rewritten by another kernel (the next output of the same kernel, other loop).
    backend.pointwise(gateKernel, {
      rows: 1,
      units: 2,
      inputs: [row(x), row(h), row(h), 2],
      outputs: [row(bias), null, null, null, null],
    });
    const written = [...(await backend.download(bias))];
    launchGate();
    await expectGates(written);
    expectPath(backend, 6);
  });

  it('fails loudly on a binding count, column range or row count that does not fit', () => {
    const backend = create();
    const buffer = backend.allocate(8);
    const view = { buffer, offset: 0, rows: 2, cols: 4, rowStride: 4 };
    const out = backend.allocate(8);
    const outputs = [
      { view: { buffer: out, offset: 0, rows: 2, cols: 4, rowStride: 4 } },
      null,
      null,
      null,
      null,
    ];
    expect(() => backend.pointwise(gateKernel, { rows: 2, units: 4, inputs: [{ view }], outputs })).toThrow(
      /pointwise: kernel test\/gate takes 4 inputs/,
    );
    const inputs = [{ view, column: 1 }, 0, 0, 1];
    expect(() => backend.pointwise(gateKernel, { rows: 2, units: 4, inputs, outputs })).toThrow(
      /test\/gate input x reads columns \[1, 5\)/,
    );
    expect(() =>
      backend.pointwise(gateKernel, { rows: 3, units: 4, inputs: [{ view }, 0, 0, 1], outputs }),
    ).toThrow(/needs 3 rows; its view has 2/);
  });
}
