import type { DType } from '@recurrent/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from './cpu-backend.js';
import { createGemmScratch, gemm } from './gemm.js';
import { naiveGemm } from './test-naive-gemm.js';
import { seededRandom } from './test-random.js';

interface Layout {
  rows: number;
  columns: number;
  depth: number;
  transposeA: boolean;
  transposeB: boolean;
  padding: [number, number, number];
  offsets: [number, number, number];
  alpha: number;
  beta: number;
  seed: number;
}

const size = fc.integer({ min: 1, max: 19 });
const layout: fc.Arbitrary<Layout> = fc.record({
  rows: size,
  columns: size,
  depth: size,
  transposeA: fc.boolean(),
  transposeB: fc.boolean(),
  padding: fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3)),
  offsets: fc.tuple(fc.nat(5), fc.nat(5), fc.nat(5)),
  alpha: fc.constantFrom(1, -0.5, 2.25),
  beta: fc.constantFrom(0, 1, 0.5),
  seed: fc.nat(),
});

/** Stored shape of an operand whose op() is `rows × cols`. */
function stored(rows: number, cols: number, transposed: boolean): [number, number] {
  return transposed ? [cols, rows] : [rows, cols];
}

async function checkAgainstNaive(dtype: DType, wasm: boolean, case_: Layout): Promise<void> {
  const backend = createCpuBackend({ dtype, wasm });
  expect(backend.info.device).toBe(wasm ? 'wasm' : 'cpu');
  const next = seededRandom(case_.seed);
  const shapes = [
    stored(case_.rows, case_.depth, case_.transposeA),
    stored(case_.depth, case_.columns, case_.transposeB),
    [case_.rows, case_.columns] as [number, number],
  ];
  const views = shapes.map(([rows, cols], k) => {
    const rowStride = cols + case_.padding[k]!;
    const length = case_.offsets[k]! + rows * rowStride;
    const buffer = backend.allocate(length);
    const values = Array.from({ length }, next);
    backend.write(buffer, values);
    return { view: { buffer, offset: case_.offsets[k]!, rows, cols, rowStride }, values };
  });
  const [a, b, c] = views as [(typeof views)[0], (typeof views)[0], (typeof views)[0]];
  const ArrayType = dtype === 'float64' ? Float64Array : Float32Array;
  const expected = ArrayType.from(c.values);
  naiveGemm(
    case_.rows,
    case_.columns,
    case_.depth,
    { ...a.view, data: ArrayType.from(a.values) },
    case_.transposeA,
    { ...b.view, data: ArrayType.from(b.values) },
    case_.transposeB,
    { ...c.view, data: expected },
    case_.alpha,
    case_.beta,
  );
  backend.gemm(a.view, b.view, c.view, {
    transposeA: case_.transposeA,
    transposeB: case_.transposeB,
    alpha: case_.alpha,
    beta: case_.beta,
  });
  const actual = await backend.download(c.view.buffer);
  // Inputs lie in [-1, 1], so |alpha|·depth + |beta| bounds the magnitude of every partial sum.
  const epsilon = dtype === 'float64' ? 2 ** -52 : 2 ** -23;
  const tolerance =
    2 * epsilon * (case_.depth + 2) * (Math.abs(case_.alpha) * case_.depth + Math.abs(case_.beta) + 1);
  for (let index = 0; index < expected.length; index++) {
    expect(Math.abs(actual[index]! - expected[index]!)).toBeLessThanOrEqual(tolerance);
  }
}

describe('gemm', () => {
  for (const wasm of [true, false]) {
    for (const dtype of ['float64', 'float32'] as const) {
      it(`${wasm ? 'WebAssembly SIMD' : 'TypeScript'}, ${dtype}: matches a naive triple loop for random shapes, views, transposes, alpha and beta`, async () => {
        await fc.assert(
          fc.asyncProperty(layout, (case_) => checkAgainstNaive(dtype, wasm, case_)),
          { numRuns: 200 },
        );
      });
    }
  }
});

