/**
 * Runs the three experiments of "why do we need the reset gate?": gradient flow at
 * initialisation and after training, the adding problem and delayed recall with equal hidden
 * sizes and with equal parameter budgets, and the parameter counts. Work is split into
 * independent jobs (`jobs.ts`) that run in this thread or on worker threads.
 */
import { type Backend, cellVariant } from '@recurrent/core';
import { runJobs } from './job-pool.js';
import {
  type FlowJob,
  type FlowOutcome,
  type Job,
  type TaskSpec,
  type TrainingJob,
  type TrainingOutcome,
  taskShape,
} from './jobs.js';
import type { ExperimentsConfig, GradientFlowRow, ParameterCountRow, Sizing, TrainingRow } from './report.js';
import { hiddenSizeForBudget, modelParameterCount } from './sizing.js';

const allCells = [
  'rnn-tanh',
  'gru-reset-after',
  'gru-reset-before',
  'lstm',
  'gru-no-reset',
  'gru-no-update',
  'mgu',
];

export const quickConfig: ExperimentsConfig = {
  cells: allCells,
  seeds: 2,
  hiddenSize: 16,
  batch: 16,
  flowSteps: 60,
  flowTrainingSteps: 0,
  addingLengths: [20],
  recallLength: 10,
  recallSymbols: 4,
  trainingSteps: 60,
  learningRate: 0.01,
  clipNorm: 1,
  sizings: ['same-hidden'],
};

export const fullConfig: ExperimentsConfig = {
  cells: allCells,
  seeds: 3,
  hiddenSize: 32,
  batch: 32,
  flowSteps: 100,
  flowTrainingSteps: 100,
  addingLengths: [50, 100, 200],
  recallLength: 50,
  recallSymbols: 4,
  trainingSteps: 200,
  learningRate: 0.01,
  clipNorm: 1,
  sizings: ['same-hidden', 'same-parameters'],
};

export interface RunOptions {
  /** Worker threads (default 0: run in this thread on `backend`). */
  readonly workers?: number;
  readonly progress?: (message: string, done: number, total: number) => void;
}

export interface ExperimentResults {
  readonly parameterCounts: ParameterCountRow[];
  readonly gradientFlow: GradientFlowRow[];
  readonly training: TrainingRow[];
}

interface RunSpec {
  readonly task: TaskSpec;
  readonly sizing: Sizing;
  readonly cell: string;
  readonly hiddenSize: number;
}

/** The (task, sizing, cell) combinations a configuration trains. */
function plannedRuns(config: ExperimentsConfig): RunSpec[] {
  const tasks: TaskSpec[] = [
    ...config.addingLengths.map((steps): TaskSpec => ({ name: 'adding', steps })),
    { name: 'recall', steps: config.recallLength, symbols: config.recallSymbols },
  ];
  const middle = config.addingLengths[Math.floor((config.addingLengths.length - 1) / 2)];
  const reference = cellVariant('gru-reset-after').create();
  const runs: RunSpec[] = [];
  for (const task of tasks) {
    const shape = taskShape(task);
    const budget = modelParameterCount(reference, shape.inputSize, config.hiddenSize, shape.outputs);
    for (const sizing of config.sizings) {
      // The parameter-matched comparison runs on the middle adding length and on recall.
      if (sizing === 'same-parameters' && task.name === 'adding' && task.steps !== middle) {
        continue;
      }
      for (const cell of config.cells) {
        const definition = cellVariant(cell).create();
        const hiddenSize =
          sizing === 'same-hidden'
            ? config.hiddenSize
            : hiddenSizeForBudget(definition, shape.inputSize, shape.outputs, budget);
        runs.push({ task, sizing, cell, hiddenSize });
      }
    }
  }
  return runs;
}

export function parameterCountsOf(config: ExperimentsConfig): ParameterCountRow[] {
  return plannedRuns(config).map((run) => {
    const shape = taskShape(run.task);
    const model = modelParameterCount(
      cellVariant(run.cell).create(),
      shape.inputSize,
      run.hiddenSize,
      shape.outputs,
    );
    return {
      cell: run.cell,
      task: `${run.task.name}-${run.task.steps}`,
      sizing: run.sizing,
      hiddenSize: run.hiddenSize,
      recurrentParameters: model - shape.outputs * (run.hiddenSize + 1),
      modelParameters: model,
    };
  });
}

