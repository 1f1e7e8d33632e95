/**
 * The benchmark harness: for every runner × workload × cell × mode, warm-up calls (excluded
 * from the timing: they compile kernels and fill caches), then timed repetitions; median,
 * min and max seconds, sequences per second and GFLOP/s by the convention in `workloads.ts`.
 * A combination whose warm-up shows it would exceed the time budget (per combination, or what
 * is left of the total) is reported `over-budget` with the measured warm-up time, never
 * silently dropped.
 */
import type { CellFamily } from '../cell-variants.js';
import type { BenchmarkResult } from '../report.js';
import type { WorkloadRunner } from './workload-runner.js';
import {
  type BenchmarkMode,
  benchmarkCells,
  benchmarkModes,
  workloads as defaultWorkloads,
  type Workload,
  workloadFlops,
} from './workloads.js';

export interface BenchmarkOptions {
  readonly workloads?: readonly Workload[];
  readonly cells?: readonly CellFamily[];
  readonly modes?: readonly BenchmarkMode[];
  /** Timed repetitions (default 5; the issue asks for at least 5 in real runs). */
  readonly repetitions?: number;
  /** Untimed warm-up calls (default 1). */
  readonly warmupRuns?: number;
  /**
   * Keep warming up (after `warmupRuns`) until this many seconds of warm-up calls have run
   * (default 0). A JIT-compiled runner needs hundreds of calls of a millisecond workload before
   * its code is optimised; without this, short workloads measure the interpreter.
   */
  readonly warmupSeconds?: number;
  /**
   * Keep timing repetitions (after `repetitions`) until this many seconds of timed calls have run
   * (default 0), at most {@link maxRepetitions}: more samples for a steadier median of short calls.
   */
  readonly timedSeconds?: number;
  /** Seconds one combination may take in all (default 30). */
  readonly budgetSeconds?: number;
  /** Seconds the whole benchmark may take (default unlimited); later combinations are `over-budget`. */
  readonly totalBudgetSeconds?: number;
  readonly onResult?: (result: BenchmarkResult, done: number, total: number) => void;
}

export async function runBenchmarks(
  runners: readonly WorkloadRunner[],
  options: BenchmarkOptions = {},
): Promise<BenchmarkResult[]> {
  const workloads = options.workloads ?? defaultWorkloads;
  const cells = options.cells ?? benchmarkCells;
  const modes = options.modes ?? benchmarkModes;
  const total = runners.length * workloads.length * cells.length * modes.length;
  const started = performance.now();
  const results: BenchmarkResult[] = [];
  // Every measured call of each runner, to predict the next combination's time (below).
  const measured = new Map<WorkloadRunner, MeasuredCall[]>();
  // Workloads outermost: every runner (peers included) gets the small shapes before any runner
  // spends the total budget on the large ones.
  for (const workload of workloads) {
    for (const runner of runners) {
      for (const cell of cells) {
        for (const mode of modes) {
          const remaining =
            (options.totalBudgetSeconds ?? Number.POSITIVE_INFINITY) - (performance.now() - started) / 1000;
          const history = measured.get(runner) ?? [];
          const result = await measure(runner, workload, cell, mode, options, history, remaining);
          const seconds = result.medianSeconds ?? result.warmupSeconds;
          if (seconds !== undefined && seconds !== null && seconds > 0 && result.gflops) {
            history.push({
              seconds,
              gflops: result.gflops,
              steps: workload.steps,
              label: `${workload.name} ${cell} ${mode}`,
            });
            measured.set(runner, history);
          }
          const { warmupSeconds: _warmup, ...recorded } = result;
          results.push(recorded);
          options.onResult?.(recorded, results.length, total);
        }
      }
    }
  }
  return results;
}

/** Upper bound on timed calls of one combination when `timedSeconds` asks for more. */
const maxRepetitions = 200;

interface MeasuredCall {
  readonly seconds: number;
  readonly gflops: number;
  readonly steps: number;
  readonly label: string;
}

/**
 * An optimistic prediction of one call's seconds from the runner's earlier calls. A call costs
 * per-step overhead plus arithmetic, `t = steps·a + flops·b` with unknown `a, b ≥ 0`; from one
 * measured call the least the new one can take is its time scaled by the smaller of the step
 * and FLOP ratios, and the least over all measured calls is the prediction. Scaling by FLOPs
 * alone would extrapolate an overhead-bound batch-1 run into minutes for a large batch.
 */
function predictSeconds(
  history: readonly MeasuredCall[],
  gflops: number,
  steps: number,
): { seconds: number; from: string } | undefined {
  let best: { seconds: number; from: string } | undefined;
  for (const call of history) {
    const seconds = call.seconds * Math.min(gflops / call.gflops, steps / call.steps);
    if (!best || seconds < best.seconds) best = { seconds, from: call.label };
  }
  return best;
}

