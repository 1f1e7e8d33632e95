import { describe, expect, it } from 'vitest';
import { parseReport } from './report-validation.js';
import { makeBenchmark, makeCheck, makeReport } from './test-report-builders.js';

const good = makeReport('2026-01-01T00:00:00Z', [makeBenchmark()], [makeCheck()]);

function problemOf(value: unknown): string {
  const parsed = parseReport('r.json', typeof value === 'string' ? value : JSON.stringify(value));
  if (parsed.ok) throw new Error('expected a problem');
  expect(parsed.file).toBe('r.json');
  return parsed.problem;
}

describe('parseReport', () => {
  it('accepts a valid report', () => {
    const parsed = parseReport('r.json', JSON.stringify(good));
    expect(parsed.ok && parsed.report.benchmarks).toHaveLength(1);
  });

  it('names malformed JSON', () => {
    expect(problemOf('{"format": ')).toMatch(/^not valid JSON: /);
  });

  it('rejects an old schema version and says which is expected', () => {
    expect(problemOf({ ...good, version: 0 })).toBe(
      'report version 0 is not supported; expected version 1 (re-run the conformance CLI to produce a current report)',
    );
  });

  it('rejects a file that is not a report', () => {
    expect(problemOf([1, 2])).toBe('the file holds an array; expected a report object');
    expect(problemOf({ ...good, format: 'something-else' })).toBe(
      'format is "something-else"; expected "recurrent-conformance-report"',
    );
  });

  it('names the field, what it holds and what was expected', () => {
    expect(problemOf({ ...good, createdAt: 'yesterday' })).toBe(
      'createdAt is "yesterday"; expected an ISO date-time',
    );
    expect(problemOf({ ...good, checks: {} })).toBe('checks is an object; expected an array');
    expect(problemOf({ ...good, checks: [makeCheck(), { ...makeCheck(), status: 'ok' }] })).toBe(
      'checks[1].status is "ok"; expected one of pass, fail, not-applicable, error',
    );
    expect(problemOf({ ...good, benchmarks: [{ ...makeBenchmark(), sequencesPerSecond: '12' }] })).toBe(
      'benchmarks[0].sequencesPerSecond is "12"; expected a number or null',
    );
    const { cores: _cores, ...environment } = good.environment;
    expect(problemOf({ ...good, environment })).toBe('environment.cores is undefined; expected a number');
  });
});
