import {
  type ActivationName,
  activation,
  activationKinds,
  type Backend,
  type CellDefinition,
  cellVariants,
  type DType,
  gruCell,
  lstmCell,
  type PointwiseKernel,
  rnnCell,
} from '@recurrent/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from './cpu-backend.js';
import { pointwisePaths } from './pointwise-paths.js';
import { evaluate, stepKernel } from './test-wasm-pointwise.js';

type ScalarFunction = (...args: number[]) => number;

/** Runs every kernel of a cell once with random data on the WebAssembly and the JavaScript path. */
async function runCellKernels(cell: CellDefinition, dtype: DType, seed: number) {
  const kernels = [cell.forward, cell.backward, cell.intermediateForward, cell.intermediateBackward].filter(
    (kernel): kernel is PointwiseKernel => kernel !== undefined,
  );
  const rows = 3;
  const units = 5; // not a multiple of the lanes: the masked tail runs
  const results: number[][][] = [];
  const backends: Backend[] = [];
  for (const wasmPointwise of [true, false]) {
    const backend = createCpuBackend({ dtype, wasmPointwise });
    backends.push(backend);
    let state = seed;
    const random = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return (state / 2147483648) * 6 - 3;
    };
    const outputs: number[][] = [];
    for (const kernel of kernels) {
      const inputs = kernel.inputs.map((name) => {
        const constant = cell.constants[name];
        if (constant !== undefined) return constant;
        const buffer = backend.allocate(rows * units);
        backend.write(
          buffer,
          Array.from({ length: rows * units }, () => random()),
        );
        return { view: { buffer, offset: 0, rows, cols: units, rowStride: units } };
      });
      const buffers = kernel.outputs.map(() => backend.allocate(rows * units));
      backend.pointwise(kernel, {
        rows,
        units,
        inputs,
        outputs: buffers.map((buffer) => ({
          view: { buffer, offset: 0, rows, cols: units, rowStride: units },
        })),
      });
      for (const buffer of buffers) outputs.push([...(await backend.download(buffer))]);
    }
    results.push(outputs);
  }
  const [wasmPaths, jsPaths] = backends.map((backend) => pointwisePaths(backend)!);
  return {
    wasm: results[0]!,
    js: results[1]!,
    wasmPaths: wasmPaths!,
    jsPaths: jsPaths!,
    launches: kernels.length,
  };
}

const activationNames = Object.keys(activationKinds) as ActivationName[];

describe("core's cells on the WebAssembly path", () => {
  it.each(cellVariants.map((variant) => [variant.id, variant]))(
    '%s: every kernel compiles (no fallback) and matches the JavaScript loops in float64',
    async (_, variant) => {
      const { wasm, js, wasmPaths, jsPaths, launches } = await runCellKernels(variant.create(), 'float64', 7);
      expect(wasmPaths.fallbacks).toEqual([]);
      expect(wasmPaths.wasm).toBe(launches);
      expect(wasmPaths.compiled + wasmPaths.generic).toBe(0);
      expect(jsPaths.wasm).toBe(0);
      wasm.forEach((output, k) => {
        output.forEach((value, i) => {
          const reference = js[k]![i]!;
          expect(Math.abs(value - reference)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(reference)));
        });
      });
    },
  );

  it('every activation, with and without clip, in float64 and float32', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...activationNames),
        fc.constantFrom(...activationNames),
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.constantFrom(0, 0.5, 3),
        fc.constantFrom<DType>('float64', 'float32'),
        fc.constantFrom('gru', 'lstm', 'rnn'),
        fc.integer({ min: 1, max: 1000 }),
        async (gateName, candidateName, alpha, beta, clip, dtype, kind, seed) => {
          const gate = activation(gateName, alpha, beta);
          const other = activation(candidateName, beta, alpha);
          const cell =
            kind === 'gru'
              ? gruCell({ gateActivation: gate, candidateActivation: other, clip })
              : kind === 'lstm'
                ? lstmCell({ gateActivation: gate, cellActivation: other, hiddenActivation: gate, clip })
                : rnnCell({ activation: other, clip });
          const { wasm, js, wasmPaths } = await runCellKernels(cell, dtype, seed);
          expect(wasmPaths.fallbacks).toEqual([]);
          // float64: a few ulp of exp/tanh/log, amplified by at most the cells' few operations.
          // float32: lanes compute in float32 where the JavaScript loop computes in float64.
          const tolerance = dtype === 'float64' ? 1e-13 : 2e-5;
          wasm.forEach((output, k) => {
            output.forEach((value, i) => {
              const reference = js[k]![i]!;
              if (Object.is(value, reference)) return;
              expect(Math.abs(value - reference)).toBeLessThanOrEqual(
                tolerance * Math.max(1, Math.abs(reference)),
              );
            });
          });
        },
      ),
      { numRuns: 60 },
    );
  });
});

