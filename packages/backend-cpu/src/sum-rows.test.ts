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
