import { type ConformanceReport, reportVersion } from '@recurrent/conformance';
import { describe, expectFields, isObject } from './json-fields.js';

/** A report file that loaded, or the reason it did not, named so the reader can fix it. */
export type ParsedReport =
  | { readonly ok: true; readonly file: string; readonly report: ConformanceReport }
  | { readonly ok: false; readonly file: string; readonly problem: string };

const checkStatuses = ['pass', 'fail', 'not-applicable', 'error'];
const benchmarkStatuses = ['ok', 'not-applicable', 'over-budget', 'error'];

function findProblem(value: unknown): string | undefined {
  if (!isObject(value)) return `the file holds ${describe(value)}; expected a report object`;
  if (value.format !== 'recurrent-conformance-report') {
    return `format is ${describe(value.format)}; expected "recurrent-conformance-report"`;
  }
  if (value.version !== reportVersion) {
    return (
      `report version ${describe(value.version)} is not supported; expected version ${reportVersion} ` +
      '(re-run the conformance CLI to produce a current report)'
    );
  }
  if (typeof value.createdAt !== 'string' || Number.isNaN(Date.parse(value.createdAt))) {
    return `createdAt is ${describe(value.createdAt)}; expected an ISO date-time`;
  }
  const environmentProblem = expectFields('environment', value.environment, {
    cpuModel: 'string',
    cores: 'number',
    nodeVersion: 'string',
  });
  if (environmentProblem) return environmentProblem;
  for (const list of ['backends', 'checks', 'benchmarks'] as const) {
    if (!Array.isArray(value[list])) return `${list} is ${describe(value[list])}; expected an array`;
  }
  const lists = value as Record<'backends' | 'checks' | 'benchmarks', unknown[]>;
  for (const [index, backend] of lists.backends.entries()) {
    const problem = expectFields(`backends[${index}]`, backend, { name: 'string', available: 'boolean' });
    if (problem) return problem;
  }
  for (const [index, check] of lists.checks.entries()) {
    const problem = expectFields(`checks[${index}]`, check, {
      backend: 'string',
      group: 'string',
      subject: 'string',
      configuration: 'string',
      status: checkStatuses,
      worstError: 'number|null',
      tolerance: 'number|null',
      message: 'string',
    });
    if (problem) return problem;
  }
  for (const [index, benchmark] of lists.benchmarks.entries()) {
    const problem = expectFields(`benchmarks[${index}]`, benchmark, {
      runner: 'string',
      peer: 'boolean',
      workload: 'string',
      cell: ['rnn', 'gru', 'lstm'],
      mode: ['forward', 'train'],
      batch: 'number',
      steps: 'number',
      inputSize: 'number',
      hiddenSize: 'number',
      status: benchmarkStatuses,
      sequencesPerSecond: 'number|null',
      gflopsPerSecond: 'number|null',
    });
    if (problem) return problem;
  }
  return undefined;
}

/**
 * Parses one report file. Never throws: a malformed or old-schema file becomes a problem that
 * names the field, what it holds and what was expected, so the other reports still load.
 */
export function parseReport(file: string, text: string): ParsedReport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    return { ok: false, file, problem: `not valid JSON: ${(cause as Error).message}` };
  }
  const problem = findProblem(value);
  if (problem) return { ok: false, file, problem };
  return { ok: true, file, report: value as ConformanceReport };
}
