/** Host sequences reach the pass as time-major rows, whatever array holds them. */
import { describe, expect, it } from 'vitest';
import { createReferenceBackend } from '../reference/index.js';
import { ownedStorage, releaseOwned, toTimeMajor } from './device-layout.js';

describe('toTimeMajor', () => {
  const arrays = {
    'number[]': (values: number[]) => values,
    Float32Array: (values: number[]) => Float32Array.from(values),
    Float64Array: (values: number[]) => Float64Array.from(values),
  };
  const cases = Object.keys(arrays).flatMap((array) =>
    // Rows narrower and wider than the width from which rows move by `set`.
    [3, 40].map((width) => ({ array: array as keyof typeof arrays, width })),
  );

  it.each(cases)('permutes batch-first $array rows of width $width', async ({ array, width }) => {
    const backend = createReferenceBackend();
    const [batch, steps] = [3, 4];
    // Small integers: exact in every array type.
    const values = Array.from({ length: batch * steps * width }, (_, index) => (index * 7) % 101);
    const owned = ownedStorage();
    const live = backend.liveBufferCount();
    const view = toTimeMajor(
      { backend, layout: 'batch-first' },
      { data: arrays[array](values), shape: [batch, steps, width] },
      steps,
      batch,
      width,
      owned,
    );
    expect(view).toMatchObject({ offset: 0, rows: steps * batch, cols: width, rowStride: width });
    const actual = await backend.download(view.buffer);
    for (let step = 0; step < steps; step++) {
      for (let sample = 0; sample < batch; sample++) {
        const row = Array.from(
          actual.subarray((step * batch + sample) * width, (step * batch + sample + 1) * width),
        );
        expect(row).toEqual(
          values.slice((sample * steps + step) * width, (sample * steps + step + 1) * width),
        );
      }
    }
    releaseOwned(backend, owned);
    expect(backend.liveBufferCount()).toBe(live);
  });
});
