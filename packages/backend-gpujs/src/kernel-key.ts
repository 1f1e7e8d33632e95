import type { PointwiseKernel } from '@recurrent/core';

const keys = new WeakMap<PointwiseKernel, string>();

/**
 * The compile-cache key of a pointwise kernel: its name (core's contract) plus its structure,
 * so that two kernels that share a name by mistake get two compilations instead of one wrong
 * one. Computed once per kernel object.
 */
export function kernelKey(kernel: PointwiseKernel): string {
  let key = keys.get(kernel);
  if (key === undefined) {
    const steps = kernel.steps.map((step) => `${step.name}=${step.fn.name}(${step.args.join(',')})`);
    key = [
      kernel.name,
      kernel.inputs.join(','),
      steps.join(';'),
      kernel.outputs.join(','),
      kernel.helpers.map((helper) => helper.name).join(','),
    ].join('|');
    keys.set(kernel, key);
  }
  return key;
}
