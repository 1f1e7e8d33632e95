/**
 * GRU with one gate removed, for the experiment "why do we need the reset gate?".
 *
 * GRU without reset gate (r ≡ 1), gates: update z, candidate n
 *   z  = f(W_z x + b_xz + U_z h + b_hz)
 *   n  = g(W_n x + b_xn + U_n h + b_hn)      (both reset placements coincide when r ≡ 1)
 *   h' = (1 − z) ⊙ n + z ⊙ h
 *
 * GRU without update gate (z ≡ 0, so h' = n), gates: reset r, candidate n
 *   r  = f(W_r x + b_xr + U_r h + b_hr)
 *   reset after:  n = g(W_n x + b_xn + r ⊙ (U_n h + b_hn))
 *   reset before: n = g(W_n x + b_xn + U_n (r ⊙ h) + b_hn)   — `s = r ⊙ h`
 *   h' = n
 */
import { activation } from '../activation.js';
import {
  defineKernel,
  gateValue,
  identity,
  product,
  type StepSpec,
  sum2,
  sum4,
  valueGradient,
} from '../pointwise-kernel.js';
import {
  activationArgs,
  activationConstants,
  type CellDefinition,
  projectionInputs,
} from './cell-definition.js';
import {
  candidateGradient,
  type GruOptions,
  interpolate,
  resetAfterCandidate,
  updateGradient,
} from './gru.js';

const gate = activationArgs('gate');
const candidate = activationArgs('candidate');
const constantNames = ['c:clip', ...gate, ...candidate];

function constantsOf(options: GruOptions) {
  return {
    'c:clip': options.clip ?? 0,
    ...activationConstants('gate', options.gateActivation ?? activation('sigmoid')),
    ...activationConstants('candidate', options.candidateActivation ?? activation('tanh')),
  };
}

function describeOptions(options: GruOptions, resetAfter: boolean) {
  return {
    resetAfter,
    gateActivation: options.gateActivation ?? activation('sigmoid'),
    candidateActivation: options.candidateActivation ?? activation('tanh'),
    clip: options.clip ?? 0,
  };
}

const resetSteps: StepSpec[] = [
  ['aReset', ['x:reset', 'bx:reset', 'h:reset', 'bh:reset'], sum4],
  ['reset', [...gate, 'c:clip', 'aReset'], gateValue],
];

/** GRU whose reset gate is fixed open (r ≡ 1). `resetAfter` is irrelevant and ignored. */
export function gruNoResetCell(options: Omit<GruOptions, 'resetAfter'> = {}): CellDefinition {
  const gates = ['update', 'candidate'] as const;
  const inputs = [...projectionInputs(gates), 'state:hidden', ...constantNames];
  const forwardSteps: StepSpec[] = [
    ['aUpdate', ['x:update', 'bx:update', 'h:update', 'bh:update'], sum4],
    ['update', [...gate, 'c:clip', 'aUpdate'], gateValue],
    ['aCandidate', ['x:candidate', 'bx:candidate', 'h:candidate', 'bh:candidate'], sum4],
    ['candidate', [...candidate, 'c:clip', 'aCandidate'], gateValue],
  ];
  return {
    kind: 'gru-no-reset',
    displayName: 'GRU (no reset gate)',
    gates,
    states: ['hidden'],
    peepholes: [],
    split: 2,
    constants: constantsOf(options),
    options: describeOptions(options, true),
    forward: defineKernel(
      'gru-no-reset/forward',
      inputs,
      [...forwardSteps, ['new:hidden', ['update', 'candidate', 'state:hidden'], interpolate]],
      ['new:hidden'],
    ),
    backward: defineKernel(
      'gru-no-reset/backward',
      [...inputs, 'd:hidden'],
      [
        ...forwardSteps,
        ['dUpdate', ['d:hidden', 'state:hidden', 'candidate'], updateGradient],
        ['dCandidate', ['d:hidden', 'update'], candidateGradient],
        ['dx:update', [...gate, 'c:clip', 'aUpdate', 'update', 'dUpdate'], valueGradient],
        ['dh:update', ['dx:update'], identity],
        ['dx:candidate', [...candidate, 'c:clip', 'aCandidate', 'candidate', 'dCandidate'], valueGradient],
        ['dh:candidate', ['dx:candidate'], identity],
        ['dstate:hidden', ['d:hidden', 'update'], product],
      ],
      ['dx:update', 'dx:candidate', 'dh:update', 'dh:candidate', 'dstate:hidden'],
    ),
  };
}

