/**
 * Browser-safe entry: checks, tolerances, benchmark harness and report types. Everything that
 * needs Node (reading vector files, describing the machine, `runConformance`) is in
 * `@recurrent/conformance/node`; the vitest suite is in `@recurrent/conformance/vitest`.
 */
export { createLayerWorkloadRunner } from './bench/layer-workload-runner.js';
export { type BenchmarkOptions, runBenchmarks } from './bench/run-benchmarks.js';
export type { PreparedWorkload, WorkloadNotApplicable, WorkloadRunner } from './bench/workload-runner.js';
export {
  type BenchmarkMode,
  benchmarkCells,
  benchmarkModes,
  gateCount,
  quickWorkloads,
  type Workload,
  workloadFlops,
  workloads,
} from './bench/workloads.js';
export {
  type CellFamily,
  type CellVariant,
  cellVariants,
  familyVariant,
  selectCellVariants,
} from './cell-variants.js';
export {
  coreOnnxImportPath,
  type OnnxImportPath,
  type OnnxVector,
  onnxVectorTolerance,
} from './checks/onnx-vectors.js';
export {
  type CheckContext,
  type CheckOutcome,
  type ConformanceCase,
  runCase,
} from './conformance-case.js';
export { buildConformanceSuite, checkGroups, type SuiteOptions } from './conformance-suite.js';
export { checkDirectionalDerivative, type DirectionalCheckOptions } from './directional-derivative.js';
export {
  gradientConfigurations,
  type LayerConfiguration,
  largeConfiguration,
  layerConfigurations,
} from './layer-configurations.js';
export {
  type BackendExpectation,
  type BackendSummary,
  type BenchmarkResult,
  type CheckGroup,
  type CheckResult,
  type CheckStatus,
  type ConformanceReport,
  type Environment,
  type ReportSummary,
  reportVersion,
  summarizeChecks,
  type TensorError,
} from './report.js';
export type { BackendSpec, ProgressEvent, RunOptions } from './run-conformance.js';
export { compareTensor, worstOf } from './tensor-error.js';
export {
  equivalenceSafetyFactor,
  equivalenceTolerance,
  float32GradientStep,
  float32GradientTolerance,
  float64GradientStep,
  float64GradientTolerance,
  reductionLength,
  unitRoundoff,
} from './tolerances.js';
