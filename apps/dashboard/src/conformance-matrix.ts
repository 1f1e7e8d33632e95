import type { CheckGroup, CheckResult, CheckStatus } from '@recurrent/conformance';

/** The checks of one backend, one subject (cell variant) and one check group. */
export interface MatrixCell {
  readonly backend: string;
  /** The row: the subject, or the folder of ONNX vector files (see {@link matrixRow}). */
  readonly subject: string;
  readonly group: CheckGroup;
  /** The outcome that matters most: fail, then error, then pass, then not-applicable. */
  readonly status: CheckStatus;
  readonly checks: readonly CheckResult[];
  readonly counts: Readonly<Record<CheckStatus, number>>;
  /** The numeric check closest to (or furthest past) its tolerance. */
  readonly worst?: CheckResult;
  /** Distinct reasons of the not-applicable checks. */
  readonly reasons: readonly string[];
}

export interface ConformanceMatrix {
  readonly backends: readonly string[];
  readonly groups: readonly CheckGroup[];
  /** Row names, see {@link matrixRow}. */
  readonly subjects: readonly string[];
  /** Keyed by {@link matrixKey}. */
  readonly cells: ReadonlyMap<string, MatrixCell>;
}

const statusRank: Record<CheckStatus, number> = { fail: 3, error: 2, pass: 1, 'not-applicable': 0 };

/** The key of a cell in {@link ConformanceMatrix.cells}. */
export function matrixKey(backend: string, subject: string, group: string): string {
  return `${backend}\u0000${subject}\u0000${group}`;
}

/**
 * The matrix row of a check: its subject (a cell variant), except ONNX vector files, which are
 * folded into one row per vector folder (dozens of files would otherwise each take a row).
 */
export function matrixRow(check: Pick<CheckResult, 'group' | 'subject'>): string {
  if (check.group !== 'onnx-vectors' || !check.subject.endsWith('.json')) return check.subject;
  const slash = check.subject.lastIndexOf('/');
  return `ONNX vectors: ${slash >= 0 ? check.subject.slice(0, slash) : '.'}`;
}

/** How close a check came to failing: worst error over tolerance (above 1 fails). */
export function toleranceRatio(check: CheckResult): number | undefined {
  if (check.worstError === null || check.tolerance === null || check.tolerance <= 0) return undefined;
  return check.worstError / check.tolerance;
}

function uniqueInOrder<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

function summarizeCell(
  backend: string,
  subject: string,
  group: CheckGroup,
  checks: CheckResult[],
): MatrixCell {
  const counts: Record<CheckStatus, number> = { pass: 0, fail: 0, error: 0, 'not-applicable': 0 };
  let status: CheckStatus = 'not-applicable';
  let worst: CheckResult | undefined;
  let worstRatio = -1;
  for (const check of checks) {
    counts[check.status] += 1;
    if (statusRank[check.status] > statusRank[status]) status = check.status;
    const ratio = toleranceRatio(check);
    if (ratio !== undefined && ratio > worstRatio) {
      worstRatio = ratio;
      worst = check;
    }
  }
  const reasons = uniqueInOrder(
    checks.filter((check) => check.status === 'not-applicable').map((check) => check.message),
  );
  return { backend, subject, group, status, checks, counts, ...(worst ? { worst } : {}), reasons };
}

/**
 * Arranges a report's checks as backend × subject × group. Order follows the report (the CLI
 * lists backends and cells in a deliberate order); nothing is sorted alphabetically.
 */
export function buildConformanceMatrix(checks: readonly CheckResult[]): ConformanceMatrix {
  const grouped = new Map<string, CheckResult[]>();
  for (const check of checks) {
    const key = matrixKey(check.backend, matrixRow(check), check.group);
    const list = grouped.get(key);
    if (list) list.push(check);
    else grouped.set(key, [check]);
  }
  const cells = new Map<string, MatrixCell>();
  for (const [key, list] of grouped) {
    const first = list[0]!;
    cells.set(key, summarizeCell(first.backend, matrixRow(first), first.group, list));
  }
  return {
    backends: uniqueInOrder(checks.map((check) => check.backend)),
    groups: uniqueInOrder(checks.map((check) => check.group)),
    subjects: uniqueInOrder(checks.map(matrixRow)),
    cells,
  };
}
