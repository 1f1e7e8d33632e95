import { describe, expect, it } from 'vitest';
import { loadReports } from './report-loading.js';
import { makeExperimentsReport } from './test-experiments-builders.js';
import { makeReport } from './test-report-builders.js';

function fakeFetch(files: Record<string, string>) {
  return async (url: string) => {
    const body = files[url];
    return {
      ok: body !== undefined,
      status: body === undefined ? 404 : 200,
      statusText: body === undefined ? 'Not Found' : 'OK',
      text: async () => body ?? '',
    };
  };
}

describe('loadReports', () => {
  it('loads the good reports and names each bad one with its problem', async () => {
    const good = JSON.stringify(makeReport('2026-01-01T00:00:00Z'));
    const loaded = await loadReports(
      fakeFetch({
        'reports/index.json': JSON.stringify({ reports: ['good.json', 'old.json', 'gone.json', 'bad.json'] }),
        'reports/good.json': good,
        'reports/old.json': JSON.stringify({ ...JSON.parse(good), version: 0 }),
        'reports/bad.json': '{',
      }),
    );
    expect(loaded.reports.map((entry) => entry.file)).toEqual(['good.json']);
    expect(loaded.problems.map((entry) => entry.file)).toEqual(['old.json', 'gone.json', 'bad.json']);
    expect(loaded.problems[0]!.problem).toMatch(/^report version 0 is not supported/);
    expect(loaded.problems[1]!.problem).toBe('could not be fetched: HTTP 404 Not Found');
    expect(loaded.problems[2]!.problem).toMatch(/^not valid JSON/);
  });

  it('loads experiments reports with their own schema, apart from the conformance reports', async () => {
    const good = JSON.stringify(makeExperimentsReport());
    const loaded = await loadReports(
      fakeFetch({
        'reports/index.json': JSON.stringify({
          reports: ['conformance.json'],
          experiments: ['experiments-a.json', 'experiments-b.json', 'experiments-c.json'],
        }),
        'reports/conformance.json': JSON.stringify(makeReport('2026-01-01T00:00:00Z')),
        'reports/experiments-a.json': good,
        'reports/experiments-b.json': JSON.stringify({ ...JSON.parse(good), version: 7 }),
        // A conformance report filed as experiments is named, not shown as experiments.
        'reports/experiments-c.json': JSON.stringify(makeReport('2026-01-01T00:00:00Z')),
      }),
    );
    expect(loaded.reports.map((entry) => entry.file)).toEqual(['conformance.json']);
    expect(loaded.experiments.map((entry) => entry.file)).toEqual(['experiments-a.json']);
    expect(loaded.problems).toEqual([
      {
        file: 'experiments-b.json',
        problem:
          'experiments report version 7 is not supported; expected version 1 (re-run `pnpm experiments` to produce a current report)',
      },
      { file: 'experiments-c.json', problem: 'schema is undefined; expected "recurrent-experiments"' },
    ]);
  });

  it('reads an index without experiments (written before they were listed) as none', async () => {
    const loaded = await loadReports(
      fakeFetch({
        'reports/index.json': JSON.stringify({ reports: ['good.json'] }),
        'reports/good.json': JSON.stringify(makeReport('2026-01-01T00:00:00Z')),
      }),
    );
    expect(loaded.experiments).toEqual([]);
    expect(loaded.problems).toEqual([]);
  });

  it('reports a missing or malformed index', async () => {
    expect((await loadReports(fakeFetch({}))).problems).toEqual([
      { file: 'reports/index.json', problem: 'could not be fetched: HTTP 404 Not Found' },
    ]);
    const wrongShape = await loadReports(fakeFetch({ 'reports/index.json': '["a.json"]' }));
    expect(wrongShape.problems[0]!.problem).toBe(
      'expected { "reports": [file names], "experiments": [file names] }',
    );
  });
});
