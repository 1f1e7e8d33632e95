/**
 * One unit of experiment work — a gradient-flow measurement or one training run, for one cell
 * and seed — as plain data, so jobs can run in this thread or in worker threads alike.
 */
import { type Backend, cellVariant, Random } from '@recurrent/core';
import { SequenceModel, type TaskKind } from './sequence-model.js';
import { addingBaselineMse, addingBatch, addingInputSize, recallBatch, recallInputSize } from './tasks.js';

export interface TaskSpec {
  readonly name: 'adding' | 'recall';
  readonly steps: number;
  /** Recall only. */
  readonly symbols?: number;
}

export interface FlowJob {
  readonly type: 'flow';
  readonly cell: string;
  readonly seed: number;
  readonly steps: number;
  readonly hiddenSize: number;
  readonly batch: number;
  readonly trainingSteps: number;
  readonly learningRate: number;
  readonly clipNorm: number;
}

export interface TrainingJob {
  readonly type: 'training';
  readonly cell: string;
  readonly seed: number;
  readonly task: TaskSpec;
  readonly hiddenSize: number;
  readonly batch: number;
  readonly trainingSteps: number;
  readonly evaluateEvery: number;
  readonly learningRate: number;
  readonly clipNorm: number;
}

export type Job = FlowJob | TrainingJob;

export interface FlowOutcome {
  readonly initial: number[];
  readonly trained?: number[];
}

export interface TrainingOutcome {
  readonly curve: number[];
  readonly finalLoss: number;
  readonly finalAccuracy?: number;
}

export type Outcome = FlowOutcome | TrainingOutcome;

export function taskShape(task: TaskSpec) {
  const kind: TaskKind = task.name === 'adding' ? 'regression' : 'classification';
  const symbols = task.symbols ?? 4;
  return {
    kind,
    inputSize: task.name === 'adding' ? addingInputSize : recallInputSize(symbols),
    outputs: task.name === 'adding' ? 1 : symbols,
    baseline: task.name === 'adding' ? addingBaselineMse : 1 / symbols,
    make: (random: Random, batch: number) =>
      task.name === 'adding'
        ? { ...addingBatch(random, batch, task.steps), batch, steps: task.steps }
        : { ...recallBatch(random, batch, task.steps, symbols), batch, steps: task.steps },
  };
}

export async function runJob(backend: Backend, job: Job): Promise<Outcome> {
  return job.type === 'flow' ? runFlow(backend, job) : runTraining(backend, job);
}

async function runFlow(backend: Backend, job: FlowJob): Promise<FlowOutcome> {
  const task = taskShape({ name: 'adding', steps: job.steps });
  const model = new SequenceModel(backend, {
    cell: cellVariant(job.cell).create(),
    inputSize: task.inputSize,
    hiddenSize: job.hiddenSize,
    outputs: 1,
    task: 'regression',
    seed: 1000 + job.seed,
    learningRate: job.learningRate,
    clipNorm: job.clipNorm,
  });
  try {
    const probe = task.make(new Random(7000 + job.seed), job.batch);
    const initial = await model.gradientFlow(probe);
    if (job.trainingSteps === 0) {
      return { initial };
    }
    const data = new Random(8000 + job.seed);
    for (let step = 0; step < job.trainingSteps; step++) {
      await model.trainStep(task.make(data, job.batch));
    }
    return { initial, trained: await model.gradientFlow(probe) };
  } finally {
    model.dispose();
  }
}

async function runTraining(backend: Backend, job: TrainingJob): Promise<TrainingOutcome> {
  const task = taskShape(job.task);
  const model = new SequenceModel(backend, {
    cell: cellVariant(job.cell).create(),
    inputSize: task.inputSize,
    hiddenSize: job.hiddenSize,
    outputs: task.outputs,
    task: task.kind,
    seed: 2000 + job.seed,
    learningRate: job.learningRate,
    clipNorm: job.clipNorm,
  });
  try {
    const data = new Random(3000 + job.seed);
    const heldOut = task.make(new Random(9000 + job.seed), 4 * job.batch);
    const curve: number[] = [];
    for (let step = 0; step < job.trainingSteps; step++) {
      if (step % job.evaluateEvery === 0) {
        curve.push((await model.evaluate(heldOut)).loss);
      }
      await model.trainStep(task.make(data, job.batch));
    }
    const final = await model.evaluate(heldOut);
    curve.push(final.loss);
    return {
      curve,
      finalLoss: final.loss,
      ...(final.accuracy !== undefined ? { finalAccuracy: final.accuracy } : {}),
    };
  } finally {
    model.dispose();
  }
}
