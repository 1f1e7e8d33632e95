/**
 * A pointwise launch's signature: which inputs were constants (and their values) and how each
 * output was bound. The CPU backend keys its compiled loops by strings built from these; a
 * kernel launched every time step with the same signature compares against the previous one
 * instead of building the strings again.
 */
import type { ResolvedLaunch } from './pointwise.js';

/**
 * Which inputs were constants (and their values) and how outputs were bound: equal signatures
 * give equal pattern and constants keys, without building the strings.
 */
export interface LaunchSignature {
  valid: boolean;
  readonly inputKinds: number[];
  readonly constants: number[];
  readonly outputModes: number[];
  key: string;
  pattern: string;
}

export function emptySignature(): LaunchSignature {
  return { valid: false, inputKinds: [], constants: [], outputModes: [], key: '', pattern: '' };
}

/** 0 constant, 1 data. */
function inputKind(launch: ResolvedLaunch, k: number): number {
  return launch.inputData[k] ? 1 : 0;
}

/** 0 unbound, 1 set, 2 add. */
function outputMode(launch: ResolvedLaunch, k: number): number {
  return launch.outputData[k] ? (launch.outputAdds[k] ? 2 : 1) : 0;
}

/** Whether `launch` has the signature recorded last (never, before the first record). */
export function sameSignature(signature: LaunchSignature, launch: ResolvedLaunch): boolean {
  if (!signature.valid || signature.inputKinds.length !== launch.inputData.length) return false;
  for (let k = 0; k < launch.inputData.length; k++) {
    const data = inputKind(launch, k);
    if (signature.inputKinds[k] !== data) return false;
    // Object.is: the keys tell −0 from 0 and match NaN with NaN.
    if (data === 0 && !Object.is(signature.constants[k], launch.constants[k])) return false;
  }
  if (signature.outputModes.length !== launch.outputData.length) return false;
  for (let k = 0; k < launch.outputData.length; k++) {
    if (signature.outputModes[k] !== outputMode(launch, k)) return false;
  }
  return true;
}

/** Records `launch`'s signature with the keys that were built for it. */
export function recordSignature(
  signature: LaunchSignature,
  launch: ResolvedLaunch,
  pattern: string,
  key: string,
): void {
  signature.inputKinds.length = signature.constants.length = signature.outputModes.length = 0;
  for (let k = 0; k < launch.inputData.length; k++) {
    signature.inputKinds.push(inputKind(launch, k));
    signature.constants.push(launch.constants[k]!);
  }
  for (let k = 0; k < launch.outputData.length; k++) {
    signature.outputModes.push(outputMode(launch, k));
  }
  signature.pattern = pattern;
  signature.key = key;
  signature.valid = true;
}
