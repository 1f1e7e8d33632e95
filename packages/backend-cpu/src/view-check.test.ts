/**
 * `checkView` passes views on a fast path that builds no message; it must accept exactly the
 * views the rule-by-rule check accepts, and reject the others with that check's message.
 */
import type { MatrixView } from '@recurrent/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from './cpu-backend.js';
import { checkView } from './view-check.js';

/** The rules in order, as messages (the check before the fast path was added), or null. */
function firstBrokenRule(view: MatrixView, length: number, broadcast: boolean): string | null {
  const { offset, rows, cols, rowStride } = view;
  const described = `X view {offset: ${offset}, rows: ${rows}, cols: ${cols}, rowStride: ${rowStride}}`;
  const isCount = (value: number) => Number.isInteger(value) && value >= 0;
  if (![offset, rows, cols, rowStride].every(isCount))
    return `${described} has a negative or non-integer field`;
  if (rowStride === 0 && rows > 1 && !broadcast) return `${described} has rowStride 0`;
  if (rowStride !== 0 && rows > 1 && rowStride < cols) return `${described} has rowStride < cols`;
  if (rows === 0 || cols === 0) return null;
  const last = offset + (rows - 1) * rowStride + cols;
  return last > length ? `${described} reaches element ${last - 1}; the buffer has ${length} elements` : null;
}

const field = fc.oneof(fc.integer({ min: -2, max: 12 }), fc.constantFrom(0.5, Number.NaN));

describe('checkView', () => {
  it('accepts and rejects exactly what the rule-by-rule check does', () => {
    const backend = createCpuBackend();
    const buffer = backend.allocate(24);
    fc.assert(
      fc.property(field, field, field, field, fc.boolean(), (offset, rows, cols, rowStride, broadcast) => {
        const view = { buffer, offset, rows, cols, rowStride };
        const broken = firstBrokenRule(view, buffer.length, broadcast);
        const check = () => checkView(backend, view, 'test', 'X', { broadcast });
        if (broken === null) {
          expect(check()).toBe(buffer);
        } else {
          expect(check).toThrow(`cpu backend, test: ${broken}`);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('names the operation and role for foreign or disposed buffers', () => {
    const backend = createCpuBackend();
    const disposed = backend.allocate(4);
    backend.dispose(disposed);
    const foreign = createCpuBackend().allocate(4);
    const view = (buffer: typeof disposed) => ({ buffer, offset: 0, rows: 1, cols: 1, rowStride: 1 });
    expect(() => checkView(backend, view(disposed), 'gemm', 'B')).toThrow(
      /cpu backend, gemm \(B\): buffer #\d+ was disposed/,
    );
    expect(() => checkView(backend, view(foreign), 'sumRows', 'out')).toThrow(
      'cpu backend, sumRows (out): buffer belongs to another backend instance',
    );
  });
});
