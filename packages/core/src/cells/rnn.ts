/**
 * Vanilla (Elman) recurrent cell.
 *   h' = act(W x + b_x + U h + b_h)        act: tanh (default) or relu, or any ONNX activation
 * One gate row block, named `hidden`. `clip` clips the pre-activation (ONNX).
 */
import { type Activation, activation } from '../activation.js';
import { defineKernel, gateValue, identity, sum4, valueGradient } from '../pointwise-kernel.js';
import {
  activationArgs,
  activationConstants,
  type CellDefinition,
  projectionInputs,
} from './cell-definition.js';

export interface RnnOptions {
  /** Default tanh; PyTorch's `nonlinearity='relu'` is `activation('relu')`. */
  readonly activation?: Activation;
  /** Clip the pre-activation to [−clip, clip]; 0 or absent means no clipping. */
  readonly clip?: number;
}

const gates = ['hidden'] as const;
const act = activationArgs('hidden');

export function rnnCell(options: RnnOptions = {}): CellDefinition {
  const hiddenActivation = options.activation ?? activation('tanh');
  const inputs = [...projectionInputs(gates), 'state:hidden', 'c:clip', ...act];
  const forwardSteps = [
    ['a:hidden', ['x:hidden', 'bx:hidden', 'h:hidden', 'bh:hidden'], sum4],
    ['new:hidden', [...act, 'c:clip', 'a:hidden'], gateValue],
  ] as const;
  return {
    kind: 'rnn',
    displayName: 'RNN',
    gates,
    states: ['hidden'],
    peepholes: [],
    split: 1,
    constants: { 'c:clip': options.clip ?? 0, ...activationConstants('hidden', hiddenActivation) },
    options: { activation: hiddenActivation, clip: options.clip ?? 0 },
    forward: defineKernel('rnn/forward', inputs, forwardSteps, ['new:hidden']),
    backward: defineKernel(
      'rnn/backward',
      [...inputs, 'd:hidden'],
      [
        ...forwardSteps,
        ['dx:hidden', [...act, 'c:clip', 'a:hidden', 'new:hidden', 'd:hidden'], valueGradient],
        ['dh:hidden', ['dx:hidden'], identity],
      ],
      ['dx:hidden', 'dh:hidden'],
    ),
  };
}