export async function runExperiments(
  backend: Backend,
  config: ExperimentsConfig,
  options: RunOptions = {},
): Promise<ExperimentResults> {
  const runs = plannedRuns(config);
  const evaluateEvery = Math.max(1, Math.floor(config.trainingSteps / 20));
  const flowJobs: FlowJob[] = config.cells.flatMap((cell) =>
    seedsOf(config).map((seed) => ({
      type: 'flow' as const,
      cell,
      seed,
      steps: config.flowSteps,
      hiddenSize: config.hiddenSize,
      batch: config.batch,
      trainingSteps: config.flowTrainingSteps,
      learningRate: config.learningRate,
      clipNorm: config.clipNorm,
    })),
  );
  const trainingJobs: TrainingJob[] = runs.flatMap((run) =>
    seedsOf(config).map((seed) => ({
      type: 'training' as const,
      cell: run.cell,
      seed,
      task: run.task,
      hiddenSize: run.hiddenSize,
      batch: config.batch,
      trainingSteps: config.trainingSteps,
      evaluateEvery,
      learningRate: config.learningRate,
      clipNorm: config.clipNorm,
    })),
  );
  const jobs: Job[] = [...flowJobs, ...trainingJobs];
  // Longest first, so two workers finish together.
  const order = jobs.map((_, index) => index).sort((a, b) => cost(jobs[b]!) - cost(jobs[a]!));
  const ordered = order.map((index) => jobs[index]!);
  const started = performance.now();
  const outcomes = await runJobs(ordered, {
    workers: options.workers ?? 0,
    backend,
    onDone: (job, done, total) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      const what =
        job.type === 'flow'
          ? `gradient flow ${job.cell}`
          : `${job.task.name}-${job.task.steps} ${job.cell} H=${job.hiddenSize}`;
      options.progress?.(`${seconds}s ${what} seed ${job.seed}`, done, total);
    },
  });
  const outcomeOf = new Map<Job, unknown>(
    order.map((jobIndex, position) => [jobs[jobIndex]!, outcomes[position]]),
  );

  const gradientFlow: GradientFlowRow[] = [];
  for (const cell of config.cells) {
    const results = flowJobs
      .filter((job) => job.cell === cell)
      .map((job) => outcomeOf.get(job) as FlowOutcome);
    const initial = results.map((result) => result.initial);
    gradientFlow.push({
      cell,
      phase: 'initialisation',
      steps: config.flowSteps,
      meanNorm: meanOf(initial),
      seedNorms: initial,
    });
    const trained = results.flatMap((result) => (result.trained ? [result.trained] : []));
    if (trained.length > 0) {
      gradientFlow.push({
        cell,
        phase: 'trained',
        steps: config.flowSteps,
        meanNorm: meanOf(trained),
        seedNorms: trained,
      });
    }
  }
  const training: TrainingRow[] = runs.map((run) => {
    const results = trainingJobs
      .filter((job) => job.cell === run.cell && job.task === run.task && job.hiddenSize === run.hiddenSize)
      .map((job) => outcomeOf.get(job) as TrainingOutcome);
    const shape = taskShape(run.task);
    const accuracies = results.flatMap((result) =>
      result.finalAccuracy === undefined ? [] : [result.finalAccuracy],
    );
    return {
      task: run.task.name,
      steps: run.task.steps,
      sizing: run.sizing,
      cell: run.cell,
      hiddenSize: run.hiddenSize,
      modelParameters: modelParameterCount(
        cellVariant(run.cell).create(),
        shape.inputSize,
        run.hiddenSize,
        shape.outputs,
      ),
      curves: results.map((result) => result.curve),
      evaluateEvery,
      finalLoss: results.map((result) => result.finalLoss),
      ...(accuracies.length > 0 ? { finalAccuracy: accuracies } : {}),
      baseline: shape.baseline,
    };
  });
  return { parameterCounts: parameterCountsOf(config), gradientFlow, training };
}

function seedsOf(config: ExperimentsConfig): number[] {
  return Array.from({ length: config.seeds }, (_, seed) => seed);
}

/** Relative cost: time steps processed, weighted by hidden size squared. */
function cost(job: Job): number {
  const steps =
    job.type === 'flow' ? job.steps * (job.trainingSteps + 2) : job.task.steps * job.trainingSteps;
  return steps * job.hiddenSize * job.hiddenSize;
}

function meanOf(rows: readonly (readonly number[])[]): number[] {
  const mean = new Array<number>(rows[0]!.length).fill(0);
  for (const row of rows) {
    row.forEach((value, index) => {
      mean[index]! += value / rows.length;
    });
  }
  return mean;
}
