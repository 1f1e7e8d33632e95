/**
 * The conformance report: what ran, on which backends, with what worst error against which
 * tolerance. Versioned; `report-schema.json` beside this file is its JSON Schema and the
 * tests validate real reports against it. Bump {@link reportVersion} on any breaking change.
 */
import type { BackendInfo } from '@recurrent/core';

/** Version of the report format described by `report-schema.json`. */
export const reportVersion = 1;

/** Outcome of one check. `not-applicable` always carries the reason. */
export type CheckStatus = 'pass' | 'fail' | 'not-applicable' | 'error';

/** The families of checks (README, "Checks"). */
export type CheckGroup =
  | 'capabilities'
  | 'gradient'
  | 'float32-gradient'
  | 'equivalence'
  | 'onnx-vectors'
  | 'invariants'
  | 'bad-input';

/** The error measured on one named tensor, e.g. `layers[0][1].recurrentWeights`. */
export interface TensorError {
  readonly tensor: string;
  /** Worst element's error relative to the tensor's scale (see README, "Error measure"). */
  readonly error: number;
  readonly worstIndex?: number;
  /** The value under test and the expected value at the worst element. */
  readonly actual?: number;
  readonly expected?: number;
}

export interface CheckResult {
  /** Stable id, `<group>/<subject>/<configuration>`. */
  readonly id: string;
  readonly group: CheckGroup;
  readonly backend: string;
  /** Cell variant, vector file or entry point the check is about. */
  readonly subject: string;
  /** Layer configuration or variant of the check (direction, layers, layout, lengths). */
  readonly configuration: string;
  readonly status: CheckStatus;
  /** Worst error over every tensor compared; null when nothing numeric was measured. */
  readonly worstError: number | null;
  /** The bound the worst error was held to; null when the check is not numeric. */
  readonly tolerance: number | null;
  /** Name of the tensor with the worst error (or the failing one). */
  readonly worstTensor?: string;
  readonly tensors?: readonly TensorError[];
  /** What happened, in one sentence; for `not-applicable` the reason. */
  readonly message: string;
  readonly durationMs: number;
}

/** What the caller expected of a backend, compared with what it states in `info`. */
export interface BackendExpectation {
  /** Where it must run, e.g. `webgpu` (or any of a list): a backend whose `info.device` differs fails. */
  readonly device?: string | readonly string[];
  readonly dtype?: 'float32' | 'float64';
}

export interface BackendSummary {
  /** Registry name as the caller chose it (`cpu`, `cpu-f64`, `gpujs`). */
  readonly name: string;
  readonly available: boolean;
  /** The backend's own statement of what it is; absent when it could not be created. */
  readonly info?: BackendInfo;
  readonly expected?: BackendExpectation;
  /** Why it was unavailable. */
  readonly reason?: string;
}

/** The machine a report was produced on. */
export interface Environment {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly platform: string;
  readonly arch: string;
  readonly nodeVersion: string;
}

/** Timing of one (runner, workload, cell, mode). */
export interface BenchmarkResult {
  /** Runner name, e.g. `cpu`, `tfjs-wasm`, `onnxruntime-node`. */
  readonly runner: string;
  /** True for peer libraries run as baselines. */
  readonly peer: boolean;
  /** What the runner states about itself (backend info, peer version and threads). */
  readonly runnerInfo: Readonly<Record<string, string | number | boolean>>;
  readonly workload: string;
  readonly cell: 'rnn' | 'gru' | 'lstm';
  readonly mode: 'forward' | 'train';
  readonly batch: number;
  readonly steps: number;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly status: 'ok' | 'not-applicable' | 'over-budget' | 'error';
  readonly message?: string;
  readonly warmupRuns: number;
  readonly repetitions: number;
  /** Seconds per call; null when not measured. */
  readonly medianSeconds: number | null;
  readonly minSeconds: number | null;
  readonly maxSeconds: number | null;
  readonly sequencesPerSecond: number | null;
  /** By the convention in the README: 2·(I+H)·H·G per step per row, train = 3× forward. */
  readonly gflops: number | null;
  readonly gflopsPerSecond: number | null;
}

export interface ReportSummary {
  readonly passed: number;
  readonly failed: number;
  readonly notApplicable: number;
  readonly errors: number;
}

export interface ConformanceReport {
  readonly format: 'recurrent-conformance-report';
  readonly version: typeof reportVersion;
  readonly createdAt: string;
  readonly environment: Environment;
  readonly backends: readonly BackendSummary[];
  readonly checks: readonly CheckResult[];
  readonly benchmarks: readonly BenchmarkResult[];
  readonly summary: ReportSummary;
}

/** Counts of check outcomes. */
export function summarizeChecks(checks: readonly CheckResult[]): ReportSummary {
  const count = (status: CheckStatus) => checks.filter((check) => check.status === status).length;
  return {
    passed: count('pass'),
    failed: count('fail'),
    notApplicable: count('not-applicable'),
    errors: count('error'),
  };
}
