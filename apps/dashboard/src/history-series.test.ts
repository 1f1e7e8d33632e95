import { describe, expect, it } from 'vitest';
import { buildHistory, findRegressions, orderByTime } from './history-series.js';
import { makeBenchmark, makeCheck, makeReport } from './test-report-builders.js';

const reports = [
  {
    file: 'c.json',
    report: makeReport('2026-03-01T00:00:00Z', [makeBenchmark({ sequencesPerSecond: 500 })]),
  },
  {
    file: 'a.json',
    report: makeReport(
      '2026-01-01T00:00:00Z',
      [makeBenchmark({ sequencesPerSecond: 1000 }), makeBenchmark({ runner: 'tfjs', peer: true })],
      [makeCheck(), makeCheck({ status: 'fail' })],
    ),
  },
  // b measured nothing for cpu: the comparison for c is with a, not with a zero.
  {
    file: 'b.json',
    report: makeReport('2026-02-01T00:00:00Z', [makeBenchmark({ runner: 'tfjs', peer: true })]),
  },
];

describe('history', () => {
  it('orders reports by time, not by file or load order', () => {
    expect(orderByTime(reports).map((entry) => entry.file)).toEqual(['a.json', 'b.json', 'c.json']);
  });

  it('aligns each metric with the reports, null where not measured', () => {
    const history = buildHistory(reports);
    expect(history.files).toEqual(['a.json', 'b.json', 'c.json']);
    expect(history.times[0]).toBe(Date.parse('2026-01-01T00:00:00Z') / 1000);
    expect(history.series.map((entry) => [entry.runner, entry.sequencesPerSecond])).toEqual([
      ['cpu', [1000, null, 500]],
      ['tfjs', [800, 800, null]],
    ]);
    expect(history.passed).toEqual([1, 0, 0]);
    expect(history.failed).toEqual([1, 0, 0]);
  });

  it('flags a slowdown beyond the threshold against the previous measurement', () => {
    const history = buildHistory(reports);
    const regressions = findRegressions(history, 0.1);
    expect(regressions).toEqual([
      {
        workload: 'standard · gru · forward',
        runner: 'cpu',
        file: 'c.json',
        createdAt: '2026-03-01T00:00:00Z',
        previousFile: 'a.json',
        previous: 1000,
        current: 500,
        change: -0.5,
      },
    ]);
    expect(findRegressions(history, 0.6)).toEqual([]);
  });
});
