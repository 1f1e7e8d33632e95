/**
 * One check of the suite as a value: an id, what it is about, and a `run` that returns an
 * outcome. The programmatic runner and the vitest adapter run the same list, so no backend
 * package ever copies a check.
 */
import type { Backend } from '@recurrent/core';
import type { BackendExpectation, CheckGroup, CheckResult, TensorError } from './report.js';
import { worstOf } from './tensor-error.js';

export interface CheckContext {
  /** The backend under test. */
  readonly backend: Backend;
  /** Its registry name (`cpu`, `gpujs`, …). */
  readonly backendName: string;
  /** A float64 reference backend to compare with. */
  readonly reference: Backend;
  readonly expected?: BackendExpectation;
}

/** Numbers measured on named tensors, held to one tolerance. */
export interface NumericOutcome {
  readonly kind: 'numeric';
  readonly tensors: readonly TensorError[];
  readonly tolerance: number;
}

/** A yes/no check (capabilities, bad input, leaks); `tensors` names what failed, if anything. */
export interface VerdictOutcome {
  readonly kind: 'verdict';
  readonly passed: boolean;
  readonly message: string;
  readonly failing?: string;
}

export interface NotApplicableOutcome {
  readonly kind: 'not-applicable';
  readonly reason: string;
}

export type CheckOutcome = NumericOutcome | VerdictOutcome | NotApplicableOutcome;

export interface ConformanceCase {
  readonly id: string;
  readonly group: CheckGroup;
  readonly subject: string;
  readonly configuration: string;
  readonly run: (context: CheckContext) => Promise<CheckOutcome>;
}

/** Runs one case; a thrown error becomes an `error` result that names it. */
export async function runCase(testCase: ConformanceCase, context: CheckContext): Promise<CheckResult> {
  const started = performance.now();
  const base = {
    id: testCase.id,
    group: testCase.group,
    backend: context.backendName,
    subject: testCase.subject,
    configuration: testCase.configuration,
  };
  let outcome: CheckOutcome;
  try {
    outcome = await testCase.run(context);
  } catch (error) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return {
      ...base,
      status: 'error',
      worstError: null,
      tolerance: null,
      message: `threw ${text}`,
      durationMs: performance.now() - started,
    };
  }
  const durationMs = performance.now() - started;
  return { ...base, ...describeOutcome(outcome), durationMs };
}

function describeOutcome(
  outcome: CheckOutcome,
): Omit<CheckResult, 'id' | 'group' | 'backend' | 'subject' | 'configuration' | 'durationMs'> {
  if (outcome.kind === 'not-applicable') {
    return { status: 'not-applicable', worstError: null, tolerance: null, message: outcome.reason };
  }
  if (outcome.kind === 'verdict') {
    return {
      status: outcome.passed ? 'pass' : 'fail',
      worstError: null,
      tolerance: null,
      ...(outcome.failing ? { worstTensor: outcome.failing } : {}),
      message: outcome.message,
    };
  }
  const worst = worstOf(outcome.tensors);
  const failing = outcome.tensors.filter((entry) => !(entry.error <= outcome.tolerance));
  const worstError = worst ? finiteOrNull(worst.error) : null;
  const status = failing.length === 0 && outcome.tensors.length > 0 ? 'pass' : 'fail';
  const message =
    outcome.tensors.length === 0
      ? 'nothing was compared'
      : failing.length === 0
        ? `worst error ${format(worst!.error)} on ${worst!.tensor} (tolerance ${format(outcome.tolerance)})`
        : `${failing.length} tensor(s) over tolerance ${format(outcome.tolerance)}: ${failing
            .slice(0, 4)
            .map((entry) => `${entry.tensor} error ${format(entry.error)}`)
            .join(', ')}${failing.length > 4 ? ', …' : ''}`;
  return {
    status,
    worstError,
    tolerance: outcome.tolerance,
    ...(worst ? { worstTensor: failing.length > 0 ? worstOf(failing)!.tensor : worst.tensor } : {}),
    // Infinite errors (NaN results) serialise as null, which the schema allows.
    tensors: outcome.tensors,
    message,
  };
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** `1.2e-7` style, for messages. */
export function format(value: number): string {
  return Number.isFinite(value) ? value.toExponential(1) : String(value);
}
