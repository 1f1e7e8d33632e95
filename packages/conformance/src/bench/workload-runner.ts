/**
 * What the benchmark harness runs: a runner prepares one (workload, cell, mode) and returns a
 * callable that does one whole call, including waiting for the device. Our backends implement
 * it in `layer-workload-runner.ts`; the CLI implements it for peer libraries (TensorFlow.js,
 * onnxruntime-node) so they are timed by the same harness in the same run.
 */
import type { CellFamily } from '../cell-variants.js';
import type { BenchmarkMode, Workload } from './workloads.js';

export interface PreparedWorkload {
  /** One complete call; resolves when the results are ready on the host side of the API. */
  readonly run: () => Promise<void>;
  readonly dispose: () => void | Promise<void>;
}

/** Returned instead of a workload when the runner cannot do it (e.g. ONNX Runtime training). */
export interface WorkloadNotApplicable {
  readonly notApplicable: string;
}

export interface WorkloadRunner {
  readonly name: string;
  /** True for peer libraries run as baselines. */
  readonly peer: boolean;
  /** What the runner is: backend info, peer version, threads, … (recorded with each result). */
  readonly describe: () => Readonly<Record<string, string | number | boolean>>;
  readonly prepare: (
    workload: Workload,
    cell: CellFamily,
    mode: BenchmarkMode,
  ) => Promise<PreparedWorkload | WorkloadNotApplicable>;
  /** Releases what the runner holds (optional). */
  readonly dispose?: () => void | Promise<void>;
}
