import type { Backend } from '@recurrent/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestBackend,
  kernelVariants,
  maxRelativeError,
  randomValues,
  upload,
  view,
} from './test-backend.js';
import { referenceSumRows } from './test-cpu-loops.js';

describe.each(kernelVariants)('gpujs sumRows (%s, depth split %s)', (mode, depthSplit) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await createTestBackend(mode, { depthSplit });
  });
  afterAll(() => backend.destroy());

  for (const [rows, cols, beta] of [
    [1, 1, 0],
    [7, 3, 0],
    [1200, 70, 1],
    [33, 130, 0.5],
  ] as const) {
    it(`matches CPU loops for ${rows}×${cols} with beta=${beta}`, async () => {
      const stride = cols + 2;
      const srcData = randomValues(3 + rows * stride, rows + cols);
      const outData = randomValues(cols + 4, 3);
      const src = upload(backend, srcData);
      const out = upload(backend, outData);
      backend.sumRows(view(src, rows, cols, 3, stride), view(out, 1, cols, 4), beta);
      const expected = Float64Array.from(outData);
      referenceSumRows({ data: srcData, offset: 3, rows, cols, rowStride: stride }, expected, 4, beta);
      const error = maxRelativeError(await backend.download(out), expected);
      expect(error).toBeLessThan(rows * 2 ** -23 * 4);
      backend.dispose(src);
      backend.dispose(out);
    });
  }

  it('ignores NaN in the output when beta is 0', async () => {
    const src = upload(backend, [1, 2, 3, 4]);
    const out = upload(backend, [Number.NaN, Number.NaN]);
    backend.sumRows(view(src, 2, 2), view(out, 1, 2));
    expect(Array.from(await backend.download(out))).toEqual([4, 6]);
    backend.dispose(src);
    backend.dispose(out);
  });
});
