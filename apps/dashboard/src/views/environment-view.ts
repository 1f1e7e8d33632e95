import type { BackendSummary } from '@recurrent/conformance';
import { columnHeading, element } from '../dom.js';
import { formatBytes } from '../format-number.js';
import { type LoadedReport, orderByTime } from '../history-series.js';

function backendLine(backend: BackendSummary) {
  if (!backend.available || !backend.info) {
    return element(
      'li',
      { class: 'status-not-applicable' },
      `${backend.name}: unavailable — ${backend.reason ?? 'no reason given'}`,
    );
  }
  const { info } = backend;
  // `expected.device` is one device or a list of acceptable ones.
  const allowed = backend.expected?.device === undefined ? undefined : [backend.expected.device].flat();
  const mismatch = allowed !== undefined && !allowed.includes(info.device);
  return element(
    'li',
    { class: mismatch ? 'status-fail' : '' },
    `${backend.name}: ${info.device}, ${info.dtype}${info.adapter ? `, ${info.adapter}` : ''}`,
    mismatch ? ` (expected ${allowed?.join(' or ')})` : '',
  );
}

/** Where each report was produced, and where this browser would run a live benchmark. */
export function renderEnvironmentView(container: HTMLElement, reports: readonly LoadedReport[]) {
  const rows = orderByTime(reports)
    .reverse()
    .map(({ file, report }) => {
      const environment = report.environment;
      return element(
        'tr',
        {},
        element(
          'td',
          {},
          file,
          element('div', { class: 'runner-detail' }, new Date(report.createdAt).toISOString()),
        ),
        element(
          'td',
          {},
          environment.cpuModel,
          element('div', { class: 'runner-detail' }, `${environment.cores} cores`),
        ),
        element('td', { class: 'number' }, formatBytes(environment.memoryBytes)),
        element('td', {}, `${environment.platform} ${environment.arch}`),
        element('td', {}, environment.nodeVersion),
        element('td', {}, element('ul', { class: 'plain-list' }, report.backends.map(backendLine))),
      );
    });
  const gpu = (navigator as { gpu?: unknown }).gpu;
  container.replaceChildren(
    element('h3', {}, 'Reports'),
    element(
      'div',
      { class: 'table-scroll' },
      element(
        'table',
        { class: 'data-table', 'data-testid': 'environment-table' },
        element(
          'thead',
          {},
          element(
            'tr',
            {},
            ['report', 'CPU', 'memory', 'platform', 'Node', 'backends (mode, precision, adapter)'].map(
              columnHeading,
            ),
          ),
        ),
        element('tbody', {}, rows),
      ),
    ),
    element('h3', {}, 'This browser'),
    element(
      'ul',
      { class: 'plain-list', 'data-testid': 'browser-environment' },
      element('li', {}, `User agent: ${navigator.userAgent}`),
      element('li', {}, `Logical cores: ${navigator.hardwareConcurrency}`),
      element('li', {}, `WebGPU: ${gpu ? 'navigator.gpu present' : 'not offered'}`),
      element('li', {}, `Cross-origin isolated: ${globalThis.crossOriginIsolated ? 'yes' : 'no'}`),
    ),
  );
}
