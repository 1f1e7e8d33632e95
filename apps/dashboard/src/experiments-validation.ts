import type { ExperimentsReport } from '@recurrent/experiments';
import { describe, expectArrayOf, expectEach, expectFields, isObject } from './json-fields.js';

/** The experiments schema this dashboard reads; typed from the report so a bump fails to compile here. */
const supportedSchema: ExperimentsReport['schema'] = 'recurrent-experiments';
const supportedVersion: ExperimentsReport['version'] = 1;

/** An experiments report file that loaded, or the reason it did not. */
export type ParsedExperiments =
  | { readonly ok: true; readonly file: string; readonly report: ExperimentsReport }
  | { readonly ok: false; readonly file: string; readonly problem: string };

const sizings = ['same-hidden', 'same-parameters'];

function findProblem(value: unknown): string | undefined {
  if (!isObject(value)) return `the file holds ${describe(value)}; expected an experiments report object`;
  if (value.schema !== supportedSchema) {
    return `schema is ${describe(value.schema)}; expected "${supportedSchema}"`;
  }
  if (value.version !== supportedVersion) {
    return (
      `experiments report version ${describe(value.version)} is not supported; expected version ${supportedVersion} ` +
      '(re-run `pnpm experiments` to produce a current report)'
    );
  }
  if (typeof value.createdAt !== 'string' || Number.isNaN(Date.parse(value.createdAt))) {
    return `createdAt is ${describe(value.createdAt)}; expected an ISO date-time`;
  }
  return (
    expectFields('report', value, { quick: 'boolean', findings: 'string[]' }) ??
    expectFields('environment', value.environment, { cpu: 'string', backend: 'object' }) ??
    expectFields('environment.backend', (value.environment as Record<string, unknown>).backend, {
      name: 'string',
      dtype: 'string',
    }) ??
    expectFields('config', value.config, {
      cells: 'string[]',
      seeds: 'number',
      hiddenSize: 'number',
      flowTrainingSteps: 'number',
      trainingSteps: 'number',
    }) ??
    expectEach('parameterCounts', value.parameterCounts, (where, row) =>
      expectFields(where, row, {
        cell: 'string',
        task: 'string',
        sizing: sizings,
        hiddenSize: 'number',
        recurrentParameters: 'number',
        modelParameters: 'number',
      }),
    ) ??
    expectEach('gradientFlow', value.gradientFlow, (where, row) =>
      expectFields(where, row, {
        cell: 'string',
        phase: ['initialisation', 'trained'],
        steps: 'number',
        meanNorm: 'number[]',
      }),
    ) ??
    expectEach(
      'training',
      value.training,
      (where, row) =>
        expectFields(where, row, {
          task: ['adding', 'recall'],
          steps: 'number',
          sizing: sizings,
          cell: 'string',
          hiddenSize: 'number',
          evaluateEvery: 'number',
          finalLoss: 'number[]',
          baseline: 'number',
        }) ??
        expectEach(`${where}.curves`, (row as Record<string, unknown>).curves, (curveWhere, curve) =>
          expectArrayOf(curveWhere, curve, 'number'),
        ),
    )
  );
}

/**
 * Parses one experiments report file. Never throws: a malformed or unknown-version file becomes
 * a problem naming the field, what it holds and what was expected, so the other files still load.
 */
export function parseExperimentsReport(file: string, text: string): ParsedExperiments {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    return { ok: false, file, problem: `not valid JSON: ${(cause as Error).message}` };
  }
  const problem = findProblem(value);
  if (problem) return { ok: false, file, problem };
  return { ok: true, file, report: value as ExperimentsReport };
}
