import type { ExperimentsReport, GradientFlowRow, Sizing, TrainingRow } from '@recurrent/experiments';

export type FlowPhase = GradientFlowRow['phase'];

/** One cell's gradient norms, indexed by distance T − 1 − t from the loss. */
export interface FlowSeries {
  readonly cell: string;
  /** Null where the norm is zero or not finite: a log axis cannot place it. */
  readonly values: readonly (number | null)[];
}

export interface FlowChart {
  readonly phase: FlowPhase;
  readonly steps: number;
  /** Distances 0, 1, …, steps − 1. */
  readonly distances: readonly number[];
  readonly series: readonly FlowSeries[];
}

/** One cell's held-out loss across its seeds: the band is min–max, the line the mean. */
export interface TrainingBand {
  readonly cell: string;
  readonly hiddenSize: number;
  readonly modelParameters: number;
  readonly seeds: number;
  readonly mean: readonly (number | null)[];
  readonly min: readonly (number | null)[];
  readonly max: readonly (number | null)[];
  readonly finalLoss: readonly number[];
  readonly finalAccuracy?: readonly number[];
}

/** The training curves of one task, sequence length and sizing. */
export interface TrainingChart {
  readonly key: string;
  readonly task: TrainingRow['task'];
  readonly steps: number;
  readonly sizing: Sizing;
  /** Adding: the MSE of predicting the mean; recall: chance accuracy. */
  readonly baseline: number;
  /** The update step of each evaluation: every `evaluateEvery` updates, then the final one. */
  readonly updates: readonly number[];
  readonly bands: readonly TrainingBand[];
}

export interface ParameterCountGroup {
  readonly task: string;
  readonly sizing: Sizing;
  /** The cell the `relative` column compares with: the first cell of the group (the run's order). */
  readonly relativeTo: string;
  readonly rows: readonly {
    readonly cell: string;
    readonly hiddenSize: number;
    readonly recurrentParameters: number;
    readonly modelParameters: number;
    /** Recurrent parameters over those of {@link ParameterCountGroup.relativeTo}. */
    readonly relative: number;
  }[];
}

const phaseOrder: readonly FlowPhase[] = ['initialisation', 'trained'];

/** The gradient-flow phases the report measured, initialisation first. */
export function flowPhases(report: ExperimentsReport): FlowPhase[] {
  return phaseOrder.filter((phase) => report.gradientFlow.some((row) => row.phase === phase));
}

function positiveOrNull(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : null;
}

/** ‖∂L/∂h_t‖ against the distance T − 1 − t, one series per cell (the report's order). */
export function gradientFlowChart(report: ExperimentsReport, phase: FlowPhase): FlowChart {
  const rows = report.gradientFlow.filter((row) => row.phase === phase);
  const length = Math.max(0, ...rows.map((row) => row.meanNorm.length));
  return {
    phase,
    steps: rows[0]?.steps ?? length,
    distances: Array.from({ length }, (_, distance) => distance),
    series: rows.map((row) => ({
      cell: row.cell,
      values: Array.from({ length }, (_, distance) => positiveOrNull(row.meanNorm[distance])),
    })),
  };
}

/**
 * The update step of each point of a curve of `points` evaluations: before updates 0,
 * `evaluateEvery`, 2·`evaluateEvery`, …, and the last one after all `trainingSteps` updates.
 */
export function evaluationSteps(points: number, evaluateEvery: number, trainingSteps: number): number[] {
  return Array.from({ length: points }, (_, index) =>
    index === points - 1 ? Math.max(trainingSteps, index * evaluateEvery) : index * evaluateEvery,
  );
}

function bandOf(row: TrainingRow, length: number): TrainingBand {
  const at = (index: number) =>
    row.curves.map((curve) => curve[index]).filter((value): value is number => Number.isFinite(value));
  const summarise = (reduce: (values: number[]) => number) =>
    Array.from({ length }, (_, index) => {
      const values = at(index);
      return values.length > 0 ? reduce(values) : null;
    });
  return {
    cell: row.cell,
    hiddenSize: row.hiddenSize,
    modelParameters: row.modelParameters,
    seeds: row.curves.length,
    mean: summarise((values) => values.reduce((sum, value) => sum + value, 0) / values.length),
    min: summarise((values) => Math.min(...values)),
    max: summarise((values) => Math.max(...values)),
    finalLoss: row.finalLoss,
    ...(row.finalAccuracy ? { finalAccuracy: row.finalAccuracy } : {}),
  };
}

/** The training curves grouped per task, sequence length and sizing, in the report's order. */
export function trainingCharts(report: ExperimentsReport): TrainingChart[] {
  const groups = new Map<string, TrainingRow[]>();
  for (const row of report.training) {
    const key = `${row.task}-${row.steps} · ${row.sizing}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups].map(([key, rows]) => {
    const first = rows[0]!;
    const length = Math.max(0, ...rows.flatMap((row) => row.curves.map((curve) => curve.length)));
    return {
      key,
      task: first.task,
      steps: first.steps,
      sizing: first.sizing,
      baseline: first.baseline,
      updates: evaluationSteps(length, first.evaluateEvery, report.config.trainingSteps),
      bands: rows.map((row) => bandOf(row, length)),
    };
  });
}

/** Parameter counts per task and sizing, each with the ratio to the group's first cell. */
export function parameterCountGroups(report: ExperimentsReport): ParameterCountGroup[] {
  const groups = new Map<string, ExperimentsReport['parameterCounts'][number][]>();
  for (const row of report.parameterCounts) {
    const key = `${row.task}\u0000${row.sizing}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()].map((rows) => {
    const first = rows[0]!;
    return {
      task: first.task,
      sizing: first.sizing,
      relativeTo: first.cell,
      rows: rows.map((row) => ({
        cell: row.cell,
        hiddenSize: row.hiddenSize,
        recurrentParameters: row.recurrentParameters,
        modelParameters: row.modelParameters,
        relative: row.recurrentParameters / first.recurrentParameters,
      })),
    };
  });
}
