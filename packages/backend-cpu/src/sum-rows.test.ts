import { describe, expect, it } from 'vitest';
import { createCpuBackend } from './cpu-backend.js';

describe('sumRows', () => {
  it('sums the rows of a strided view into one row, with and without beta', async () => {
    const backend = createCpuBackend({ dtype: 'float64' });
    const source = backend.allocate(1 + 3 * 4);
    backend.write(source, [99, 1, 2, 3, 99, 4, 5, 6, 99, 7, 8, 9, 99]);
    const out = backend.allocate(4);
    backend.write(out, [Number.NaN, Number.NaN, Number.NaN, 5]);
    const view = { buffer: source, offset: 1, rows: 3, cols: 3, rowStride: 4 };
    backend.sumRows(view, { buffer: out, offset: 0, rows: 1, cols: 3, rowStride: 3 });
    expect([...(await backend.download(out))]).toEqual([12, 15, 18, 5]);
    backend.sumRows(view, { buffer: out, offset: 1, rows: 1, cols: 3, rowStride: 3 }, 2);
    expect([...(await backend.download(out))]).toEqual([12, 42, 51, 28]);
  });

  it('accumulates in float64 on a float32 backend', async () => {
    const backend = createCpuBackend({ dtype: 'float32' });
    const rows = 4097;
    const source = backend.allocate(rows);
    backend.write(source, new Float32Array(rows).fill(1 + 2 ** -20));
    const out = backend.allocate(1);
    backend.sumRows(
      { buffer: source, offset: 0, rows, cols: 1, rowStride: 1 },
      {
        buffer: out,
        offset: 0,
        rows: 1,
        cols: 1,
        rowStride: 1,
      },
    );
    expect((await backend.download(out))[0]).toBe(Math.fround(rows * (1 + 2 ** -20)));
  });

  it.each([1, 3, 4, 5, 11, 64])('gives the row-by-row float64 sum bit for bit (%i rows)', async (rows) => {
    const backend = createCpuBackend({ dtype: 'float64' });
    const columns = 5;
    const rowStride = 7;
    const values = Array.from(
      { length: rows * rowStride },
      (_, index) => Math.sin(index * 1.7) * 10 ** (index % 5),
    );
    const source = backend.allocate(values.length);
    backend.write(source, values);
    const out = backend.allocate(columns);
    backend.write(out, [1, 2, 3, 4, 5]);
    backend.sumRows(
      { buffer: source, offset: 0, rows, cols: columns, rowStride },
      { buffer: out, offset: 0, rows: 1, cols: columns, rowStride: columns },
      0.5,
    );
    const expected = Array.from({ length: columns }, (_, column) => {
      let sum = 0;
      for (let row = 0; row < rows; row++) sum += values[row * rowStride + column]!;
      return 0.5 * (column + 1) + sum;
    });
    expect([...(await backend.download(out))]).toEqual(expected);
  });

  it('rejects an output of the wrong shape', () => {
    const backend = createCpuBackend();
    const buffer = backend.allocate(8);
    const out = backend.allocate(8);
    const source = { buffer, offset: 0, rows: 2, cols: 4, rowStride: 4 };
    expect(() => backend.sumRows(source, { buffer: out, offset: 0, rows: 1, cols: 3, rowStride: 3 })).toThrow(
      /sumRows: out is \[1, 3\]; expected \[1, 4\]/,
    );
  });
});