const extremes = [
  0,
  -0,
  1,
  -1,
  0.5,
  -2.5,
  3,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.MIN_VALUE,
  -Number.MAX_VALUE,
  1e300,
  -1e-300,
];
const value = fc.oneof(fc.double(), fc.constantFrom(...extremes));

/** Random expressions over a, b, c and a launch constant k, of IEEE-exact operations only. */
const { expression } = fc.letrec<{ expression: string }>((tie) => ({
  expression: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('a', 'b', 'c', 'k', '0', '(-0)', '1', '0.5', '2', '1e300', 'Infinity', 'NaN', 'true'),
    fc
      .tuple(tie('expression'), fc.constantFrom('+', '-', '*', '/'), tie('expression'))
      .map(([left, operator, right]) => `(${left} ${operator} ${right})`),
    fc
      .tuple(
        fc.constantFrom(
          'Math.abs',
          'Math.sqrt',
          'Math.floor',
          'Math.ceil',
          'Math.trunc',
          'Math.sign',
          '-',
          '!',
          '+',
        ),
        tie('expression'),
      )
      .map(([operator, operand]) =>
        operator.startsWith('Math') ? `${operator}(${operand})` : `(${operator} ${operand})`,
      ),
    fc
      .tuple(fc.constantFrom('Math.max', 'Math.min'), tie('expression'), tie('expression'))
      .map(([fn, left, right]) => `${fn}(${left}, ${right})`),
    fc
      .tuple(
        tie('expression'),
        fc.constantFrom('<', '<=', '>', '>=', '===', '!==', '==', '!='),
        tie('expression'),
        tie('expression'),
        tie('expression'),
      )
      .map(
        ([left, comparison, right, then, otherwise]) =>
          `((${left} ${comparison} ${right}) ? ${then} : ${otherwise})`,
      ),
    fc
      .tuple(tie('expression'), fc.constantFrom('&&', '||'), tie('expression'))
      .map(([left, operator, right]) => `(${left} ${operator} ${right})`),
  ),
}));

/** A function body using statements: an early return under a data-dependent if, a reassigned let. */
const functionSource = fc
  .tuple(expression, expression, expression, expression, fc.boolean())
  .map(([test, early, declared, tail, withElse]) =>
    withElse
      ? `let t = ${declared}; if (${test}) { t = t * ${early}; } else { t = ${tail}; } return t;`
      : `if (${test}) { return ${early}; } const t = ${declared}; return t - ${tail};`,
  );

