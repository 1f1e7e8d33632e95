/**
 * Cell-independent kernels the sequence driver needs around the cells: freezing the state of
 * finished sequences (`sequenceLengths`), masking outputs, merging directions, dropout.
 * They go through the same `Backend.pointwise` as the cells, so backends need nothing extra.
 */
import { defineKernel } from '../pointwise-kernel.js';

export function select(mask: number, whenSet: number, otherwise: number): number {
  return mask > 0.5 ? whenSet : otherwise;
}
export function masked(mask: number, value: number): number {
  return mask > 0.5 ? value : 0;
}
export function unmasked(mask: number, value: number): number {
  return mask > 0.5 ? 0 : value;
}
export function scaled(value: number, factor: number): number {
  return value * factor;
}
export function added(a: number, b: number): number {
  return a + b;
}
export function multiplied(a: number, b: number): number {
  return a * b;
}
export function averaged(a: number, b: number): number {
  return (a + b) * 0.5;
}
export function copied(value: number): number {
  return value;
}

/** new = mask ? candidate : previous. */
export const freezeKernel = defineKernel(
  'sequence/freeze',
  ['mask', 'candidate', 'previous'],
  [['value', ['mask', 'candidate', 'previous'], select]],
  ['value'],
);

/** Splits the gradient of a frozen step: to the cell when active, straight through otherwise. */
export const freezeBackwardKernel = defineKernel(
  'sequence/freeze-backward',
  ['mask', 'gradient'],
  [
    ['toCell', ['mask', 'gradient'], masked],
    ['toPrevious', ['mask', 'gradient'], unmasked],
  ],
  ['toCell', 'toPrevious'],
);

/** out = mask ? value : 0 (outputs past a sample's length). */
export const maskKernel = defineKernel(
  'sequence/mask',
  ['mask', 'value'],
  [['masked', ['mask', 'value'], masked]],
  ['masked'],
);

/** out = value · factor (dropout with a pre-scaled mask, averaging). */
export const scaleKernel = defineKernel(
  'sequence/scale',
  ['value', 'factor'],
  [['scaled', ['value', 'factor'], scaled]],
  ['scaled'],
);

export const copyKernel = defineKernel('sequence/copy', ['value'], [['copy', ['value'], copied]], ['copy']);

/** Bidirectional merges of the forward (a) and reverse (b) outputs. */
export const mergeKernels = {
  sum: defineKernel('sequence/merge-sum', ['a', 'b'], [['merged', ['a', 'b'], added]], ['merged']),
  mul: defineKernel('sequence/merge-mul', ['a', 'b'], [['merged', ['a', 'b'], multiplied]], ['merged']),
  average: defineKernel('sequence/merge-average', ['a', 'b'], [['merged', ['a', 'b'], averaged]], ['merged']),
} as const;
