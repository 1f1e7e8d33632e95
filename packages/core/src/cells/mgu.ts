/**
 * Minimal gated unit (Zhou et al. 2016): one forget gate serves as both update and reset.
 *
 * Gates (rows of W and U): forget f, candidate n.
 *   f  = σ(W_f x + b_xf + U_f h + b_hf)
 *   n  = g(W_n x + b_xn + U_n (f ⊙ h) + b_hn)     — `s = f ⊙ h` is the intermediate
 *   h' = (1 − f) ⊙ h + f ⊙ n
 * The forget gate's gradient has two paths: through the interpolation (final backward
 * recomputes it) and through `s` (the intermediate backward, which receives `ds`); the
 * intermediate backward emits the sum, so the gate's pre-activation gradient is written once.
 */
import { activation } from '../activation.js';
import {
  defineKernel,
  gateValue,
  identity,
  product,
  type StepSpec,
  sum4,
  valueGradient,
} from '../pointwise-kernel.js';
import {
  activationArgs,
  activationConstants,
  type CellDefinition,
  projectionInputs,
} from './cell-definition.js';
import type { GruOptions } from './gru.js';

export type MguOptions = Omit<GruOptions, 'resetAfter'>;

const gates = ['forget', 'candidate'] as const;
const gate = activationArgs('gate');
const candidate = activationArgs('candidate');

export function mguState(forget: number, candidateValue: number, previous: number): number {
  return (1 - forget) * previous + forget * candidateValue;
}
export function mguPreviousGradient(dHidden: number, forget: number): number {
  return dHidden * (1 - forget);
}
/** dL/df from both paths: the interpolation, d·(n − h), and the product s = f ⊙ h, ds·h. */
export function mguForgetGradient(
  dHidden: number,
  candidateValue: number,
  previous: number,
  dIntermediate: number,
): number {
  return dHidden * (candidateValue - previous) + dIntermediate * previous;
}

export function mguCell(options: MguOptions = {}): CellDefinition {
  const inputs = [...projectionInputs(gates), 'state:hidden', 'c:clip', ...gate, ...candidate];
  const forgetSteps: StepSpec[] = [
    ['aForget', ['x:forget', 'bx:forget', 'h:forget', 'bh:forget'], sum4],
    ['forget', [...gate, 'c:clip', 'aForget'], gateValue],
  ];
  const candidateSteps: StepSpec[] = [
    ['aCandidate', ['x:candidate', 'bx:candidate', 'h:candidate', 'bh:candidate'], sum4],
    ['candidate', [...candidate, 'c:clip', 'aCandidate'], gateValue],
  ];
  return {
    kind: 'mgu',
    displayName: 'MGU',
    gates,
    states: ['hidden'],
    peepholes: [],
    split: 1,
    constants: {
      'c:clip': options.clip ?? 0,
      ...activationConstants('gate', options.gateActivation ?? activation('sigmoid')),
      ...activationConstants('candidate', options.candidateActivation ?? activation('tanh')),
    },
    options: {
      gateActivation: options.gateActivation ?? activation('sigmoid'),
      candidateActivation: options.candidateActivation ?? activation('tanh'),
      clip: options.clip ?? 0,
    },
    forward: defineKernel(
      'mgu/forward',
      inputs,
      [...forgetSteps, ...candidateSteps, ['new:hidden', ['forget', 'candidate', 'state:hidden'], mguState]],
      ['new:hidden'],
    ),
    backward: defineKernel(
      'mgu/backward',
      [...inputs, 'd:hidden'],
      [
        ...forgetSteps,
        ...candidateSteps,
        ['dCandidate', ['d:hidden', 'forget'], product],
        ['dx:candidate', [...candidate, 'c:clip', 'aCandidate', 'candidate', 'dCandidate'], valueGradient],
        ['dh:candidate', ['dx:candidate'], identity],
        ['dstate:hidden', ['d:hidden', 'forget'], mguPreviousGradient],
      ],
      ['dx:candidate', 'dh:candidate', 'dstate:hidden'],
    ),
    intermediateForward: defineKernel(
      'mgu/intermediate-forward',
      [...projectionInputs(['forget']), 'state:hidden', 'c:clip', ...gate],
      [...forgetSteps, ['s', ['forget', 'state:hidden'], product]],
      ['s'],
    ),
    intermediateBackward: defineKernel(
      'mgu/intermediate-backward',
      [...inputs, 'd:hidden', 'ds'],
      [
        ...forgetSteps,
        ...candidateSteps,
        ['dForget', ['d:hidden', 'candidate', 'state:hidden', 'ds'], mguForgetGradient],
        ['dx:forget', [...gate, 'c:clip', 'aForget', 'forget', 'dForget'], valueGradient],
        ['dh:forget', ['dx:forget'], identity],
        ['dstate:hidden', ['ds', 'forget'], product],
      ],
      ['dx:forget', 'dh:forget', 'dstate:hidden'],
    ),
  };
}