async function measure(
  runner: WorkloadRunner,
  workload: Workload,
  cell: CellFamily,
  mode: BenchmarkMode,
  options: BenchmarkOptions,
  history: readonly MeasuredCall[],
  remainingSeconds: number,
): Promise<BenchmarkResult & { warmupSeconds?: number }> {
  const repetitions = options.repetitions ?? 5;
  const warmupRuns = Math.max(1, options.warmupRuns ?? 1);
  const budget = Math.min(options.budgetSeconds ?? 30, remainingSeconds);
  const budgetName = budget < (options.budgetSeconds ?? 30) ? 'remaining total' : 'per-combination';
  const base = {
    runner: runner.name,
    peer: runner.peer,
    runnerInfo: runner.describe(),
    workload: workload.name,
    cell,
    mode,
    batch: workload.batch,
    steps: workload.steps,
    inputSize: workload.inputSize,
    hiddenSize: workload.hiddenSize,
    gflops: workloadFlops(workload, cell, mode) / 1e9,
  };
  const empty = {
    warmupRuns: 0,
    repetitions: 0,
    medianSeconds: null,
    minSeconds: null,
    maxSeconds: null,
    sequencesPerSecond: null,
    gflopsPerSecond: null,
  };
  if (remainingSeconds <= 0) {
    return {
      ...base,
      ...empty,
      status: 'over-budget',
      message: 'the total benchmark budget was spent before this combination',
    };
  }
  // A combination predicted (optimistically, from the runner's earlier calls) to blow the
  // budget is not started: on a slow device one warm-up call of the large grid can take minutes.
  const predicted = predictSeconds(history, base.gflops, workload.steps);
  if (predicted && predicted.seconds * (repetitions + warmupRuns) > budget) {
    return {
      ...base,
      ...empty,
      status: 'over-budget',
      message: `predicted at least ${predicted.seconds.toFixed(2)} s per call from ${predicted.from}; ${warmupRuns} warm-up + ${repetitions} repetitions would exceed the ${budgetName} budget of ${budget.toFixed(1)} s`,
    };
  }
  let prepared: Awaited<ReturnType<WorkloadRunner['prepare']>>;
  try {
    prepared = await runner.prepare(workload, cell, mode);
  } catch (error) {
    return { ...base, ...empty, status: 'error', message: messageOf(error) };
  }
  if ('notApplicable' in prepared) {
    return { ...base, ...empty, status: 'not-applicable', message: prepared.notApplicable };
  }
  try {
    let warmupSeconds = 0;
    let warmedSeconds = 0;
    let warmed = 0;
    // Extra warm-up never takes more than a quarter of the combination's budget.
    const warmupTarget = Math.min(options.warmupSeconds ?? 0, budget / 4);
    while (warmed < warmupRuns || warmedSeconds < warmupTarget) {
      const started = performance.now();
      await prepared.run();
      warmupSeconds = (performance.now() - started) / 1000;
      warmedSeconds += warmupSeconds;
      warmed++;
    }
    if (warmupSeconds * repetitions > budget) {
      return {
        ...base,
        ...empty,
        warmupRuns: warmed,
        warmupSeconds,
        status: 'over-budget',
        message: `one warm call took ${warmupSeconds.toFixed(2)} s; ${repetitions} repetitions would exceed the ${budgetName} budget of ${budget.toFixed(1)} s`,
      };
    }
    const times: number[] = [];
    let timedSeconds = 0;
    const timedTarget = Math.min(options.timedSeconds ?? 0, budget / 2);
    while (times.length < repetitions || (timedSeconds < timedTarget && times.length < maxRepetitions)) {
      const started = performance.now();
      await prepared.run();
      const seconds = (performance.now() - started) / 1000;
      times.push(seconds);
      timedSeconds += seconds;
    }
    times.sort((a, b) => a - b);
    const middle = times.length >> 1;
    const median = times.length % 2 === 1 ? times[middle]! : (times[middle - 1]! + times[middle]!) / 2;
    return {
      ...base,
      status: 'ok',
      warmupRuns: warmed,
      repetitions: times.length,
      medianSeconds: median,
      minSeconds: times[0]!,
      maxSeconds: times[times.length - 1]!,
      sequencesPerSecond: workload.batch / median,
      gflopsPerSecond: base.gflops / median,
    };
  } catch (error) {
    return { ...base, ...empty, status: 'error', message: messageOf(error) };
  } finally {
    await prepared.dispose();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
