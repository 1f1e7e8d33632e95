import type { CheckResult, ConformanceReport } from '@recurrent/conformance';
import { buildConformanceMatrix, type MatrixCell, matrixKey } from '../conformance-matrix.js';
import { columnHeading, element } from '../dom.js';
import { formatError } from '../format-number.js';

const statusLabels = { pass: 'pass', fail: 'FAIL', error: 'error', 'not-applicable': 'n/a' } as const;

function describeCell(cell: MatrixCell): string {
  const lines = [`${cell.backend} · ${cell.subject} · ${cell.group}: ${cell.status}`];
  const { counts } = cell;
  lines.push(
    `${counts.pass} passed, ${counts.fail} failed, ${counts.error} errors, ${counts['not-applicable']} not applicable`,
  );
  if (cell.worst) {
    lines.push(
      `worst error ${formatError(cell.worst.worstError)} (tolerance ${formatError(cell.worst.tolerance)})` +
        `${cell.worst.worstTensor ? ` in ${cell.worst.worstTensor}` : ''}, ${cell.worst.configuration}`,
    );
  }
  for (const reason of cell.reasons) lines.push(`not applicable: ${reason}`);
  return lines.join('\n');
}

function cellText(cell: MatrixCell): string {
  const total = cell.checks.length;
  if (cell.status === 'not-applicable') return 'n/a';
  if (cell.status === 'pass') return `✓ ${cell.counts.pass}`;
  return `${statusLabels[cell.status]} ${cell.counts.fail + cell.counts.error}/${total}`;
}

function checkRow(cell: MatrixCell, check: CheckResult) {
  // A folded row (ONNX vector files) names the file of each check.
  const what =
    check.subject === cell.subject ? check.configuration : `${check.subject} · ${check.configuration}`;
  return element(
    'tr',
    { class: `status-${check.status}` },
    element('td', {}, what),
    element('td', {}, statusLabels[check.status]),
    element('td', { class: 'number' }, formatError(check.worstError)),
    element('td', { class: 'number' }, formatError(check.tolerance)),
    element('td', {}, check.worstTensor ?? ''),
    element('td', {}, check.message),
  );
}

function renderDetails(details: HTMLElement, cell: MatrixCell) {
  details.replaceChildren(
    element('h3', {}, `${cell.subject} · ${cell.group} on ${cell.backend}`),
    element(
      'table',
      { class: 'data-table' },
      element(
        'thead',
        {},
        element(
          'tr',
          {},
          ['configuration', 'status', 'worst error', 'tolerance', 'worst tensor', 'message'].map(
            columnHeading,
          ),
        ),
      ),
      element(
        'tbody',
        {},
        cell.checks.map((check) => checkRow(cell, check)),
      ),
    ),
  );
  details.hidden = false;
}

/** Backend × cell variant × check group, coloured by outcome; a click lists the checks behind a cell. */
export function renderMatrixView(container: HTMLElement, report: ConformanceReport) {
  const matrix = buildConformanceMatrix(report.checks);
  const details = element('section', { class: 'matrix-details', hidden: true, 'aria-live': 'polite' });
  const { summary } = report;
  const header = element(
    'p',
    { class: 'summary' },
    element('span', { class: 'badge status-pass' }, `${summary.passed} passed`),
    element('span', { class: 'badge status-fail' }, `${summary.failed} failed`),
    element(
      'span',
      { class: 'badge status-error' },
      `${summary.errors} error${summary.errors === 1 ? '' : 's'}`,
    ),
    element('span', { class: 'badge status-not-applicable' }, `${summary.notApplicable} not applicable`),
  );
  // A backend that could not be created has no checks; say so rather than leave it out silently.
  const unavailable = report.backends.filter((backend) => !backend.available);
  const notRun =
    unavailable.length > 0
      ? element(
          'ul',
          { class: 'plain-list not-run', 'data-testid': 'unavailable-backends' },
          unavailable.map((backend) =>
            element(
              'li',
              {},
              element('strong', {}, `${backend.name} not run`),
              ` — unavailable: ${backend.reason ?? 'no reason given'}`,
            ),
          ),
        )
      : null;
  if (matrix.backends.length === 0) {
    container.replaceChildren(
      ...[header, notRun, element('p', { class: 'empty' }, 'This report has no conformance checks.')].filter(
        (node) => node !== null,
      ),
    );
    return;
  }
  const table = element(
    'table',
    { class: 'matrix', 'data-testid': 'conformance-matrix' },
    element(
      'thead',
      {},
      element(
        'tr',
        {},
        element('th', { rowspan: 2, scope: 'col' }, 'cell / variant'),
        matrix.backends.map((backend) =>
          element(
            'th',
            { colspan: matrix.groups.length, scope: 'colgroup', class: 'backend-heading' },
            backend,
          ),
        ),
      ),
      element(
        'tr',
        {},
        matrix.backends.flatMap(() =>
          matrix.groups.map((group) => element('th', { scope: 'col', class: 'group-heading' }, group)),
        ),
      ),
    ),
    element(
      'tbody',
      {},
      matrix.subjects.map((subject) =>
        element(
          'tr',
          {},
          element('th', { scope: 'row' }, subject),
          matrix.backends.flatMap((backend) =>
            matrix.groups.map((group) => {
              const cell = matrix.cells.get(matrixKey(backend, subject, group));
              if (!cell) return element('td', { class: 'matrix-cell empty-cell', title: 'not run' }, '');
              return element(
                'td',
                {
                  class: `matrix-cell status-${cell.status}`,
                  'data-status': cell.status,
                  title: describeCell(cell),
                  tabindex: 0,
                  onclick: () => renderDetails(details, cell),
                  onkeydown: (event: Event) => {
                    if ((event as KeyboardEvent).key === 'Enter') renderDetails(details, cell);
                  },
                },
                cellText(cell),
              );
            }),
          ),
        ),
      ),
    ),
  );
  container.replaceChildren(
    ...[header, notRun].filter((node) => node !== null),
    element('div', { class: 'table-scroll' }, table),
    element(
      'p',
      { class: 'hint' },
      'Hover a cell for its worst error and tolerance; click it for every check.',
    ),
    details,
  );
}
