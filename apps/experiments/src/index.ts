export { deriveFindings, gradientNormAt } from './findings.js';
export {
  type ExperimentsConfig,
  type ExperimentsReport,
  experimentsSchema,
  experimentsSchemaVersion,
  type GradientFlowRow,
  type ParameterCountRow,
  type Sizing,
  type TrainingRow,
} from './report.js';
export {
  type ExperimentResults,
  fullConfig,
  parameterCountsOf,
  quickConfig,
  type RunOptions,
  runExperiments,
} from './run-experiments.js';
export { hiddenSizeForBudget, modelParameterCount } from './sizing.js';
export { addingBaselineMse, addingBatch, recallBatch } from './tasks.js';
