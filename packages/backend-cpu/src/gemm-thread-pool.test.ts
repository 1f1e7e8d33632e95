import { createGru, createLstm } from '@recurrent/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from './cpu-backend.js';
import { CpuBackendError } from './errors.js';
import type { GemmOperand } from './gemm-packing.js';
import { gemmThreadPool } from './gemm-thread-pool.js';
import { naiveGemm } from './test-naive-gemm.js';
import { seededRandom } from './test-random.js';
import { createWasmGemm } from './wasm-gemm.js';
import type { WasmElement } from './wasm-kernel-module.js';

interface Case {
  readonly rows: number;
  readonly columns: number;
  readonly depth: number;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
  readonly padding: number;
  readonly offset: number;
  readonly alpha: number;
  readonly beta: number;
  readonly seed: number;
}

function operand(
  element: WasmElement,
  rows: number,
  cols: number,
  test: Case,
  identity: number,
  next: () => number,
): GemmOperand {
  const rowStride = cols + test.padding;
  const length = test.offset + rows * rowStride;
  const data = element === 'f32' ? new Float32Array(length) : new Float64Array(length);
  for (let index = 0; index < length; index++) data[index] = next();
  return { data, offset: test.offset, rowStride, identity, version: 1 };
}

/** C computed by `threads` threads (a fresh GEMM each time, so nothing is cached between them). */
function product(element: WasmElement, threads: number, test: Case): Float32Array | Float64Array {
  const gemm = createWasmGemm(element, threads);
  if (!gemm) throw new Error('WebAssembly SIMD is unavailable here');
  const next = seededRandom(test.seed);
  const { rows, columns, depth, transposeA, transposeB } = test;
  const a = operand(element, transposeA ? depth : rows, transposeA ? rows : depth, test, 1, next);
  const b = operand(element, transposeB ? columns : depth, transposeB ? depth : columns, test, 2, next);
  const c = operand(element, rows, columns, test, 3, next);
  expect(gemm.run(rows, columns, depth, a, transposeA, b, transposeB, c, test.alpha, test.beta)).toBe(true);
  gemm.release();
  return c.data;
}

