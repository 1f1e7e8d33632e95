import type { BenchmarkResult } from '@recurrent/conformance';

/** One workload (shape × cell × mode) with every runner's measurement side by side. */
export interface WorkloadThroughput {
  readonly key: string;
  readonly workload: string;
  readonly cell: BenchmarkResult['cell'];
  readonly mode: BenchmarkResult['mode'];
  /** `B16 · T64 · I64 → H128` */
  readonly shape: string;
  /** Our backends first, then the peer baselines, each in report order. */
  readonly rows: readonly BenchmarkResult[];
  /** Largest sequences/s in the group, the full width of the bars. */
  readonly bestSequencesPerSecond: number;
}

/** The identity of a measurement across runners (and across reports, for history). */
export function workloadKey(result: Pick<BenchmarkResult, 'workload' | 'cell' | 'mode'>): string {
  return `${result.workload} · ${result.cell} · ${result.mode}`;
}

export function describeShape(result: Pick<BenchmarkResult, 'batch' | 'steps' | 'inputSize' | 'hiddenSize'>) {
  return `B${result.batch} · T${result.steps} · I${result.inputSize} → H${result.hiddenSize}`;
}

/** Groups benchmark results by workload, keeping report order of first appearance. */
export function groupByWorkload(results: readonly BenchmarkResult[]): WorkloadThroughput[] {
  const groups = new Map<string, BenchmarkResult[]>();
  for (const result of results) {
    const key = workloadKey(result);
    const list = groups.get(key);
    if (list) list.push(result);
    else groups.set(key, [result]);
  }
  return [...groups].map(([key, list]) => {
    const first = list[0]!;
    const rows = [...list.filter((row) => !row.peer), ...list.filter((row) => row.peer)];
    return {
      key,
      workload: first.workload,
      cell: first.cell,
      mode: first.mode,
      shape: describeShape(first),
      rows,
      bestSequencesPerSecond: Math.max(0, ...rows.map((row) => row.sequencesPerSecond ?? 0)),
    };
  });
}
