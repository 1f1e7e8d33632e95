import { createReferenceBackend } from '@recurrent/core/reference';
import { describe, expect, it } from 'vitest';
import { createLayerWorkloadRunner } from '../src/bench/layer-workload-runner.js';
import { runBenchmarks } from '../src/bench/run-benchmarks.js';
import type { WorkloadRunner } from '../src/bench/workload-runner.js';
import { workloadFlops, workloads } from '../src/bench/workloads.js';

const tiny = { name: 'tiny', batch: 2, steps: 3, inputSize: 2, hiddenSize: 3 };

describe('benchmark harness (structure only, never timings)', () => {
  it('FLOP convention: 2·(I+H)·H·G per step per row, train = 3× forward', () => {
    const standard = workloads.find((workload) => workload.name === 'standard')!;
    expect(workloadFlops(standard, 'gru', 'forward')).toBe(2 * (64 + 128) * 128 * 3 * 64 * 32);
    expect(workloadFlops(standard, 'lstm', 'train')).toBe(3 * 2 * (64 + 128) * 128 * 4 * 64 * 32);
    expect(workloads.map((workload) => workload.name)).toEqual(['latency', 'standard', 'large']);
  });

  it('runs every cell and mode once on a tiny shape and records what ran', async () => {
    const backend = createReferenceBackend();
    const live = backend.liveBufferCount();
    const notApplicable: WorkloadRunner = {
      name: 'forward-only-peer',
      peer: true,
      describe: () => ({ version: 'test' }),
      prepare: async (_workload, _cell, mode) =>
        mode === 'train' ? { notApplicable: 'no training' } : { run: async () => {}, dispose: () => {} },
    };
    const results = await runBenchmarks([createLayerWorkloadRunner('reference', backend), notApplicable], {
      workloads: [tiny],
      repetitions: 1,
    });
    expect(results).toHaveLength(2 * 3 * 2);
    const ours = results.filter((result) => result.runner === 'reference');
    expect(ours.every((result) => result.status === 'ok' && result.repetitions === 1)).toBe(true);
    for (const result of ours) {
      expect(result.medianSeconds).toBeGreaterThan(0);
      expect(result.gflopsPerSecond).toBeCloseTo(result.gflops! / result.medianSeconds!);
      expect(result.sequencesPerSecond).toBeCloseTo(tiny.batch / result.medianSeconds!);
      expect(result.runnerInfo).toMatchObject({ backend: 'reference', device: 'cpu', dtype: 'float64' });
    }
    const peer = results.filter((result) => result.runner === 'forward-only-peer');
    expect(peer.map((result) => result.status).sort()).toEqual([
      'not-applicable',
      'not-applicable',
      'not-applicable',
      'ok',
      'ok',
      'ok',
    ]);
    expect(peer.find((result) => result.status === 'not-applicable')!.message).toBe('no training');
    expect(backend.liveBufferCount()).toBe(live);
  });

  it('reports a combination over budget instead of timing it', async () => {
    const slow: WorkloadRunner = {
      name: 'slow',
      peer: true,
      describe: () => ({}),
      prepare: async () => ({
        run: () => new Promise((resolve) => setTimeout(resolve, 20)),
        dispose: () => {},
      }),
    };
    const [result] = await runBenchmarks([slow], {
      workloads: [tiny],
      cells: ['rnn'],
      modes: ['forward'],
      budgetSeconds: 0.001,
    });
    expect(result!.status).toBe('over-budget');
    expect(result!.medianSeconds).toBeNull();
    expect(result!.message).toContain('budget');
  });

  it('does not start a larger combination predicted (from the smaller one) to exceed the budget', async () => {
    let calls = 0;
    const runner: WorkloadRunner = {
      name: 'counted',
      peer: true,
      describe: () => ({}),
      prepare: async () => ({
        run: async () => {
          calls++;
          await new Promise((resolve) => setTimeout(resolve, 5));
        },
        dispose: () => {},
      }),
    };
    // More steps and more rows: whether the small call's time was per-step overhead or arithmetic,
    // the large one needs at least 1000× as long.
    const huge = { ...tiny, name: 'huge', steps: tiny.steps * 1000, batch: tiny.batch * 1000 };
    const [small, large] = await runBenchmarks([runner], {
      workloads: [tiny, huge],
      cells: ['gru'],
      modes: ['forward'],
      repetitions: 2,
      budgetSeconds: 5,
    });
    expect(small!.status).toBe('ok');
    expect(large!.status).toBe('over-budget');
    expect(large!.message).toMatch(/^predicted at least .* from tiny gru forward/);
    expect(calls).toBe(3); // the small one's warm-up and two repetitions only
  });

  it('predicts from steps, not FLOPs alone, so an overhead-bound small call does not block a wide batch', async () => {
    const runner: WorkloadRunner = {
      name: 'overhead-bound',
      peer: true,
      describe: () => ({}),
      prepare: async () => ({
        run: () => new Promise((resolve) => setTimeout(resolve, 20)),
        dispose: () => {},
      }),
    };
    // 10 000× the FLOPs but the same number of steps: FLOP scaling alone would predict 200 s.
    const wide = { ...tiny, name: 'wide', batch: tiny.batch * 10_000 };
    const [, second] = await runBenchmarks([runner], {
      workloads: [tiny, wide],
      cells: ['gru'],
      modes: ['forward'],
      repetitions: 2,
      budgetSeconds: 5,
    });
    expect(second!.status).toBe('ok');
  });
});

