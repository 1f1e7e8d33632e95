import type { Backend, GemmOptions } from '@recurrent/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestBackend,
  kernelVariants,
  maxRelativeError,
  randomValues,
  upload,
  view,
} from './test-backend.js';
import { referenceGemm } from './test-cpu-loops.js';
import type { WebGpuBackend } from './webgpu-backend.js';

interface Case {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly options: GemmOptions;
}

/** float32 products summed over k terms: error grows like k·ε·|a||b| at worst, √k·ε typically. */
function tolerance(k: number): number {
  return 4 * Math.sqrt(k) * 2 ** -23 * 8;
}

/**
 * The shared variants, plus WebGPU under `auto`: on a software adapter (llvmpipe on CI) that
 * runs the lanes kernel, which `never` and `always` do not reach, with A broadcast across a
 * subgroup (where the adapter has subgroups of 8 or more) and with A loaded in every lane.
 */
const gemmVariants = [
  ...kernelVariants.map(([mode, depthSplit]) => [mode, depthSplit, true] as const),
  ['webgpu', 'auto', true],
  ['webgpu', 'auto', false],
] as const;

describe.each(gemmVariants)(
  'gpujs gemm (%s, depth split %s, broadcast lanes %s)',
  (mode, depthSplit, broadcastLanes) => {
    let backend: Backend;
    beforeAll(async () => {
      backend = await createTestBackend(mode, { depthSplit, ...(broadcastLanes ? {} : { broadcastLanes }) });
    });
    afterAll(() => backend.destroy());

    async function check({ m, n, k, options }: Case, seed: number) {
      const aRows = options.transposeA ? k : m;
      const aCols = options.transposeA ? m : k;
      const bRows = options.transposeB ? n : k;
      const bCols = options.transposeB ? k : n;
      // Strided views at offsets inside larger buffers, as core passes them.
      const aStride = aCols + 3;
      const bStride = bCols + 1;
      const cStride = n + 2;
      const aData = randomValues(5 + aRows * aStride, seed);
      const bData = randomValues(7 + bRows * bStride, seed + 1);
      const cData = randomValues(11 + m * cStride, seed + 2);
      const a = upload(backend, aData);
      const b = upload(backend, bData);
      const c = upload(backend, cData);
      backend.gemm(
        view(a, aRows, aCols, 5, aStride),
        view(b, bRows, bCols, 7, bStride),
        view(c, m, n, 11, cStride),
        options,
      );
      const expected = Float64Array.from(cData);
      referenceGemm(
        { data: aData, offset: 5, rows: aRows, cols: aCols, rowStride: aStride },
        { data: bData, offset: 7, rows: bRows, cols: bCols, rowStride: bStride },
        { data: expected, offset: 11, rows: m, cols: n, rowStride: cStride },
        options,
      );
      const actual = await backend.download(c);
      for (const buffer of [a, b, c]) backend.dispose(buffer);
      return maxRelativeError(actual, expected);
    }

    const shapes = [
      [1, 1, 1],
      [3, 5, 7],
      [33, 31, 17],
      [64, 96, 48],
      [5, 130, 1100],
    ] as const;
    for (const [m, n, k] of shapes) {
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          it(`matches CPU loops for ${m}×${n}×${k} transposeA=${transposeA} transposeB=${transposeB}`, async () => {
            const error = await check({ m, n, k, options: { transposeA, transposeB } }, m * 7 + n);
            expect(error).toBeLessThan(tolerance(k));
          });
        }
      }
    }

    it('applies alpha and accumulates with beta', async () => {
      const error = await check({ m: 20, n: 40, k: 30, options: { alpha: -0.5, beta: 1 } }, 99);
      expect(error).toBeLessThan(tolerance(30));
      const scaled = await check(
        { m: 20, n: 40, k: 30, options: { alpha: 2, beta: 0.25, transposeA: true } },
        98,
      );
      expect(scaled).toBeLessThan(tolerance(30));
    });

    it('ignores NaN in C when beta is 0', async () => {
      const a = upload(backend, [1, 2]);
      const b = upload(backend, [3, 4]);
      const c = upload(backend, [Number.NaN]);
      backend.gemm(view(a, 1, 2), view(b, 2, 1), view(c, 1, 1));
      expect(Array.from(await backend.download(c))).toEqual([11]);
      for (const buffer of [a, b, c]) backend.dispose(buffer);
    });

    it('reads A and B from the buffer it writes C into (disjoint views)', async () => {
      const data = randomValues(3 * 4 + 4 * 2 + 3 * 2, 5);
      const buffer = upload(backend, data);
      backend.gemm(view(buffer, 3, 4, 0), view(buffer, 4, 2, 12), view(buffer, 3, 2, 20), { beta: 1 });
      const expected = Float64Array.from(data);
      referenceGemm(
        { data, offset: 0, rows: 3, cols: 4, rowStride: 4 },
        { data, offset: 12, rows: 4, cols: 2, rowStride: 2 },
        { data: expected, offset: 20, rows: 3, cols: 2, rowStride: 2 },
        { beta: 1 },
      );
      expect(maxRelativeError(await backend.download(buffer), expected)).toBeLessThan(tolerance(4));
      backend.dispose(buffer);
    });
  },
);

describe('gpujs gemm lanes kernel (WebGPU, auto)', () => {
  let broadcasting: WebGpuBackend;
  let perLane: WebGpuBackend;
  beforeAll(async () => {
    broadcasting = (await createTestBackend('webgpu', { broadcastLanes: true })) as WebGpuBackend;
    perLane = (await createTestBackend('webgpu', { broadcastLanes: false })) as WebGpuBackend;
  });
  afterAll(() => {
    broadcasting.destroy();
    perLane.destroy();
  });

  it('broadcasts A across a subgroup on llvmpipe', () => {
    // Falling back to per-lane loads would only be slower, so only this check would notice.
    expect(broadcasting.broadcastsLanes).toBe(/llvmpipe/i.test(broadcasting.info.adapter ?? ''));
    expect(perLane.broadcastsLanes).toBe(false);
  });

  // The step products of a GRU at `standard`, and shapes with partial row and column blocks.
  const shapes: readonly (readonly [number, number, number, GemmOptions])[] = [
    [32, 384, 128, { transposeB: true }],
    [32, 128, 384, {}],
    [13, 70, 40, { transposeA: true, beta: 0.5 }],
    [9, 33, 5, { transposeA: true, transposeB: true, alpha: -2 }],
  ];
  for (const [m, n, k, options] of shapes) {
    it(`gives the same bits with and without broadcasting for ${m}×${n}×${k} ${JSON.stringify(options)}`, async () => {
      const results: Float32Array[] = [];
      for (const backend of [broadcasting, perLane]) {
        const aRows = options.transposeA ? k : m;
        const aCols = options.transposeA ? m : k;
        const bRows = options.transposeB ? n : k;
        const bCols = options.transposeB ? k : n;
        const a = upload(backend, randomValues(3 + aRows * aCols, m));
        const b = upload(backend, randomValues(bRows * bCols, n));
        const c = upload(backend, randomValues(m * n, k));
        backend.gemm(view(a, aRows, aCols, 3), view(b, bRows, bCols), view(c, m, n), options);
        results.push(await backend.download(c));
        for (const buffer of [a, b, c]) backend.dispose(buffer);
      }
      const [broadcast, loaded] = results as [Float32Array, Float32Array];
      expect(broadcast.some((value) => value !== 0)).toBe(true);
      expect(Array.from(broadcast)).toEqual(Array.from(loaded));
    });
  }
});
