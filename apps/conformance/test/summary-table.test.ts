import type { BenchmarkResult } from '@recurrent/conformance';
import { describe, expect, it } from 'vitest';
import { benchmarkTable } from '../src/summary-table.js';

function result(overrides: Partial<BenchmarkResult>): BenchmarkResult {
  return {
    runner: 'gpujs',
    peer: false,
    runnerInfo: {},
    workload: 'latency',
    cell: 'gru',
    mode: 'forward',
    batch: 1,
    steps: 100,
    inputSize: 32,
    hiddenSize: 64,
    status: 'ok',
    warmupRuns: 2,
    repetitions: 5,
    medianSeconds: 0.005,
    minSeconds: 0.004,
    maxSeconds: 0.006,
    sequencesPerSecond: 200,
    gflops: 0.0037,
    gflopsPerSecond: 0.74,
    ...overrides,
  };
}

describe('benchmarkTable', () => {
  it('reports the median per time step, and a dash where nothing was measured', () => {
    const lines = benchmarkTable([
      result({}),
      result({
        runner: 'tfjs-webgpu',
        peer: true,
        status: 'over-budget',
        medianSeconds: null,
        minSeconds: null,
        maxSeconds: null,
        sequencesPerSecond: null,
        gflopsPerSecond: null,
      }),
    ]).split('\n');
    expect(lines[0]).toMatch(/µs\/step/);
    expect(lines[2]).toMatch(/^gpujs .* 5\.00 +4\.00–6\.00 +50\.0 +200\.0 +0\.74$/);
    expect(lines[3]).toMatch(/^tfjs-webgpu \(peer\) .* over-budget +- +- +- +-$/);
  });
});