describe('time-based warm-up and repetitions', () => {
  it('warms up and repeats past the minimum counts until the requested seconds have run', async () => {
    let calls = 0;
    const runner: WorkloadRunner = {
      name: 'short calls',
      peer: true,
      describe: () => ({}),
      prepare: async () => ({
        run: async () => {
          calls++;
          await new Promise((resolve) => setTimeout(resolve, 1));
        },
        dispose: () => {},
      }),
    };
    const [result] = await runBenchmarks([runner], {
      workloads: [tiny],
      cells: ['gru'],
      modes: ['forward'],
      repetitions: 3,
      warmupRuns: 1,
      warmupSeconds: 0.05,
      timedSeconds: 0.05,
      budgetSeconds: 5,
    });
    expect(result!.status).toBe('ok');
    // At least 1 ms per call, so 0.05 s takes at most 50 calls; more than the minimum counts.
    expect(result!.warmupRuns).toBeGreaterThan(1);
    expect(result!.repetitions).toBeGreaterThan(3);
    expect(result!.warmupRuns + result!.repetitions).toBe(calls);
  });

  it('caps the timed calls of a combination at 200', async () => {
    const runner: WorkloadRunner = {
      name: 'instant',
      peer: true,
      describe: () => ({}),
      prepare: async () => ({ run: async () => {}, dispose: () => {} }),
    };
    const [result] = await runBenchmarks([runner], {
      workloads: [tiny],
      cells: ['gru'],
      modes: ['forward'],
      timedSeconds: 1000,
      budgetSeconds: 10_000,
    });
    expect(result!.repetitions).toBe(200);
  });
});

describe('benchmark total budget', () => {
  it('reports every combination after the total budget is spent as over-budget', async () => {
    const runner: WorkloadRunner = {
      name: 'sleepy',
      peer: true,
      describe: () => ({}),
      prepare: async () => ({
        run: () => new Promise((resolve) => setTimeout(resolve, 30)),
        dispose: () => {},
      }),
    };
    const results = await runBenchmarks([runner], {
      workloads: [{ name: 'tiny', batch: 1, steps: 1, inputSize: 1, hiddenSize: 1 }],
      cells: ['rnn', 'gru'],
      modes: ['forward'],
      repetitions: 1,
      totalBudgetSeconds: 0.05,
    });
    expect(results.map((result) => result.status)).toEqual(['ok', 'over-budget']);
    expect(results[1]!.message).toMatch(/total/);
  });
});
