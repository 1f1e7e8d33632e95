import { activate, activationSlope, activationSlopeFromValue } from './activation.js';
import type { PointwiseKernel, PointwiseStep } from './backend.js';

type ScalarFunction = (...args: number[]) => number;

/** `[name, argumentNames, fn]`: one step of a kernel, see {@link PointwiseStep}. */
export type StepSpec = readonly [name: string, args: readonly string[], fn: ScalarFunction];

/**
 * Builds a {@link PointwiseKernel} and checks it is well formed: every argument names an input
 * or an earlier step, step names are unique, outputs exist. Throws at definition time, so a
 * malformed cell never reaches a backend.
 */
export function defineKernel(
  name: string,
  inputs: readonly string[],
  steps: readonly StepSpec[],
  outputs: readonly string[],
  helpers: readonly ScalarFunction[] = kernelHelpers,
): PointwiseKernel {
  const known = new Set<string>(inputs);
  if (known.size !== inputs.length) {
    throw new Error(`defineKernel(${name}): duplicate input names`);
  }
  const built: PointwiseStep[] = [];
  for (const [stepName, args, fn] of steps) {
    for (const arg of args) {
      if (!known.has(arg)) {
        throw new Error(`defineKernel(${name}): step '${stepName}' reads unknown value '${arg}'`);
      }
    }
    if (known.has(stepName)) {
      throw new Error(`defineKernel(${name}): value '${stepName}' defined twice`);
    }
    if (fn.length !== args.length) {
      throw new Error(
        `defineKernel(${name}): step '${stepName}' passes ${args.length} arguments to ${fn.name}, which takes ${fn.length}`,
      );
    }
    known.add(stepName);
    built.push({ name: stepName, args, fn });
  }
  for (const output of outputs) {
    if (!known.has(output)) {
      throw new Error(`defineKernel(${name}): output '${output}' is not defined`);
    }
  }
  return { name, inputs, steps: built, outputs, helpers };
}

/** `pre` clipped to `[-clip, clip]` when `clip > 0` (ONNX cell clip); unchanged otherwise. */
export function clipTo(pre: number, clip: number): number {
  return clip > 0 ? Math.min(Math.max(pre, -clip), clip) : pre;
}

/** d clipTo / d pre. */
export function clipSlope(pre: number, clip: number): number {
  if (clip > 0) {
    return pre >= -clip && pre <= clip ? 1 : 0;
  }
  return 1;
}

/** An activation applied to a clipped pre-activation. */
export function gateValue(kind: number, alpha: number, beta: number, clip: number, pre: number): number {
  return activate(kind, alpha, beta, clipTo(pre, clip));
}

/**
 * Gradient of a pre-activation given the activation's value `value = f(clip(pre))`, which the
 * backward kernels have already recomputed: sigmoid and tanh slopes follow from the value
 * (y(1 − y), 1 − y²) without a second exp/tanh; other activations use their slope function.
 */
export function valueGradient(
  kind: number,
  alpha: number,
  beta: number,
  clip: number,
  pre: number,
  value: number,
  upstream: number,
): number {
  return (
    upstream * activationSlopeFromValue(kind, alpha, beta, clipTo(pre, clip), value) * clipSlope(pre, clip)
  );
}

/** The helpers every cell kernel may call; GPU backends register them all. */
export const kernelHelpers: readonly ScalarFunction[] = [
  activate,
  activationSlope,
  activationSlopeFromValue,
  clipTo,
  clipSlope,
  gateValue,
];

// Tiny arithmetic steps shared by the cells. Named so that generated shader code stays readable.
export function sum4(a: number, b: number, c: number, d: number): number {
  return a + b + c + d;
}
export function sum2(a: number, b: number): number {
  return a + b;
}
export function product(a: number, b: number): number {
  return a * b;
}
export function identity(a: number): number {
  return a;
}
export function multiplyAdd(a: number, b: number, c: number): number {
  return a + b * c;
}
