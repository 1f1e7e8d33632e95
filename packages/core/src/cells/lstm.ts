/**
 * Long short-term memory (Hochreiter & Schmidhuber 1997) with optional peepholes (ONNX `P`).
 *
 * Canonical gate order (rows of W and U): input i, forget f, cell candidate g, output o
 * (PyTorch i,f,g,o and Keras i,f,c,o agree; ONNX uses i,o,f,c and is mapped on import).
 *   i  = f(W_i x + b_xi + U_i h + b_hi + p_i ⊙ c)
 *   f_ = f(W_f x + b_xf + U_f h + b_hf + p_f ⊙ c)
 *   g  = g(W_g x + b_xg + U_g h + b_hg)
 *   c' = f_ ⊙ c + i ⊙ g
 *   o  = f(W_o x + b_xo + U_o h + b_ho + p_o ⊙ c')
 *   h' = o ⊙ h(c')
 * Activations default to sigmoid, tanh, tanh; `clip` clips the gate pre-activations (ONNX).
 * Without peepholes the `p:*` inputs are bound to 0 and their gradients are not requested.
 */
import { type Activation, activate, activation, activationSlopeFromValue } from '../activation.js';
import {
  defineKernel,
  gateValue,
  identity,
  multiplyAdd,
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

export interface LstmOptions {
  /** Gate activation f (default sigmoid). */
  readonly gateActivation?: Activation;
  /** Cell candidate activation g (default tanh). */
  readonly cellActivation?: Activation;
  /** Activation h applied to the new cell state (default tanh). */
  readonly hiddenActivation?: Activation;
  /** Learn peephole weights p_i, p_f, p_o (default false). */
  readonly peepholes?: boolean;
  /** Clip gate pre-activations to [−clip, clip]; 0 or absent means no clipping. */
  readonly clip?: number;
}

const gates = ['input', 'forget', 'cell', 'output'] as const;
const gate = activationArgs('gate');
const cellArgs = activationArgs('cell');
const hiddenArgs = activationArgs('hidden');

export function newCellState(forget: number, previous: number, input: number, candidate: number): number {
  return forget * previous + input * candidate;
}

/** Total gradient reaching c': from the next step, through h' = o ⊙ h(c'), and the output peephole. */
export function cellGradient(
  dCell: number,
  dHidden: number,
  output: number,
  kind: number,
  alpha: number,
  beta: number,
  cell: number,
  squashed: number,
  dOutputPre: number,
  outputPeephole: number,
): number {
  const slope = activationSlopeFromValue(kind, alpha, beta, cell, squashed);
  return dCell + dHidden * output * slope + dOutputPre * outputPeephole;
}

export function previousCellGradient(
  dCell: number,
  forget: number,
  dInputPre: number,
  inputPeephole: number,
  dForgetPre: number,
  forgetPeephole: number,
): number {
  return dCell * forget + dInputPre * inputPeephole + dForgetPre * forgetPeephole;
}

function preActivation(gateName: string, peephole: string | null): StepSpec[] {
  const sum: StepSpec = [
    `a:${gateName}`,
    [`x:${gateName}`, `bx:${gateName}`, `h:${gateName}`, `bh:${gateName}`],
    sum4,
  ];
  if (peephole === null) {
    return [sum];
  }
  return [sum, [`ap:${gateName}`, [`a:${gateName}`, `p:${gateName}`, peephole], multiplyAdd]];
}

export function lstmCell(options: LstmOptions = {}): CellDefinition {
  const gateActivation = options.gateActivation ?? activation('sigmoid');
  const cellActivation = options.cellActivation ?? activation('tanh');
  const hiddenActivation = options.hiddenActivation ?? activation('tanh');
  const peepholes = options.peepholes ?? false;
  const constants = {
    'c:clip': options.clip ?? 0,
    ...activationConstants('gate', gateActivation),
    ...activationConstants('cell', cellActivation),
    ...activationConstants('hidden', hiddenActivation),
  };
  const inputs = [
    ...projectionInputs(gates),
    'p:input',
    'p:forget',
    'p:output',
    'state:hidden',
    'state:cell',
    'c:clip',
    ...gate,
    ...cellArgs,
    ...hiddenArgs,
  ];
  const forwardSteps: StepSpec[] = [
    ...preActivation('input', 'state:cell'),
    ['input', [...gate, 'c:clip', 'ap:input'], gateValue],
    ...preActivation('forget', 'state:cell'),
    ['forget', [...gate, 'c:clip', 'ap:forget'], gateValue],
    ...preActivation('cell', null),
    ['candidate', [...cellArgs, 'c:clip', 'a:cell'], gateValue],
    ['new:cell', ['forget', 'state:cell', 'input', 'candidate'], newCellState],
    ...preActivation('output', 'new:cell'),
    ['output', [...gate, 'c:clip', 'ap:output'], gateValue],
    ['squashed', [...hiddenArgs, 'new:cell'], activate],
    ['new:hidden', ['output', 'squashed'], product],
  ];
  const backwardSteps: StepSpec[] = [
    ['dOutput', ['d:hidden', 'squashed'], product],
    ['dx:output', [...gate, 'c:clip', 'ap:output', 'output', 'dOutput'], valueGradient],
    [
      'dCell',
      ['d:cell', 'd:hidden', 'output', ...hiddenArgs, 'new:cell', 'squashed', 'dx:output', 'p:output'],
      cellGradient,
    ],
    ['dInput', ['dCell', 'candidate'], product],
    ['dx:input', [...gate, 'c:clip', 'ap:input', 'input', 'dInput'], valueGradient],
    ['dForget', ['dCell', 'state:cell'], product],
    ['dx:forget', [...gate, 'c:clip', 'ap:forget', 'forget', 'dForget'], valueGradient],
    ['dCandidate', ['dCell', 'input'], product],
    ['dx:cell', [...cellArgs, 'c:clip', 'a:cell', 'candidate', 'dCandidate'], valueGradient],
    [
      'dstate:cell',
      ['dCell', 'forget', 'dx:input', 'p:input', 'dx:forget', 'p:forget'],
      previousCellGradient,
    ],
    ['dp:input', ['dx:input', 'state:cell'], product],
    ['dp:forget', ['dx:forget', 'state:cell'], product],
    ['dp:output', ['dx:output', 'new:cell'], product],
    ...gates.map((name): StepSpec => [`dh:${name}`, [`dx:${name}`], identity]),
  ];
  return {
    kind: 'lstm',
    displayName: 'LSTM',
    gates,
    states: ['hidden', 'cell'],
    peepholes: peepholes ? ['input', 'forget', 'output'] : [],
    split: gates.length,
    constants,
    options: { gateActivation, cellActivation, hiddenActivation, peepholes, clip: options.clip ?? 0 },
    forward: defineKernel('lstm/forward', inputs, forwardSteps, ['new:hidden', 'new:cell']),
    backward: defineKernel(
      'lstm/backward',
      [...inputs, 'd:hidden', 'd:cell'],
      [...forwardSteps, ...backwardSteps],
      [
        ...gates.map((name) => `dx:${name}`),
        ...gates.map((name) => `dh:${name}`),
        'dstate:cell',
        'dp:input',
        'dp:forget',
        'dp:output',
      ],
    ),
  };
}