describe('gemm edge cases', () => {
  it('ignores NaN in C when beta is 0', async () => {
    const backend = createCpuBackend({ dtype: 'float64' });
    const a = backend.allocate(6);
    const b = backend.allocate(6);
    const c = backend.allocate(4);
    backend.write(a, [1, 2, 3, 4, 5, 6]);
    backend.write(b, [1, 0, 0, 1, 1, 1]);
    backend.write(c, [Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
    const view = (buffer: typeof a, rows: number, cols: number) => ({
      buffer,
      offset: 0,
      rows,
      cols,
      rowStride: cols,
    });
    backend.gemm(view(a, 2, 3), view(b, 3, 2), view(c, 2, 2));
    expect([...(await backend.download(c))]).toEqual([4, 5, 10, 11]);
  });

  it('scales C by beta when the inner size is 0', async () => {
    const backend = createCpuBackend({ dtype: 'float64' });
    const a = backend.allocate(0);
    const c = backend.allocate(4);
    backend.write(c, [1, 2, 3, Number.NaN]);
    const empty = { buffer: a, offset: 0, rows: 2, cols: 0, rowStride: 0 };
    const emptyB = { buffer: a, offset: 0, rows: 0, cols: 2, rowStride: 2 };
    backend.gemm(empty, emptyB, { buffer: c, offset: 0, rows: 2, cols: 2, rowStride: 2 }, { beta: 2 });
    expect([...(await backend.download(c))].slice(0, 3)).toEqual([2, 4, 6]);
    backend.gemm(empty, emptyB, { buffer: c, offset: 0, rows: 2, cols: 2, rowStride: 2 });
    expect([...(await backend.download(c))]).toEqual([0, 0, 0, 0]);
  });

  it('crosses every cache block boundary of both GEMMs', async () => {
    const next = seededRandom(7);
    const cases = [
      [131, 6, 600, false, true],
      [5, 1027, 261, true, false],
      [133, 1029, 3, true, true],
      [9, 300, 7000, false, false],
    ] as const;
    for (const [rows, columns, depth, transposeA, transposeB] of cases) {
      const a = {
        data: Float64Array.from({ length: rows * depth + 3 }, next),
        offset: 3,
        rowStride: transposeA ? rows : depth,
        identity: 0,
        version: 0,
      };
      const b = {
        data: Float64Array.from({ length: depth * columns }, next),
        offset: 0,
        rowStride: transposeB ? depth : columns,
        identity: 0,
        version: 0,
      };
      const initial = Float64Array.from({ length: rows * (columns + 2) }, next);
      const expected = { data: initial.slice(), offset: 0, rowStride: columns + 2 };
      naiveGemm(rows, columns, depth, a, transposeA, b, transposeB, expected, 0.5, 0.25);
      const typescript = {
        data: initial.slice(),
        offset: 0,
        rowStride: columns + 2,
        identity: 0,
        version: 0,
      };
      gemm(createGemmScratch(), rows, columns, depth, a, transposeA, b, transposeB, typescript, 0.5, 0.25);
      const backend = createCpuBackend({ dtype: 'float64' });
      const upload = (values: Float64Array) => {
        const buffer = backend.allocate(values.length);
        backend.write(buffer, values);
        return buffer;
      };
      const [aRows, aCols] = transposeA ? [depth, rows] : [rows, depth];
      const [bRows, bCols] = transposeB ? [columns, depth] : [depth, columns];
      const cBuffer = upload(initial);
      backend.gemm(
        { buffer: upload(a.data), offset: 3, rows: aRows, cols: aCols, rowStride: a.rowStride },
        { buffer: upload(b.data), offset: 0, rows: bRows, cols: bCols, rowStride: b.rowStride },
        { buffer: cBuffer, offset: 0, rows, cols: columns, rowStride: columns + 2 },
        { transposeA, transposeB, alpha: 0.5, beta: 0.25 },
      );
      const wasm = await backend.download(cBuffer);
      let worst = 0;
      for (let index = 0; index < initial.length; index++) {
        const reference = expected.data[index]!;
        worst = Math.max(
          worst,
          Math.abs(typescript.data[index]! - reference),
          Math.abs(wasm[index]! - reference),
        );
      }
      expect(worst).toBeLessThan(1e-12 * depth);
    }
  });

  it('rejects mismatched shapes and an output that overlaps an input', () => {
    const backend = createCpuBackend();
    const buffer = backend.allocate(64);
    const view = (offset: number, rows: number, cols: number) => ({
      buffer,
      offset,
      rows,
      cols,
      rowStride: 8,
    });
    expect(() => backend.gemm(view(0, 2, 3), view(16, 2, 2), view(40, 2, 2))).toThrow(
      /gemm.*op\(A\) is \[2, 3\]/,
    );
    expect(() => backend.gemm(view(0, 2, 2), view(16, 2, 2), view(1, 2, 2))).toThrow(/C overlaps/);
    // Side-by-side column slices of one matrix do not overlap.
    expect(() => backend.gemm(view(0, 2, 2), view(16, 2, 2), view(2, 2, 2))).not.toThrow();
  });
});

describe('gemm packed-operand cache', () => {
  it('reuses a packed transposed B only while its buffer is unchanged', async () => {
    const backend = createCpuBackend({ dtype: 'float64' });
    expect(backend.info.device).toBe('wasm');
    const a = backend.allocate(4);
    const b = backend.allocate(4);
    const c = backend.allocate(4);
    backend.write(a, [1, 2, 3, 4]);
    backend.write(b, [1, 0, 0, 1]);
    const view = (buffer: typeof a) => ({ buffer, offset: 0, rows: 2, cols: 2, rowStride: 2 });
    const product = async () => {
      backend.gemm(view(a), view(b), view(c), { transposeB: true });
      return [...(await backend.download(c))];
    };
    expect(await product()).toEqual([1, 2, 3, 4]);
    expect(await product()).toEqual([1, 2, 3, 4]);
    backend.write(b, [2], 3); // B = [[1, 0], [0, 2]]
    expect(await product()).toEqual([1, 4, 3, 8]);
    // B written as the output of a gemm, of a row sum and of a pointwise map.
    backend.gemm(view(a), view(a), view(b)); // B = A·A = [[7, 10], [15, 22]]
    expect(await product()).toEqual([27, 59, 61, 133]);
    backend.sumRows(view(a), { buffer: b, offset: 0, rows: 1, cols: 2, rowStride: 2 }); // B row 0 = [4, 6]
    expect(await product()).toEqual([16, 59, 36, 133]);
    backend.pointwise(
      { name: 'test/copy', inputs: ['x'], steps: [], outputs: ['x'], helpers: [] },
      { rows: 2, units: 2, inputs: [{ view: view(a) }], outputs: [{ view: view(b) }] },
    ); // B = A
    expect(await product()).toEqual([5, 11, 11, 25]);
  });

  it('keeps the packed copies of different views of one buffer apart, past the cache size', async () => {
    const backend = createCpuBackend({ dtype: 'float64' });
    const values = Array.from({ length: 64 }, (_, index) => index % 7);
    const a = backend.allocate(2);
    const b = backend.allocate(values.length);
    const c = backend.allocate(2);
    backend.write(a, [1, -2]);
    backend.write(b, values);
    // 20 views (more than the 16 cached copies): offset, row stride and transpose all differ.
    const views = Array.from({ length: 20 }, (_, index) => ({
      offset: index,
      rowStride: 2 + (index % 3),
      transposeB: index % 2 === 0,
    }));
    for (let round = 0; round < 2; round++) {
      for (const { offset, rowStride, transposeB } of views) {
        const bView = { buffer: b, offset, rows: 2, cols: 2, rowStride };
        backend.gemm(
          { buffer: a, offset: 0, rows: 1, cols: 2, rowStride: 2 },
          bView,
          {
            buffer: c,
            offset: 0,
            rows: 1,
            cols: 2,
            rowStride: 2,
          },
          { transposeB },
        );
        const element = (row: number, column: number) => values[offset + row * rowStride + column]!;
        const opB = (depth: number, column: number) =>
          transposeB ? element(column, depth) : element(depth, column);
        const expected = [0, 1].map((column) => opB(0, column) - 2 * opB(1, column));
        expect([...(await backend.download(c))]).toEqual(expected);
      }
    }
  });
});
