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
  // Each runner's best pace so far (seconds per GFLOP over every measured combination): an
  // optimistic prediction, so only a combination that cannot fit even at that pace is skipped.
  const paces = new Map<WorkloadRunner, Pace>();
  // Workloads outermost: every runner (peers included) gets the small shapes before any runner
  // spends the total budget on the large ones.
  for (const workload of workloads) {
    for (const runner of runners) {
      for (const cell of cells) {
        for (const mode of modes) {
          const remaining =
            (options.totalBudgetSeconds ?? Number.POSITIVE_INFINITY) - (performance.now() - started) / 1000;
          const result = await measure(runner, workload, cell, mode, options, paces.get(runner), remaining);
          const seconds = result.medianSeconds ?? result.warmupSeconds;
          const pace = paces.get(runner);
          if (seconds !== undefined && seconds !== null && result.gflops) {
            const secondsPerGflop = seconds / result.gflops;
            if (!pace || secondsPerGflop < pace.secondsPerGflop) {
              paces.set(runner, { secondsPerGflop, workload: `${workload.name} ${cell} ${mode}` });
            }
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

interface Pace {
  readonly secondsPerGflop: number;
  readonly workload: string;
}

async function measure(
  runner: WorkloadRunner,
  workload: Workload,
  cell: CellFamily,
  mode: BenchmarkMode,
  options: BenchmarkOptions,
  pace: Pace | undefined,
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
  // A combination predicted (at the runner's best pace so far) to blow the budget is not
  // started: on a slow device one warm-up call of the large grid can take minutes.
  const predicted = pace ? pace.secondsPerGflop * base.gflops : 0;
  if (predicted * (repetitions + warmupRuns) > budget) {
    return {
      ...base,
      ...empty,
      status: 'over-budget',
      message: `predicted ${predicted.toFixed(2)} s per call at the pace of ${pace!.workload}; ${warmupRuns} warm-up + ${repetitions} repetitions would exceed the ${budgetName} budget of ${budget.toFixed(1)} s`,
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
    for (let run = 0; run < warmupRuns; run++) {
      const started = performance.now();
      await prepared.run();
      warmupSeconds = (performance.now() - started) / 1000;
    }
    if (warmupSeconds * repetitions > budget) {
      return {
        ...base,
        ...empty,
        warmupRuns,
        warmupSeconds,
        status: 'over-budget',
        message: `one warm call took ${warmupSeconds.toFixed(2)} s; ${repetitions} repetitions would exceed the ${budgetName} budget of ${budget.toFixed(1)} s`,
      };
    }
    const times: number[] = [];
    for (let run = 0; run < repetitions; run++) {
      const started = performance.now();
      await prepared.run();
      times.push((performance.now() - started) / 1000);
    }
    times.sort((a, b) => a - b);
    const middle = times.length >> 1;
    const median = times.length % 2 === 1 ? times[middle]! : (times[middle - 1]! + times[middle]!) / 2;
    return {
      ...base,
      status: 'ok',
      warmupRuns,
      repetitions,
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
