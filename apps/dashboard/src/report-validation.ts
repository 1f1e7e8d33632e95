import { type ConformanceReport, reportVersion } from '@recurrent/conformance';

/** A report file that loaded, or the reason it did not, named so the reader can fix it. */
export type ParsedReport =
  | { readonly ok: true; readonly file: string; readonly report: ConformanceReport }
  | { readonly ok: false; readonly file: string; readonly problem: string };

const checkStatuses = ['pass', 'fail', 'not-applicable', 'error'];
const benchmarkStatuses = ['ok', 'not-applicable', 'over-budget', 'error'];

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** Checks the fields the dashboard reads; returns the first problem found, or undefined. */
function expectFields(where: string, item: unknown, fields: Record<string, string | readonly string[]>) {
  if (!isObject(item)) return `${where} is ${describe(item)}; expected an object`;
  for (const [name, expected] of Object.entries(fields)) {
    const value = item[name];
    if (Array.isArray(expected)) {
      if (!expected.includes(value as string)) {
        return `${where}.${name} is ${describe(value)}; expected one of ${expected.join(', ')}`;
      }
    } else if (expected === 'number|null') {
      if (value !== null && typeof value !== 'number')
        return `${where}.${name} is ${describe(value)}; expected a number or null`;
    } else if (typeof value !== expected) {
      return `${where}.${name} is ${describe(value)}; expected a ${expected}`;
    }
  }
  return undefined;
}

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
