/**
 * Plain-language findings computed from the measured results — never typed by hand. Each
 * sentence quotes the numbers it rests on, so a reader can check it against the tables.
 */
import type { GradientFlowRow, TrainingRow } from './report.js';

export function gradientNormAt(
  rows: readonly GradientFlowRow[],
  cell: string,
  phase: GradientFlowRow['phase'],
  distance: number,
): number | undefined {
  return rows.find((row) => row.cell === cell && row.phase === phase)?.meanNorm[distance];
}

function format(value: number): string {
  return value === 0 ? '0' : value.toExponential(2);
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

export function deriveFindings(flow: readonly GradientFlowRow[], training: readonly TrainingRow[]): string[] {
  const findings: string[] = [];
  const steps = flow[0]?.steps ?? 0;
  const distance = Math.min(50, steps - 1);
  for (const phase of ['initialisation', 'trained'] as const) {
    const rows = flow.filter((row) => row.phase === phase);
    if (rows.length === 0) {
      continue;
    }
    const ranked = rows
      .map((row) => ({ cell: row.cell, near: row.meanNorm[0]!, far: row.meanNorm[distance]! }))
      .sort((a, b) => b.far / b.near - a.far / a.near);
    const parts = ranked.map((row) => `${row.cell} ${format(row.far / row.near)}`);
    findings.push(
      `Gradient flow at ${phase}: ‖∂L/∂h‖ at distance ${distance} relative to distance 0 (T = ${steps}), largest first: ${parts.join(', ')}.`,
    );
  }
  const tasks = [...new Set(training.map((row) => `${row.task}-${row.steps}-${row.sizing}`))];
  for (const key of tasks) {
    const rows = training.filter((row) => `${row.task}-${row.steps}-${row.sizing}` === key);
    const first = rows[0]!;
    const metric = first.task === 'recall' ? 'accuracy' : 'MSE';
    const score = (row: TrainingRow) =>
      row.task === 'recall' ? mean(row.finalAccuracy ?? []) : mean(row.finalLoss);
    const better = (a: number, b: number) => (first.task === 'recall' ? b - a : a - b);
    const ordered = [...rows].sort((a, b) => better(score(a), score(b)));
    findings.push(
      `${first.task === 'adding' ? 'Adding problem' : 'Delayed recall'}, T = ${first.steps}, ${first.sizing}: final ${metric} (mean of ${first.finalLoss.length} seeds; baseline ${format(first.baseline)}), best first: ${ordered
        .map((row) => `${row.cell} ${format(score(row))}`)
        .join(', ')}.`,
    );
    const full = rows.find((row) => row.cell === 'gru-reset-after');
    const noReset = rows.find((row) => row.cell === 'gru-no-reset');
    const noUpdate = rows.find((row) => row.cell === 'gru-no-update');
    if (full && noReset && noUpdate) {
      findings.push(
        `Reset-gate ablation on ${first.task}-${first.steps} (${first.sizing}): GRU ${format(score(full))}, without reset gate ${format(score(noReset))}, without update gate ${format(score(noUpdate))} (${metric}).`,
      );
    }
  }
  return findings;
}
