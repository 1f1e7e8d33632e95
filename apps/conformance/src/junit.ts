/**
 * JUnit XML of the checks: one testsuite per backend, one testcase per check; failures and
 * errors carry the message, not-applicable checks are `skipped` with their reason.
 */
import type { ConformanceReport } from '@recurrent/conformance';

export function toJUnit(report: ConformanceReport): string {
  const suites = report.backends.map((backend) => {
    const checks = report.checks.filter((check) => check.backend === backend.name);
    const count = (status: string) => checks.filter((check) => check.status === status).length;
    const seconds = checks.reduce((sum, check) => sum + check.durationMs, 0) / 1000;
    const cases = checks.map((check) => {
      const open = `    <testcase classname="${escapeXml(`${backend.name}.${check.group}`)}" name="${escapeXml(check.id)}" time="${(check.durationMs / 1000).toFixed(3)}"`;
      if (check.status === 'pass') {
        return `${open} />`;
      }
      const tag = check.status === 'fail' ? 'failure' : check.status === 'error' ? 'error' : 'skipped';
      return `${open}>\n      <${tag} message="${escapeXml(check.message)}" />\n    </testcase>`;
    });
    if (!backend.available) {
      cases.push(
        `    <testcase classname="${escapeXml(backend.name)}" name="backend available">\n      <skipped message="${escapeXml(backend.reason ?? '')}" />\n    </testcase>`,
      );
    }
    return [
      `  <testsuite name="${escapeXml(backend.name)}" tests="${cases.length}" failures="${count('fail')}" errors="${count('error')}" skipped="${count('not-applicable') + (backend.available ? 0 : 1)}" time="${seconds.toFixed(3)}">`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="recurrent-conformance">\n${suites.join('\n')}\n</testsuites>\n`;
}

function escapeXml(text: string): string {
  // XML 1.0 forbids control characters other than tab, newline and carriage return.
  const printable = [...text]
    .filter((character) => character >= ' ' || '\t\n\r'.includes(character))
    .join('');
  return printable.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
