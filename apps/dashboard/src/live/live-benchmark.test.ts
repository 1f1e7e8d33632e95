import { createCpuBackend } from '@recurrent/backend-cpu';
import { describe, expect, it } from 'vitest';
import { runLiveBenchmark } from './live-benchmark.js';

describe('runLiveBenchmark', () => {
  it('times a workload with the conformance harness and reports progress call by call', async () => {
    const backend = createCpuBackend({ dtype: 'float32' });
    const progress: string[] = [];
    const result = await runLiveBenchmark(
      'browser cpu',
      backend,
      {
        workload: { name: 'live-tiny', batch: 2, steps: 3, inputSize: 4, hiddenSize: 5 },
        cell: 'lstm',
        mode: 'train',
      },
      {
        warmupRuns: 2,
        repetitions: 3,
        onProgress: (phase, done, total) => progress.push(`${phase} ${done}/${total}`),
      },
    );
    expect(progress).toEqual([
      'warm-up 0/2',
      'warm-up 1/2',
      'timing 0/3',
      'timing 1/3',
      'timing 2/3',
      'timing 3/3',
    ]);
    expect(result).toMatchObject({
      runner: 'browser cpu',
      peer: false,
      workload: 'live-tiny',
      cell: 'lstm',
      mode: 'train',
      status: 'ok',
      warmupRuns: 2,
      repetitions: 3,
    });
    expect(result.runnerInfo.device).toBe(backend.info.device);
    // 2·(I+H)·H·G per step and sequence, ×3 for training: 2·9·5·4 · 3 steps · 2 sequences · 3.
    expect(result.gflops).toBeCloseTo((2 * 9 * 5 * 4 * 3 * 2 * 3) / 1e9, 15);
    expect(result.sequencesPerSecond).toBeCloseTo(2 / result.medianSeconds!, 6);
    // Everything the run allocated was released.
    expect(backend.liveBufferCount()).toBe(0);
  });
});
