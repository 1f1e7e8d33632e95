/**
 * The experiments report, written next to the conformance reports (`reports/`), with its own
 * schema name so readers can tell the two apart. Every number in it is measured by the run
 * that wrote it.
 */
export const experimentsSchema = 'recurrent-experiments';
export const experimentsSchemaVersion = 1;

export interface ExperimentsReport {
  readonly schema: typeof experimentsSchema;
  readonly version: typeof experimentsSchemaVersion;
  readonly createdAt: string;
  readonly quick: boolean;
  readonly environment: {
    readonly node: string;
    readonly platform: string;
    readonly cpu: string;
    readonly cores: number;
    readonly backend: { readonly name: string; readonly dtype: string; readonly device: string };
  };
  readonly config: ExperimentsConfig;
  readonly parameterCounts: readonly ParameterCountRow[];
  readonly gradientFlow: readonly GradientFlowRow[];
  readonly training: readonly TrainingRow[];
  readonly findings: readonly string[];
  readonly durationSeconds: number;
}

export interface ExperimentsConfig {
  readonly cells: readonly string[];
  readonly seeds: number;
  readonly hiddenSize: number;
  readonly batch: number;
  readonly flowSteps: number;
  readonly flowTrainingSteps: number;
  readonly addingLengths: readonly number[];
  readonly recallLength: number;
  readonly recallSymbols: number;
  readonly trainingSteps: number;
  readonly learningRate: number;
  readonly clipNorm: number;
  /** Which sizings ran: the same hidden size for all cells, and/or the same parameter budget. */
  readonly sizings: readonly Sizing[];
}

export type Sizing = 'same-hidden' | 'same-parameters';

export interface ParameterCountRow {
  readonly cell: string;
  readonly task: string;
  readonly sizing: Sizing;
  readonly hiddenSize: number;
  readonly recurrentParameters: number;
  readonly modelParameters: number;
}

export interface GradientFlowRow {
  readonly cell: string;
  readonly phase: 'initialisation' | 'trained';
  readonly steps: number;
  /** `meanNorm[d]` is ‖∂L/∂h_{T−1−d}‖ averaged over the batch and the seeds. */
  readonly meanNorm: readonly number[];
  /** Per seed, same indexing. */
  readonly seedNorms: readonly (readonly number[])[];
}

export interface TrainingRow {
  readonly task: 'adding' | 'recall';
  readonly steps: number;
  readonly sizing: Sizing;
  readonly cell: string;
  readonly hiddenSize: number;
  readonly modelParameters: number;
  /** Loss after every `evaluateEvery` updates (held-out batch), per seed. */
  readonly curves: readonly (readonly number[])[];
  readonly evaluateEvery: number;
  readonly finalLoss: readonly number[];
  /** Recall only. */
  readonly finalAccuracy?: readonly number[];
  /** Adding problem: the MSE of predicting the mean (1/6); recall: chance accuracy. */
  readonly baseline: number;
}
