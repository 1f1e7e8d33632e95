import type { BenchmarkResult } from '@recurrent/conformance';
import type { LiveWorkload } from './live-benchmark.js';

/** The backends a visitor can run in their own browser, and the device each must state. */
export const liveBackends = {
  cpu: { label: 'CPU (typed arrays / WebAssembly)', expectedDevices: ['cpu', 'wasm'] },
  'gpujs-webgl2': { label: 'gpu.js WebGL2', expectedDevices: ['webgl2'] },
  'gpujs-webgpu': { label: 'gpu.js WebGPU', expectedDevices: ['webgpu'] },
} as const;

export type LiveBackendChoice = keyof typeof liveBackends;

/** What the page asks the worker to run. */
export interface LiveRunRequest {
  readonly id: number;
  readonly backend: LiveBackendChoice;
  /** A workload of the report (so the row joins its group) or the small live default. */
  readonly live: LiveWorkload;
  readonly warmupRuns: number;
  readonly repetitions: number;
}

export type LiveRunPhase = 'starting' | 'warm-up' | 'timing';

/** What the worker answers, in order: progress messages, then exactly one of the other three. */
export type LiveRunMessage =
  | {
      readonly type: 'progress';
      readonly id: number;
      readonly phase: LiveRunPhase;
      readonly done: number;
      readonly total: number;
    }
  | { readonly type: 'done'; readonly id: number; readonly result: BenchmarkResult }
  | { readonly type: 'unavailable'; readonly id: number; readonly reason: string }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };
