/**
 * Gated recurrent unit (Cho et al. 2014), both placements of the reset gate.
 *
 * Canonical gate order (rows of W and U): update z, reset r, candidate n (ONNX/Keras order).
 *   z  = f(W_z x + b_xz + U_z h + b_hz)
 *   r  = f(W_r x + b_xr + U_r h + b_hr)
 *   reset after the product  (PyTorch, cuDNN, Keras 3, ONNX linear_before_reset=1):
 *     n = g(W_n x + b_xn + r ⊙ (U_n h + b_hn))
 *   reset before the product (Cho et al. 2014, ONNX default, Keras reset_after=False):
 *     n = g(W_n x + b_xn + U_n (r ⊙ h) + b_hn)        — `s = r ⊙ h` is the intermediate
 *   h' = (1 − z) ⊙ n + z ⊙ h
 * f defaults to sigmoid, g to tanh; `clip` (ONNX) clips every pre-activation to [−clip, clip].
 * No cell state. Backward is below forward: gradients of the pre-activations, then the
 * direct path to h (z ⊙ dh'), with the reset path through the recurrent product handled by
 * core's GEMMs.
 */
import { type Activation, activation } from '../activation.js';
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

export interface GruOptions {
  /** Reset gate applied after the recurrent product (default `true`, as PyTorch and cuDNN). */
  readonly resetAfter?: boolean;
  /** Gate activation f (default sigmoid). */
  readonly gateActivation?: Activation;
  /** Candidate activation g (default tanh). */
  readonly candidateActivation?: Activation;
  /** Clip pre-activations to [−clip, clip]; 0 or absent means no clipping. */
  readonly clip?: number;
}

const gates = ['update', 'reset', 'candidate'] as const;
const gate = activationArgs('gate');
const candidate = activationArgs('candidate');
const constantNames = ['c:clip', ...gate, ...candidate];

export function interpolate(update: number, candidateValue: number, previous: number): number {
  return (1 - update) * candidateValue + update * previous;
}
export function resetAfterCandidate(
  inputPart: number,
  inputBias: number,
  reset: number,
  recurrentPart: number,
): number {
  return inputPart + inputBias + reset * recurrentPart;
}
export function updateGradient(dHidden: number, previous: number, candidateValue: number): number {
  return dHidden * (previous - candidateValue);
}
export function candidateGradient(dHidden: number, update: number): number {
  return dHidden * (1 - update);
}

/** The steps computing z (and r when `withReset`) from the projections. */
function gateSteps(withReset: boolean): StepSpec[] {
  const steps: StepSpec[] = [
    ['aUpdate', ['x:update', 'bx:update', 'h:update', 'bh:update'], sum4],
    ['update', [...gate, 'c:clip', 'aUpdate'], gateValue],
  ];
  if (withReset) {
    steps.push(
      ['aReset', ['x:reset', 'bx:reset', 'h:reset', 'bh:reset'], sum4],
      ['reset', [...gate, 'c:clip', 'aReset'], gateValue],
    );
  }
  return steps;
}

export function gruCell(options: GruOptions = {}): CellDefinition {
  const resetAfter = options.resetAfter ?? true;
  const gateActivation = options.gateActivation ?? activation('sigmoid');
  const candidateActivation = options.candidateActivation ?? activation('tanh');
  const constants = {
    'c:clip': options.clip ?? 0,
    ...activationConstants('gate', gateActivation),
    ...activationConstants('candidate', candidateActivation),
  };
  const inputs = [...projectionInputs(gates), 'state:hidden', ...constantNames];
  const backwardTail: StepSpec[] = [
    ['dUpdate', ['d:hidden', 'state:hidden', 'candidate'], updateGradient],
    ['dCandidate', ['d:hidden', 'update'], candidateGradient],
    ['dx:update', [...gate, 'c:clip', 'aUpdate', 'update', 'dUpdate'], valueGradient],
    ['dh:update', ['dx:update'], identity],
    ['dx:candidate', [...candidate, 'c:clip', 'aCandidate', 'candidate', 'dCandidate'], valueGradient],
    ['dstate:hidden', ['d:hidden', 'update'], product],
  ];

  if (resetAfter) {
    const candidateSteps: StepSpec[] = [
      ['recurrentCandidate', ['h:candidate', 'bh:candidate'], sum2],
      ['aCandidate', ['x:candidate', 'bx:candidate', 'reset', 'recurrentCandidate'], resetAfterCandidate],
      ['candidate', [...candidate, 'c:clip', 'aCandidate'], gateValue],
    ];
    const forwardSteps = [...gateSteps(true), ...candidateSteps];
    return {
      kind: 'gru',
      displayName: 'GRU',
      gates,
      states: ['hidden'],
      peepholes: [],
      split: 3,
      constants,
      options: { resetAfter, gateActivation, candidateActivation, clip: options.clip ?? 0 },
      forward: defineKernel(
        'gru-reset-after/forward',
        inputs,
        [...forwardSteps, ['new:hidden', ['update', 'candidate', 'state:hidden'], interpolate]],
        ['new:hidden'],
      ),
      backward: defineKernel(
        'gru-reset-after/backward',
        [...inputs, 'd:hidden'],
        [
          ...forwardSteps,
          ...backwardTail,
          ['dh:candidate', ['dx:candidate', 'reset'], product],
          ['dReset', ['dx:candidate', 'recurrentCandidate'], product],
          ['dx:reset', [...gate, 'c:clip', 'aReset', 'reset', 'dReset'], valueGradient],
          ['dh:reset', ['dx:reset'], identity],
        ],
        ['dx:update', 'dx:reset', 'dx:candidate', 'dh:update', 'dh:reset', 'dh:candidate', 'dstate:hidden'],
      ),
    };
  }

  // Reset before the product: U_n multiplies s = r ⊙ h, computed by the intermediate kernel.
  const candidateSteps: StepSpec[] = [
    ['aCandidate', ['x:candidate', 'bx:candidate', 'h:candidate', 'bh:candidate'], sum4],
    ['candidate', [...candidate, 'c:clip', 'aCandidate'], gateValue],
  ];
  const forwardSteps = [...gateSteps(false), ...candidateSteps];
  const resetInputs = [...projectionInputs(['reset']), 'state:hidden', 'c:clip', ...gate];
  return {
    kind: 'gru',
    displayName: 'GRU',
    gates,
    states: ['hidden'],
    peepholes: [],
    split: 2,
    constants,
    options: { resetAfter, gateActivation, candidateActivation, clip: options.clip ?? 0 },
    forward: defineKernel(
      'gru-reset-before/forward',
      inputs,
      [...forwardSteps, ['new:hidden', ['update', 'candidate', 'state:hidden'], interpolate]],
      ['new:hidden'],
    ),
    backward: defineKernel(
      'gru-reset-before/backward',
      [...inputs, 'd:hidden'],
      [...forwardSteps, ...backwardTail, ['dh:candidate', ['dx:candidate'], identity]],
      ['dx:update', 'dx:candidate', 'dh:update', 'dh:candidate', 'dstate:hidden'],
    ),
    intermediateForward: defineKernel(
      'gru-reset-before/intermediate-forward',
      resetInputs,
      [...gateStepsReset(), ['s', ['reset', 'state:hidden'], product]],
      ['s'],
    ),
    intermediateBackward: defineKernel(
      'gru-reset-before/intermediate-backward',
      [...resetInputs, 'ds'],
      [
        ...gateStepsReset(),
        ['dReset', ['ds', 'state:hidden'], product],
        ['dx:reset', [...gate, 'c:clip', 'aReset', 'reset', 'dReset'], valueGradient],
        ['dh:reset', ['dx:reset'], identity],
        ['dstate:hidden', ['ds', 'reset'], product],
      ],
      ['dx:reset', 'dh:reset', 'dstate:hidden'],
    ),
  };
}

function gateStepsReset(): StepSpec[] {
  return [
    ['aReset', ['x:reset', 'bx:reset', 'h:reset', 'bh:reset'], sum4],
    ['reset', [...gate, 'c:clip', 'aReset'], gateValue],
  ];
}