describe('WebAssembly against the JavaScript loops on random kernels', () => {
  it('float64: random IEEE-exact kernels give bit-identical results, NaN, ±∞ and -0 included', async () => {
    await fc.assert(
      fc.asyncProperty(
        functionSource,
        fc.array(fc.tuple(value, value, value), { minLength: 1, maxLength: 9 }),
        value,
        async (source, triples, k) => {
          const fn = new Function('a', 'b', 'c', 'k', source) as ScalarFunction;
          const columns = [0, 1, 2].map((index) => triples.map((triple) => triple[index]!));
          const kernel = stepKernel('test/random', fn);
          const wasm = await evaluate(kernel, [...columns, k], 'float64', true);
          const js = await evaluate(kernel, [...columns, k], 'float64', false);
          // The one construct the compiler refuses rather than guesses: `===`/`!==` on a value that is
          // a boolean in some lanes and a number in others. Everything else must compile.
          const refused = wasm.fallbacks.every((reason) => /boolean in some lanes only/.test(reason));
          expect(refused, wasm.fallbacks.join('; ')).toBe(true);
          expect(wasm.wasm).toBe(wasm.fallbacks.length === 0 ? 1 : 0);
          wasm.values.forEach((result, index) => {
            expect(
              Object.is(result, js.values[index]),
              `element ${index}: ${result} vs ${js.values[index]}`,
            ).toBe(true);
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a value that is a boolean in some lanes only: arithmetic compiles, `===` on it runs as JavaScript', async () => {
    const cases = [
      // Found by the property above: `(a < a) ? a : !a` is the boolean false, and `0 === false`
      // is false in JavaScript; joined as the number 0, the module compared 0 === 0.
      [
        'if ((((a * a) === ((a < a) ? a : (! a))) ? Math.max(((a < 1) ? NaN : a), a) : a)) { return a; } const t = a; return t - a;',
        false,
      ],
      ['return ((a < b) ? (a < 0) : a) + 1;', true],
      ['return (((a < b) ? (a < 0) : a) == 1) ? 2 : 3;', true],
    ] as const;
    const columns = [
      [5e-324, -1, 0.5, 2, Number.NaN, -0],
      [0, 0, 1, 1, 1, 1],
      [0, 0, 0, 0, 0, 0],
    ];
    for (const [source, compiles] of cases) {
      const fn = new Function('a', 'b', 'c', 'k', source) as ScalarFunction;
      const kernel = stepKernel('test/mixed-type', fn);
      const wasm = await evaluate(kernel, [...columns, 0], 'float64', true);
      const js = await evaluate(kernel, [...columns, 0], 'float64', false);
      expect(wasm.wasm, source).toBe(compiles ? 1 : 0);
      if (!compiles) expect(wasm.fallbacks.join('; ')).toMatch(/boolean in some lanes only/);
      wasm.values.forEach((result, index) => {
        expect(
          Object.is(result, js.values[index]),
          `${source} element ${index}: ${result} vs ${js.values[index]}`,
        ).toBe(true);
      });
    }
  });

  it('float32: one IEEE operation per kernel gives bit-identical results', async () => {
    const operations = [
      'a + b',
      'a - b',
      'a * b',
      'a / b',
      'Math.sqrt(a)',
      'Math.max(a, b)',
      'Math.min(a, b)',
      'a < b ? a : b',
      '-a',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...operations),
        fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 9 }),
        async (operation, pairs) => {
          const fn = new Function('a', 'b', `return ${operation};`) as ScalarFunction;
          const columns = [0, 1].map((index) => pairs.map((pair) => Math.fround(pair[index]!)));
          const wasm = await evaluate(stepKernel('test/op', fn), columns, 'float32', true);
          const js = await evaluate(stepKernel('test/op', fn), columns, 'float32', false);
          expect(wasm.wasm).toBe(1);
          wasm.values.forEach((result, index) => {
            expect(Object.is(result, js.values[index]), `${operation} at ${index}`).toBe(true);
          });
        },
      ),
      { numRuns: 100 },
    );
  });
});

function fused(x: number, bias: number, h: number, scale: number): number {
  return x + bias * h - Math.max(h, scale);
}
function doubled(value: number): number {
  return value * 2;
}
const layoutKernel: PointwiseKernel = {
  name: 'test/layout',
  inputs: ['x', 'bias', 'h', 'scale'],
  steps: [
    { name: 'y', args: ['x', 'bias', 'h', 'scale'], fn: fused },
    { name: 'z', args: ['y'], fn: doubled },
  ],
  outputs: ['y', 'z', 'h'],
  helpers: [],
};

describe('WebAssembly launches: strided views, broadcast rows, shared buffers, add mode', () => {
  it('changes exactly the elements the JavaScript loop changes, to the same values', async () => {
    const binding = fc.record({
      constant: fc.boolean(),
      broadcast: fc.boolean(),
      column: fc.integer({ min: 0, max: 3 }),
      inShared: fc.boolean(),
    });
    const output = fc.constantFrom<'set' | 'add' | null>('set', 'add', null);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 11 }),
        fc.integer({ min: 0, max: 3 }),
        fc.array(binding, { minLength: 4, maxLength: 4 }),
        fc.array(output, { minLength: 3, maxLength: 3 }),
        fc.constantFrom<DType>('float64', 'float32'),
        fc.boolean(),
        async (rows, units, padding, inputBindings, outputModes, dtype, tiled) => {
          // Every channel gets its own band of columns; shared channels live in one wide buffer.
          const band = units + 3 + padding;
          const width = band * 7;
          const snapshots: number[][] = [];
          const paths: number[] = [];
          for (const wasmPointwise of [true, false]) {
            const backend = createCpuBackend({ dtype, wasmPointwise });
            const shared = backend.allocate(rows * width);
            backend.write(
              shared,
              Array.from({ length: rows * width }, (_, i) => Math.fround(Math.sin(i) * 4)),
            );
            const own = (length: number, seed: number) => {
              const buffer = backend.allocate(length);
              backend.write(
                buffer,
                Array.from({ length }, (_, i) => Math.fround(Math.cos(i + seed) * 4)),
              );
              return buffer;
            };
            const owned = [shared];
            const inputs = inputBindings.map((spec, k) => {
              if (spec.constant && k !== 2) return 0.75 * (k + 1);
              const buffer = spec.inShared ? shared : own(rows * width, k);
              if (buffer !== shared) owned.push(buffer);
              const rowStride = spec.broadcast ? 0 : width;
              return {
                view: { buffer, offset: k * band, rows: spec.broadcast ? 1 : rows, cols: band, rowStride },
                column: spec.column,
              };
            });
            // Tiled: the outputs side by side fill a buffer of their own (nothing there is read).
            const tiles = own(rows * 3 * units, 9);
            owned.push(tiles);
            const outputs = outputModes.map((mode, k) => {
              if (mode === null) return null;
              if (tiled) {
                return {
                  view: { buffer: tiles, offset: 0, rows, cols: 3 * units, rowStride: 3 * units },
                  column: k * units,
                  mode,
                };
              }
              return {
                view: { buffer: shared, offset: (4 + k) * band, rows, cols: band, rowStride: width },
                column: k,
                mode,
              };
            });
            backend.pointwise(layoutKernel, { rows, units, inputs, outputs });
            const snapshot: number[] = [];
            for (const buffer of owned) snapshot.push(...(await backend.download(buffer)));
            snapshots.push(snapshot);
            paths.push(pointwisePaths(backend)!.wasm);
            backend.destroy();
          }
          expect(paths[0]).toBe(1);
          expect(paths[1]).toBe(0);
          // IEEE-exact operations: float64 identical; float32 lanes differ from float64-then-round
          // only by the roundings of the step's three operations on values up to ~16.
          snapshots[0]!.forEach((result, index) => {
            const reference = snapshots[1]![index]!;
            if (dtype === 'float64' || Object.is(result, reference))
              expect(Object.is(result, reference)).toBe(true);
            else
              expect(Math.abs(result - reference)).toBeLessThanOrEqual(
                2 ** -24 * 64 * Math.max(1, Math.abs(reference)),
              );
          });
        },
      ),
      { numRuns: 120 },
    );
  });
});

