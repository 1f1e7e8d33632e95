/**
 * The pointwise map: for each element `(row, unit)` of a launch, read every input, evaluate the
 * kernel's steps in order, then store (or add) each bound output. All outputs of an element are
 * computed from inputs read before any output of that element is written, and steps that no
 * bound output needs are skipped.
 *
 * Two ways to run it: a loop compiled per kernel and binding pattern (`pointwise-compile.ts`),
 * and the generic loop below, used where `new Function` is not allowed (a browser page with a
 * strict Content-Security-Policy).
 */
import type { PointwiseKernel } from '@recurrent/core';
import type { CpuArray } from './cpu-buffer.js';
import { CpuBackendError } from './errors.js';

export type StepFunction = (...args: number[]) => number;

/**
 * A kernel's dataflow with names resolved to slots: slot `s < inputCount` is input `s`, slot
 * `inputCount + k` is step `k`.
 */
export interface KernelPlan {
  readonly inputCount: number;
  readonly fns: readonly StepFunction[];
  readonly stepArgs: readonly (readonly number[])[];
  readonly outputSlots: readonly number[];
}

/**
 * A launch resolved to typed arrays. Input `k` lives at
 * `inputData[k][inputBase[k] + row * inputStride[k] + unit]`, or is `constants[k]` when
 * `inputData[k]` is null; likewise for outputs (null data: output not needed). `inputBuffer[k]`
 * and `inputVersion[k]` are the id and write count of input `k`'s buffer (0 for a constant).
 */
export interface ResolvedLaunch {
  rows: number;
  units: number;
  inputData: (CpuArray | null)[];
  inputBase: number[];
  inputStride: number[];
  inputBuffer: number[];
  inputVersion: number[];
  constants: number[];
  outputData: (CpuArray | null)[];
  outputBase: number[];
  outputStride: number[];
  outputAdds: boolean[];
}

/** Resolves a kernel's names to slots, failing loudly on a name that is not defined before use. */
export function planKernel(kernel: PointwiseKernel): KernelPlan {
  const slots = new Map<string, number>();
  kernel.inputs.forEach((name, index) => {
    slots.set(name, index);
  });
  const slotOf = (name: string, user: string): number => {
    const slot = slots.get(name);
    if (slot === undefined) {
      throw new CpuBackendError(
        'pointwise',
        `kernel ${kernel.name}: ${user} reads '${name}', which is not defined`,
      );
    }
    return slot;
  };
  const stepArgs = kernel.steps.map((step, index) => {
    const args = step.args.map((arg) => slotOf(arg, `step '${step.name}'`));
    slots.set(step.name, kernel.inputs.length + index);
    return args;
  });
  return {
    inputCount: kernel.inputs.length,
    fns: kernel.steps.map((step) => step.fn),
    stepArgs,
    outputSlots: kernel.outputs.map((name) => slotOf(name, 'an output')),
  };
}

/** Which steps the bound outputs need, directly or through other steps. */
export function neededSteps(plan: KernelPlan, outputBound: readonly boolean[]): boolean[] {
  const needed = plan.fns.map(() => false);
  const mark = (slot: number): void => {
    const step = slot - plan.inputCount;
    if (step < 0 || needed[step]) return;
    needed[step] = true;
    for (const arg of plan.stepArgs[step]!) mark(arg);
  };
  plan.outputSlots.forEach((slot, k) => {
    if (outputBound[k]) mark(slot);
  });
  return needed;
}

/** Runs a launch through plain loops that work for any kernel. */
export function runPointwiseGeneric(plan: KernelPlan, launch: ResolvedLaunch): void {
  const { rows, units, inputData, inputBase, inputStride, constants } = launch;
  const { outputData, outputBase, outputStride, outputAdds } = launch;
  const { inputCount, fns, stepArgs, outputSlots } = plan;
  const needed = neededSteps(
    plan,
    outputData.map((data) => data !== null),
  );
  const values = new Float64Array(inputCount + fns.length);
  const args: number[][] = stepArgs.map((slots) => slots.map(() => 0));
  for (let row = 0; row < rows; row++) {
    for (let unit = 0; unit < units; unit++) {
      for (let k = 0; k < inputCount; k++) {
        const data = inputData[k];
        values[k] = data ? data[inputBase[k]! + row * inputStride[k]! + unit]! : constants[k]!;
      }
      for (let step = 0; step < fns.length; step++) {
        if (!needed[step]) continue;
        const slots = stepArgs[step]!;
        const stepValues = args[step]!;
        for (let a = 0; a < slots.length; a++) stepValues[a] = values[slots[a]!]!;
        values[inputCount + step] = fns[step]!.apply(undefined, stepValues);
      }
      for (let k = 0; k < outputData.length; k++) {
        const data = outputData[k];
        if (!data) continue;
        const index = outputBase[k]! + row * outputStride[k]! + unit;
        const value = values[outputSlots[k]!]!;
        data[index] = outputAdds[k] ? data[index]! + value : value;
      }
    }
  }
}
