import type { BenchmarkResult } from '@recurrent/conformance';

export type SweepDimension = 'hiddenSize' | 'steps' | 'batch';

/** Throughput of each runner along one swept dimension, the others held fixed. */
export interface ScalingChart {
  readonly dimension: SweepDimension;
  readonly cell: BenchmarkResult['cell'];
  readonly mode: BenchmarkResult['mode'];
  /** What is held fixed, e.g. `B16 · T64`. */
  readonly fixed: string;
  /** Distinct values of the swept dimension, ascending. */
  readonly xs: readonly number[];
  readonly series: readonly {
    readonly runner: string;
    readonly peer: boolean;
    readonly values: (number | null)[];
  }[];
}

/** The smallest number of distinct sizes that makes a sweep worth a chart. */
const minimumSweepLength = 3;

/**
 * The dimensions held fixed for each sweep. A hidden-size sweep usually grows the input with the
 * hidden size, so the input size is free there; elsewhere it is held.
 */
const fixedDimensions: Record<SweepDimension, readonly (keyof BenchmarkResult)[]> = {
  hiddenSize: ['batch', 'steps'],
  steps: ['batch', 'inputSize', 'hiddenSize'],
  batch: ['steps', 'inputSize', 'hiddenSize'],
};

const shortNames: Partial<Record<keyof BenchmarkResult, string>> = {
  batch: 'B',
  steps: 'T',
  inputSize: 'I',
  hiddenSize: 'H',
};

/** Finds every sweep in the results (3+ sizes along one dimension) and lays it out for a chart. */
export function findScalingCharts(results: readonly BenchmarkResult[]): ScalingChart[] {
  const measured = results.filter((result) => result.status === 'ok' && result.sequencesPerSecond !== null);
  const charts: ScalingChart[] = [];
  for (const dimension of ['hiddenSize', 'steps', 'batch'] as const) {
    const fixed = fixedDimensions[dimension];
    const families = new Map<string, BenchmarkResult[]>();
    for (const result of measured) {
      const key = [result.cell, result.mode, ...fixed.map((name) => result[name])].join('|');
      const list = families.get(key);
      if (list) list.push(result);
      else families.set(key, [result]);
    }
    for (const family of families.values()) {
      const xs = [...new Set(family.map((result) => result[dimension]))].sort((a, b) => a - b);
      if (xs.length < minimumSweepLength) continue;
      const runners = [...new Set(family.map((result) => result.runner))];
      const series = runners.map((runner) => {
        const own = family.filter((result) => result.runner === runner);
        return {
          runner,
          peer: own[0]!.peer,
          values: xs.map((x) => own.find((result) => result[dimension] === x)?.sequencesPerSecond ?? null),
        };
      });
      const first = family[0]!;
      charts.push({
        dimension,
        cell: first.cell,
        mode: first.mode,
        fixed: fixed.map((name) => `${shortNames[name]}${first[name]}`).join(' · '),
        xs,
        series,
      });
    }
  }
  return charts;
}