/** Resolves once the pool has `count` workers listening (they start asynchronously). */
async function workersReady(count: number): Promise<void> {
  const pool = gemmThreadPool(count);
  if (!pool) throw new Error('worker threads are unavailable here');
  for (let attempt = 0; attempt < 200 && pool.readyCount() < count; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect(pool.readyCount()).toBeGreaterThanOrEqual(count);
}

// At least 16 × 64 × 512 = 2^19 multiply-adds: large enough to be shared.
const sharedCase: fc.Arbitrary<Case> = fc.record({
  rows: fc.integer({ min: 16, max: 300 }),
  columns: fc.integer({ min: 64, max: 300 }),
  depth: fc.integer({ min: 512, max: 700 }),
  transposeA: fc.boolean(),
  transposeB: fc.boolean(),
  padding: fc.nat(5),
  offset: fc.nat(7),
  alpha: fc.constantFrom(1, -0.5),
  beta: fc.constantFrom(0, 1, 0.75),
  seed: fc.nat(),
});

describe('GEMM on worker threads', () => {
  it('starts its workers and hands them work', async () => {
    await workersReady(1);
    const pool = gemmThreadPool(1)!;
    const test: Case = {
      rows: 256,
      columns: 256,
      depth: 256,
      transposeA: false,
      transposeB: true,
      padding: 0,
      offset: 0,
      alpha: 1,
      beta: 0,
      seed: 3,
    };
    const before = pool.workerUnits();
    // The caller claims units too; a worker that wakes late may find none left, so try a few.
    for (let attempt = 0; attempt < 20 && pool.workerUnits() === before; attempt++) product('f32', 2, test);
    expect(pool.workerUnits()).toBeGreaterThan(before);
  });

  for (const element of ['f32', 'f64'] as const) {
    it(`${element}: is bit-identical to one thread for random shapes, strides, transposes, alpha and beta`, async () => {
      await workersReady(2);
      fc.assert(
        fc.property(sharedCase, (test) => {
          const pool = gemmThreadPool(2)!;
          const single = product(element, 1, test);
          const jobs = pool.jobCount();
          expect(product(element, 2, test)).toEqual(single);
          expect(product(element, 3, test)).toEqual(single);
          // Both went through the pool (one thread's product did not).
          expect(pool.jobCount()).toBe(jobs + 2);
        }),
        { numRuns: 20 },
      );
    });
  }

  it('agrees with a naive product where the units outnumber the unit counter (row blocks grow)', async () => {
    await workersReady(1);
    // 2049 row blocks of 128 rows and one column chunk: more units than `word` can count.
    const test: Case = {
      rows: 2049 * 128,
      columns: 8,
      depth: 2,
      transposeA: false,
      transposeB: false,
      padding: 0,
      offset: 0,
      alpha: 1,
      beta: 0,
      seed: 5,
    };
    const threaded = product('f32', 2, test);
    const next = seededRandom(test.seed);
    const a = operand('f32', test.rows, test.depth, test, 1, next);
    const b = operand('f32', test.depth, test.columns, test, 2, next);
    const c = operand('f32', test.rows, test.columns, test, 3, next);
    naiveGemm(test.rows, test.columns, test.depth, a, false, b, false, c, 1, 0);
    let worst = 0;
    for (let index = 0; index < c.data.length; index++) {
      worst = Math.max(worst, Math.abs(threaded[index]! - c.data[index]!));
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it('runs on the calling thread alone after release, with the same results', async () => {
    await workersReady(1);
    const gemm = createWasmGemm('f32', 2)!;
    expect(gemm.threads).toBe(2);
    const test: Case = {
      rows: 64,
      columns: 96,
      depth: 128,
      transposeA: true,
      transposeB: false,
      padding: 1,
      offset: 2,
      alpha: 1,
      beta: 0.5,
      seed: 9,
    };
    const next = seededRandom(test.seed);
    const a = operand('f32', test.depth, test.rows, test, 1, next);
    const b = operand('f32', test.depth, test.columns, test, 2, next);
    const c = operand('f32', test.rows, test.columns, test, 3, next);
    const expected = product('f32', 1, test);
    gemm.release();
    expect(gemm.threads).toBe(1);
    expect(gemm.run(test.rows, test.columns, test.depth, a, true, b, false, c, test.alpha, test.beta)).toBe(
      true,
    );
    expect(c.data).toEqual(expected);
  });
});

describe('a recurrent layer on worker threads', () => {
  it('trains a GRU and an LSTM to the same bits as one thread (standard-sized products)', async () => {
    await workersReady(1);
    const pool = gemmThreadPool(1)!;
    const [batch, steps, inputSize, hiddenSize] = [32, 6, 64, 128];
    const next = seededRandom(11);
    const x = {
      data: Float32Array.from({ length: batch * steps * inputSize }, next),
      shape: [batch, steps, inputSize],
    };
    const dy = {
      data: Float32Array.from({ length: batch * steps * hiddenSize }, next),
      shape: [batch, steps, hiddenSize],
    };
    for (const create of [createGru, createLstm]) {
      const results: Float32Array[][] = [];
      const jobs = pool.jobCount();
      for (const threads of [1, 2]) {
        const backend = createCpuBackend({ dtype: 'float32', threads });
        const layer = create(backend, { inputSize, hiddenSize, seed: 4 });
        const result = layer.forward(x, { training: true });
        const gradients = layer.backward(result, { output: dy, inputGradient: true });
        const weights = gradients.parameters[0]![0]!;
        results.push(
          (await Promise.all([
            result.output.toArray(),
            gradients.input!.toArray(),
            ...Object.values(weights).map((tensor) => tensor.toArray()),
          ])) as Float32Array[],
        );
        gradients.dispose();
        result.dispose();
        layer.dispose();
        backend.destroy();
      }
      expect(pool.jobCount()).toBeGreaterThan(jobs);
      expect(results[1]).toEqual(results[0]);
    }
  });
});

describe('createCpuBackend threads option', () => {
  it('reports the threads in the adapter and rejects counts that are not positive integers', () => {
    const backend = createCpuBackend({ threads: 2 });
    expect(backend.info.adapter).toMatch(/2 threads$/);
    backend.destroy();
    expect(createCpuBackend({ threads: 1 }).info.adapter ?? '').not.toMatch(/threads/);
    for (const threads of [0, -1, 1.5, Number.NaN]) {
      expect(() => createCpuBackend({ threads })).toThrow(CpuBackendError);
      expect(() => createCpuBackend({ threads })).toThrow(/threads is .*; expected a positive integer/);
    }
  });
});
