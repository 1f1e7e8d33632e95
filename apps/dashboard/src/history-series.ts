import type { ConformanceReport } from '@recurrent/conformance';
import { workloadKey } from './throughput-table.js';

/** A report with the file it came from. */
export interface LoadedReport {
  readonly file: string;
  readonly report: ConformanceReport;
}

/** One metric (runner × workload) across reports, oldest first. */
export interface HistorySeries {
  readonly workload: string;
  readonly runner: string;
  readonly peer: boolean;
  /** Aligned with {@link History.times}; null where that report did not measure it. */
  readonly sequencesPerSecond: (number | null)[];
}

/** A drop from one measured report to the next measured one beyond the threshold. */
export interface Regression {
  readonly workload: string;
  readonly runner: string;
  readonly file: string;
  readonly createdAt: string;
  readonly previousFile: string;
  readonly previous: number;
  readonly current: number;
  /** Relative change, negative for a slowdown: `-0.25` is 25% slower. */
  readonly change: number;
}

export interface History {
  readonly files: readonly string[];
  /** Each report's `createdAt`, aligned with `files`. */
  readonly createdAt: readonly string[];
  /** Seconds since the epoch of each report's `createdAt`, ascending. */
  readonly times: readonly number[];
  readonly workloads: readonly string[];
  readonly series: readonly HistorySeries[];
  /** Passed and failed checks of each report, aligned with `times`. */
  readonly passed: readonly number[];
  readonly failed: readonly number[];
}

/** Reports ordered by when they were made (file name breaks ties, as the CLI names by time). */
export function orderByTime(reports: readonly LoadedReport[]): LoadedReport[] {
  return [...reports].sort(
    (a, b) => Date.parse(a.report.createdAt) - Date.parse(b.report.createdAt) || a.file.localeCompare(b.file),
  );
}

/** Lays out every benchmark metric across the reports, ordered by time. */
export function buildHistory(reports: readonly LoadedReport[]): History {
  const ordered = orderByTime(reports);
  const series = new Map<string, HistorySeries>();
  ordered.forEach(({ report }, index) => {
    for (const result of report.benchmarks) {
      const workload = workloadKey(result);
      const key = `${workload}\u0000${result.runner}`;
      let entry = series.get(key);
      if (!entry) {
        entry = {
          workload,
          runner: result.runner,
          peer: result.peer,
          sequencesPerSecond: ordered.map(() => null),
        };
        series.set(key, entry);
      }
      if (result.status === 'ok') entry.sequencesPerSecond[index] = result.sequencesPerSecond;
    }
  });
  const all = [...series.values()];
  return {
    files: ordered.map((entry) => entry.file),
    createdAt: ordered.map((entry) => entry.report.createdAt),
    times: ordered.map((entry) => Date.parse(entry.report.createdAt) / 1000),
    workloads: [...new Set(all.map((entry) => entry.workload))],
    series: all,
    passed: ordered.map((entry) => entry.report.summary.passed),
    failed: ordered.map((entry) => entry.report.summary.failed),
  };
}

/**
 * Slowdowns beyond `threshold` (0.1 = 10%) between consecutive measurements of the same metric.
 * A report that did not measure a metric is skipped, not treated as zero.
 */
export function findRegressions(history: History, threshold: number): Regression[] {
  const regressions: Regression[] = [];
  for (const entry of history.series) {
    let previousIndex = -1;
    entry.sequencesPerSecond.forEach((current, index) => {
      if (current === null) return;
      const previous = previousIndex >= 0 ? entry.sequencesPerSecond[previousIndex] : null;
      if (previous !== null && previous !== undefined && previous > 0) {
        const change = current / previous - 1;
        if (change < -threshold) {
          regressions.push({
            workload: entry.workload,
            runner: entry.runner,
            file: history.files[index]!,
            createdAt: history.createdAt[index]!,
            previousFile: history.files[previousIndex]!,
            previous,
            current,
            change,
          });
        }
      }
      previousIndex = index;
    });
  }
  return regressions;
}
