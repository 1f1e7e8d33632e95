/**
 * The tables printed at the end, generated from the report (never typed by hand).
 */
import type { BenchmarkResult, CheckGroup, ConformanceReport } from '@recurrent/conformance';
import { checkGroups } from '@recurrent/conformance';

/** Fixed-width text table. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const render = (row: readonly string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  return [render(header), render(widths.map((width) => '-'.repeat(width))), ...rows.map(render)].join('\n');
}

/** One row per backend and check group: counts and the worst error against its tolerance. */
export function checkSummaryTable(report: ConformanceReport): string {
  const rows: string[][] = [];
  for (const backend of report.backends) {
    if (!backend.available) {
      rows.push([backend.name, '-', '-', '-', '-', '-', `unavailable: ${backend.reason}`]);
      continue;
    }
    for (const group of checkGroups) {
      const checks = report.checks.filter((check) => check.backend === backend.name && check.group === group);
      if (checks.length === 0) {
        continue;
      }
      const count = (status: string) => String(checks.filter((check) => check.status === status).length);
      const numeric = checks.filter((check) => check.worstError !== null && check.tolerance !== null);
      const worst = numeric.reduce<(typeof numeric)[number] | undefined>(
        (a, b) => (a === undefined || ratio(b) > ratio(a) ? b : a),
        undefined,
      );
      const failed = checks.find((check) => check.status === 'fail' || check.status === 'error');
      rows.push([
        backend.name,
        group satisfies CheckGroup,
        count('pass'),
        count('fail'),
        count('not-applicable'),
        worst ? `${exp(worst.worstError!)} / ${exp(worst.tolerance!)}` : '-',
        failed
          ? `${failed.id}: ${failed.message}`
          : (checks.find((check) => check.status === 'not-applicable')?.message ?? ''),
      ]);
    }
  }
  return formatTable(['backend', 'group', 'pass', 'fail', 'n/a', 'worst / tolerance', 'note'], rows);
}

/**
 * One row per benchmark result. `µs/step` is the median divided by the sequence length: at the
 * batch-1 `latency` workload it is the per-step dispatch overhead the GPU goal asks to report.
 */
export function benchmarkTable(results: readonly BenchmarkResult[]): string {
  // Grouped by runner, in the order runners first appear (the harness interleaves them).
  const runners = [...new Set(results.map((result) => result.runner))];
  const ordered = [...results].sort((a, b) => runners.indexOf(a.runner) - runners.indexOf(b.runner));
  const rows = ordered.map((result) => [
    result.runner + (result.peer ? ' (peer)' : ''),
    `${result.workload} (${result.batch}×${result.steps}×${result.inputSize}→${result.hiddenSize})`,
    result.cell,
    result.mode,
    result.medianSeconds === null ? result.status : (result.medianSeconds * 1000).toFixed(2),
    result.minSeconds === null
      ? '-'
      : `${(result.minSeconds * 1000).toFixed(2)}–${(result.maxSeconds! * 1000).toFixed(2)}`,
    result.medianSeconds === null ? '-' : ((result.medianSeconds * 1e6) / result.steps).toFixed(1),
    result.sequencesPerSecond === null ? '-' : result.sequencesPerSecond.toFixed(1),
    result.gflopsPerSecond === null ? '-' : result.gflopsPerSecond.toFixed(2),
  ]);
  return formatTable(
    [
      'runner',
      'workload (B×T×I→H)',
      'cell',
      'mode',
      'median ms',
      'min–max ms',
      'µs/step',
      'seq/s',
      'GFLOP/s',
    ],
    rows,
  );
}

function ratio(check: { worstError: number | null; tolerance: number | null }): number {
  return check.tolerance! > 0
    ? check.worstError! / check.tolerance!
    : check.worstError! > 0
      ? Number.POSITIVE_INFINITY
      : 0;
}

function exp(value: number): string {
  return value === 0 ? '0' : value.toExponential(1);
}