describe('WebAssembly pointwise: aliasing, options and limits', () => {
  function scaleAdd(x: number, h: number): number {
    return x * 2 + h;
  }
  const aliasKernel: PointwiseKernel = {
    name: 'test/alias',
    inputs: ['x', 'h'],
    steps: [{ name: 'y', args: ['x', 'h'], fn: scaleAdd }],
    outputs: ['y'],
    helpers: [],
  };

  it.each(['set', 'add'] as const)('an output may be the very view of an input (%s mode)', async (mode) => {
    const results: number[][] = [];
    for (const wasmPointwise of [true, false]) {
      const backend = createCpuBackend({ dtype: 'float64', wasmPointwise });
      const x = backend.allocate(14);
      const h = backend.allocate(14);
      backend.write(
        x,
        Array.from({ length: 14 }, (_, i) => i - 3.5),
      );
      backend.write(
        h,
        Array.from({ length: 14 }, (_, i) => i * 0.25),
      );
      const view = { buffer: x, offset: 1, rows: 2, cols: 6, rowStride: 7 };
      backend.pointwise(aliasKernel, {
        rows: 2,
        units: 5,
        inputs: [{ view, column: 1 }, { view: { buffer: h, offset: 0, rows: 2, cols: 7, rowStride: 7 } }],
        outputs: [{ view, column: 1, mode }],
      });
      expect(pointwisePaths(backend)!.wasm).toBe(wasmPointwise ? 1 : 0);
      results.push([...(await backend.download(x))]);
    }
    expect(results[0]).toEqual(results[1]);
  });

  it('`wasm: false` and `wasmPointwise: false` run the JavaScript loops', () => {
    for (const options of [{ wasm: false }, { wasmPointwise: false }]) {
      const backend = createCpuBackend(options);
      const buffer = backend.allocate(4);
      backend.pointwise(aliasKernel, {
        rows: 1,
        units: 4,
        inputs: [1, 2],
        outputs: [{ view: { buffer, offset: 0, rows: 1, cols: 4, rowStride: 4 } }],
      });
      expect(pointwisePaths(backend)).toMatchObject({ wasm: 0, compiled: 1 });
    }
  });

  it('compiles at most 16 constant sets per kernel; later sets run the JavaScript loop', async () => {
    const backend = createCpuBackend({ dtype: 'float64' });
    const out = backend.allocate(3);
    for (let set = 0; set < 20; set++) {
      backend.pointwise(aliasKernel, {
        rows: 1,
        units: 3,
        inputs: [set, 0.5],
        outputs: [{ view: { buffer: out, offset: 0, rows: 1, cols: 3, rowStride: 3 } }],
      });
      expect([...(await backend.download(out))]).toEqual([set * 2 + 0.5, set * 2 + 0.5, set * 2 + 0.5]);
    }
    expect(pointwisePaths(backend)).toMatchObject({ wasm: 16, compiled: 4, generic: 0 });
  });
});
