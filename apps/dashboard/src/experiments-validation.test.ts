import { describe, expect, it } from 'vitest';
import { parseExperimentsReport } from './experiments-validation.js';
import { makeExperimentsReport } from './test-experiments-builders.js';

const quickRun = new URL('./sample/sample-experiments.json', import.meta.url);

function parse(value: unknown) {
  return parseExperimentsReport('experiments-x.json', JSON.stringify(value));
}

function problemOf(value: unknown): string {
  const parsed = parse(value);
  if (parsed.ok) throw new Error('expected a problem');
  return parsed.problem;
}

describe('parseExperimentsReport', () => {
  it('accepts a valid report and the bundled quick run', async () => {
    expect(parse(makeExperimentsReport()).ok).toBe(true);
    const { readFile } = await import('node:fs/promises');
    const sample = parseExperimentsReport('sample', await readFile(quickRun, 'utf8'));
    expect(sample.ok ? sample.report.quick : sample.problem).toBe(true);
  });

  it('names an unknown version and a conformance report given as experiments', () => {
    expect(problemOf({ ...makeExperimentsReport(), version: 2 })).toBe(
      'experiments report version 2 is not supported; expected version 1 (re-run `pnpm experiments` to produce a current report)',
    );
    expect(problemOf({ format: 'recurrent-conformance-report', version: 1 })).toBe(
      'schema is undefined; expected "recurrent-experiments"',
    );
  });

  it('names the field, what it holds and what was expected', () => {
    const report = makeExperimentsReport();
    expect(problemOf({ ...report, gradientFlow: [{ ...report.gradientFlow[0], phase: 'late' }] })).toBe(
      'gradientFlow[0].phase is "late"; expected one of initialisation, trained',
    );
    expect(
      problemOf({
        ...report,
        training: [report.training[0], { ...report.training[1], curves: [[0.1, 'x']] }],
      }),
    ).toBe('training[1].curves[0][1] is "x"; expected a number');
    expect(problemOf({ ...report, findings: 'none' })).toBe(
      'report.findings is "none"; expected an array of strings',
    );
    expect(problemOf({ ...report, parameterCounts: {} })).toBe(
      'parameterCounts is an object; expected an array',
    );
    expect(problemOf({ ...report, environment: { ...report.environment, backend: null } })).toBe(
      'environment.backend is null; expected an object',
    );
    expect(problemOf({ ...report, createdAt: 'yesterday' })).toBe(
      'createdAt is "yesterday"; expected an ISO date-time',
    );
  });

  it('says when the file is not JSON', () => {
    const parsed = parseExperimentsReport('experiments-x.json', '{"schema":');
    expect(parsed.ok ? '' : parsed.problem).toMatch(/^not valid JSON: /);
  });
});
