import type { BenchmarkResult, CheckResult, ConformanceReport } from '@recurrent/conformance';

/** A passing check; override any field. */
export function makeCheck(overrides: Partial<CheckResult> = {}): CheckResult {
  return {
    id: 'equivalence/gru/forward',
    group: 'equivalence',
    backend: 'cpu',
    subject: 'gru',
    configuration: 'forward',
    status: 'pass',
    worstError: 1e-7,
    tolerance: 1e-5,
    message: 'matches the reference',
    durationMs: 1,
    ...overrides,
  };
}

/** A measured benchmark result; override any field. */
export function makeBenchmark(overrides: Partial<BenchmarkResult> = {}): BenchmarkResult {
  return {
    runner: 'cpu',
    peer: false,
    runnerInfo: { device: 'cpu' },
    workload: 'standard',
    cell: 'gru',
    mode: 'forward',
    batch: 8,
    steps: 16,
    inputSize: 32,
    hiddenSize: 64,
    status: 'ok',
    warmupRuns: 1,
    repetitions: 5,
    medianSeconds: 0.01,
    minSeconds: 0.009,
    maxSeconds: 0.011,
    sequencesPerSecond: 800,
    gflops: 0.01,
    gflopsPerSecond: 1,
    ...overrides,
  };
}

/** A minimal valid report holding the given checks and benchmarks. */
export function makeReport(
  createdAt: string,
  benchmarks: readonly BenchmarkResult[] = [],
  checks: readonly CheckResult[] = [],
): ConformanceReport {
  return {
    format: 'recurrent-conformance-report',
    version: 1,
    createdAt,
    environment: {
      cpuModel: 'test',
      cores: 1,
      memoryBytes: 1024,
      platform: 'linux',
      arch: 'x64',
      nodeVersion: 'v20',
    },
    backends: [
      {
        name: 'cpu',
        available: true,
        info: { name: 'cpu', dtype: 'float32', device: 'cpu', deterministic: true },
      },
    ],
    checks,
    benchmarks,
    summary: {
      passed: checks.filter((check) => check.status === 'pass').length,
      failed: checks.filter((check) => check.status === 'fail').length,
      notApplicable: checks.filter((check) => check.status === 'not-applicable').length,
      errors: checks.filter((check) => check.status === 'error').length,
    },
  };
}
