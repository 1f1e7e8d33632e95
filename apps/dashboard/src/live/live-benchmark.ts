import {
  type BenchmarkMode,
  type BenchmarkResult,
  type CellFamily,
  createLayerWorkloadRunner,
  runBenchmarks,
  type Workload,
  type WorkloadRunner,
} from '@recurrent/conformance';
import type { Backend } from '@recurrent/core';

/** One workload of the benchmark grid: shape × cell × mode. */
export interface LiveWorkload {
  readonly workload: Workload;
  readonly cell: CellFamily;
  readonly mode: BenchmarkMode;
}

/** Calls made so far out of warm-up + timed calls. */
export type ProgressCallback = (phase: 'warm-up' | 'timing', done: number, total: number) => void;

/**
 * Wraps a runner so every call reports progress; the timing stays the harness's. The message
 * is posted inside the timed call: a postMessage costs microseconds against a call's milliseconds.
 */
function withProgress(
  runner: WorkloadRunner,
  warmupRuns: number,
  repetitions: number,
  onProgress: ProgressCallback,
) {
  const counted: WorkloadRunner = {
    ...runner,
    describe: () => ({ ...runner.describe(), browser: globalThis.navigator?.userAgent ?? 'unknown' }),
    async prepare(workload, cell, mode) {
      const prepared = await runner.prepare(workload, cell, mode);
      if ('notApplicable' in prepared) return prepared;
      let calls = 0;
      const report = () =>
        calls < warmupRuns
          ? onProgress('warm-up', calls, warmupRuns)
          : onProgress('timing', calls - warmupRuns, repetitions);
      report();
      return {
        async run() {
          await prepared.run();
          calls += 1;
          report();
        },
        dispose: prepared.dispose,
      };
    },
  };
  return counted;
}

/**
 * Times one workload on `backend` with the conformance harness the CLI uses (same warm-up,
 * repetitions, median, FLOP convention), so a live row is comparable with a report's rows.
 */
export async function runLiveBenchmark(
  runnerName: string,
  backend: Backend,
  live: LiveWorkload,
  options: {
    readonly warmupRuns: number;
    readonly repetitions: number;
    readonly onProgress: ProgressCallback;
  },
): Promise<BenchmarkResult> {
  const runner = withProgress(
    createLayerWorkloadRunner(runnerName, backend),
    options.warmupRuns,
    options.repetitions,
    options.onProgress,
  );
  const [result] = await runBenchmarks([runner], {
    workloads: [live.workload],
    cells: [live.cell],
    modes: [live.mode],
    warmupRuns: options.warmupRuns,
    repetitions: options.repetitions,
    budgetSeconds: 60,
  });
  if (!result) throw new Error('runLiveBenchmark: the harness returned no result; expected one');
  return result;
}