/** GRU whose update gate is fixed shut (z ≡ 0): the state is replaced by the candidate each step. */
export function gruNoUpdateCell(options: GruOptions = {}): CellDefinition {
  const resetAfter = options.resetAfter ?? true;
  const gates = ['reset', 'candidate'] as const;
  const inputs = [...projectionInputs(gates), 'state:hidden', ...constantNames];
  const common = {
    kind: 'gru-no-update' as const,
    displayName: 'GRU (no update gate)',
    gates,
    states: ['hidden' as const],
    peepholes: [],
    constants: constantsOf(options),
    options: describeOptions(options, resetAfter),
  };
  if (resetAfter) {
    const forwardSteps: StepSpec[] = [
      ...resetSteps,
      ['recurrentCandidate', ['h:candidate', 'bh:candidate'], sum2],
      ['aCandidate', ['x:candidate', 'bx:candidate', 'reset', 'recurrentCandidate'], resetAfterCandidate],
      ['new:hidden', [...candidate, 'c:clip', 'aCandidate'], gateValue],
    ];
    return {
      ...common,
      split: 2,
      forward: defineKernel('gru-no-update-reset-after/forward', inputs, forwardSteps, ['new:hidden']),
      backward: defineKernel(
        'gru-no-update-reset-after/backward',
        [...inputs, 'd:hidden'],
        [
          ...forwardSteps,
          ['dx:candidate', [...candidate, 'c:clip', 'aCandidate', 'new:hidden', 'd:hidden'], valueGradient],
          ['dh:candidate', ['dx:candidate', 'reset'], product],
          ['dReset', ['dx:candidate', 'recurrentCandidate'], product],
          ['dx:reset', [...gate, 'c:clip', 'aReset', 'reset', 'dReset'], valueGradient],
          ['dh:reset', ['dx:reset'], identity],
        ],
        ['dx:reset', 'dx:candidate', 'dh:reset', 'dh:candidate'],
      ),
    };
  }
  const forwardSteps: StepSpec[] = [
    ['aCandidate', ['x:candidate', 'bx:candidate', 'h:candidate', 'bh:candidate'], sum4],
    ['new:hidden', [...candidate, 'c:clip', 'aCandidate'], gateValue],
  ];
  const resetInputs = [...projectionInputs(['reset']), 'state:hidden', 'c:clip', ...gate];
  return {
    ...common,
    split: 1,
    forward: defineKernel('gru-no-update-reset-before/forward', inputs, forwardSteps, ['new:hidden']),
    backward: defineKernel(
      'gru-no-update-reset-before/backward',
      [...inputs, 'd:hidden'],
      [
        ...forwardSteps,
        ['dx:candidate', [...candidate, 'c:clip', 'aCandidate', 'new:hidden', 'd:hidden'], valueGradient],
        ['dh:candidate', ['dx:candidate'], identity],
      ],
      ['dx:candidate', 'dh:candidate'],
    ),
    intermediateForward: defineKernel(
      'gru-no-update-reset-before/intermediate-forward',
      resetInputs,
      [...resetSteps, ['s', ['reset', 'state:hidden'], product]],
      ['s'],
    ),
    intermediateBackward: defineKernel(
      'gru-no-update-reset-before/intermediate-backward',
      [...resetInputs, 'ds'],
      [
        ...resetSteps,
        ['dReset', ['ds', 'state:hidden'], product],
        ['dx:reset', [...gate, 'c:clip', 'aReset', 'reset', 'dReset'], valueGradient],
        ['dh:reset', ['dx:reset'], identity],
        ['dstate:hidden', ['ds', 'reset'], product],
      ],
      ['dx:reset', 'dh:reset', 'dstate:hidden'],
    ),
  };
}
