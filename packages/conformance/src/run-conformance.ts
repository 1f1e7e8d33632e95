/**
 * The programmatic runner: creates each backend (an unavailable one is reported with its
 * reason), runs the suite on it, optionally benchmarks it, and returns a versioned report.
 */
import type { Backend } from '@recurrent/core';
import { createReferenceBackend } from '@recurrent/core/reference';
import { createLayerWorkloadRunner } from './bench/layer-workload-runner.js';
import { type BenchmarkOptions, runBenchmarks } from './bench/run-benchmarks.js';
import type { WorkloadRunner } from './bench/workload-runner.js';
import { type CheckContext, runCase } from './conformance-case.js';
import { buildConformanceSuite, type SuiteOptions } from './conformance-suite.js';
import { describeEnvironment } from './environment.js';
import {
  type BackendExpectation,
  type BackendSummary,
  type BenchmarkResult,
  type CheckResult,
  type ConformanceReport,
  reportVersion,
  summarizeChecks,
} from './report.js';
import { bundledOnnxVectors } from './vector-files.js';

/** A backend to test: a name, a factory, and what the caller expects it to be. */
export interface BackendSpec {
  readonly name: string;
  readonly create: () => Backend | Promise<Backend>;
  readonly expected?: BackendExpectation;
}

export type ProgressEvent =
  | { readonly kind: 'backend'; readonly backend: BackendSummary }
  | {
      readonly kind: 'check';
      readonly backend: string;
      readonly done: number;
      readonly total: number;
      readonly result: CheckResult;
    }
  | {
      readonly kind: 'benchmark';
      readonly done: number;
      readonly total: number;
      readonly result: BenchmarkResult;
    };

export interface RunOptions extends SuiteOptions {
  /** Run the checks (default true). */
  readonly checks?: boolean;
  /** Benchmark every available backend (and `benchmark.peers`) when given. */
  readonly benchmark?: BenchmarkOptions & {
    readonly peers?: readonly WorkloadRunner[];
    readonly backends?: readonly string[];
  };
  readonly onProgress?: (event: ProgressEvent) => void;
}

export async function runConformance(
  backends: readonly BackendSpec[],
  options: RunOptions = {},
): Promise<ConformanceReport> {
  const reference = createReferenceBackend();
  const summaries: BackendSummary[] = [];
  const checks: CheckResult[] = [];
  const benchmarks: BenchmarkResult[] = [];
  const suite =
    options.checks === false
      ? []
      : buildConformanceSuite({ ...options, vectors: options.vectors ?? bundledOnnxVectors() });
  const runners: { runner: WorkloadRunner; backend: Backend }[] = [];
  try {
    for (const spec of backends) {
      let backend: Backend;
      try {
        backend = await spec.create();
      } catch (error) {
        const summary: BackendSummary = {
          name: spec.name,
          available: false,
          ...(spec.expected ? { expected: spec.expected } : {}),
          reason: error instanceof Error ? error.message : String(error),
        };
        summaries.push(summary);
        options.onProgress?.({ kind: 'backend', backend: summary });
        continue;
      }
      const summary: BackendSummary = {
        name: spec.name,
        available: true,
        info: { ...backend.info },
        ...(spec.expected ? { expected: spec.expected } : {}),
      };
      summaries.push(summary);
      options.onProgress?.({ kind: 'backend', backend: summary });
      const context: CheckContext = {
        backend,
        backendName: spec.name,
        reference,
        ...(spec.expected ? { expected: spec.expected } : {}),
      };
      for (const [index, testCase] of suite.entries()) {
        const result = await runCase(testCase, context);
        checks.push(result);
        options.onProgress?.({
          kind: 'check',
          backend: spec.name,
          done: index + 1,
          total: suite.length,
          result,
        });
      }
      const benchmarked = options.benchmark?.backends;
      if (options.benchmark && (!benchmarked || benchmarked.includes(spec.name))) {
        runners.push({ runner: createLayerWorkloadRunner(spec.name, backend), backend });
      } else {
        backend.destroy();
      }
    }
    if (options.benchmark) {
      const all = [...runners.map((entry) => entry.runner), ...(options.benchmark.peers ?? [])];
      benchmarks.push(
        ...(await runBenchmarks(all, {
          ...options.benchmark,
          onResult: (result, done, total) => options.onProgress?.({ kind: 'benchmark', done, total, result }),
        })),
      );
    }
  } finally {
    for (const { backend } of runners) {
      backend.destroy();
    }
    reference.destroy();
  }
  return {
    format: 'recurrent-conformance-report',
    version: reportVersion,
    createdAt: new Date().toISOString(),
    environment: describeEnvironment(),
    backends: summaries,
    checks,
    benchmarks,
    summary: summarizeChecks(checks),
  };
}
