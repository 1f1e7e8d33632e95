/**
 * Random ONNX recurrent nodes for the property tests and the generated vectors: a small,
 * seeded description (`NodeChoice`, drawn by fast-check or written by hand) expanded into a
 * node with random weights. Shared by tests only; it computes no expected values.
 */
import fc from 'fast-check';
import type { OnnxRecurrentNode } from '../../src/index.js';
import type { EquationNode } from './onnx-reference-equations.js';

/** A node both the library and the independent evaluator accept. */
export type TestNode = OnnxRecurrentNode & EquationNode;

export type Operator = 'RNN' | 'GRU' | 'LSTM';
export type Direction = 'forward' | 'reverse' | 'bidirectional';

export interface NodeChoice {
  readonly operator: Operator;
  readonly direction: Direction;
  readonly layout: 0 | 1;
  readonly steps: number;
  readonly batch: number;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly withBias: boolean;
  /** Lengths in 0..steps, or undefined. */
  readonly lengths?: readonly number[];
  readonly withInitialHidden: boolean;
  readonly withInitialCell: boolean;
  readonly withPeepholes: boolean;
  readonly linearBeforeReset: 0 | 1;
  /** Per direction, the function names; `undefined` = operator defaults. */
  readonly activations?: readonly string[];
  readonly activationAlpha?: readonly number[];
  readonly activationBeta?: readonly number[];
  readonly clip?: number;
  readonly seed: number;
}

/** mulberry32: a tiny seeded generator, so a seed fixes every number of a node. */
export function seededUniform(seed: number): (low: number, high: number) => number {
  let state = seed >>> 0;
  return (low, high) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return low + (high - low) * unit;
  };
}

const gateCounts: Record<Operator, number> = { RNN: 1, GRU: 3, LSTM: 4 };
export const functionsPerDirection: Record<Operator, number> = { RNN: 1, GRU: 2, LSTM: 3 };

/** Expands a choice into a node; values are float32-representable (`Math.fround`). */
export function buildNode(choice: NodeChoice): TestNode {
  const uniform = seededUniform(choice.seed);
  const { steps: T, batch: N, inputSize: I, hiddenSize: H, operator } = choice;
  const D = choice.direction === 'bidirectional' ? 2 : 1;
  const G = gateCounts[operator];
  const tensor = (dims: number[], scale: number) => ({
    dims,
    data: Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => Math.fround(uniform(-scale, scale))),
  });
  const stateDims = choice.layout === 0 ? [D, N, H] : [N, D, H];
  const lstm = operator === 'LSTM';
  return {
    operator,
    attributes: {
      hidden_size: H,
      direction: choice.direction,
      layout: choice.layout,
      ...(choice.activations ? { activations: choice.activations } : {}),
      activation_alpha: choice.activationAlpha ?? [],
      activation_beta: choice.activationBeta ?? [],
      clip: choice.clip ?? null,
      ...(operator === 'GRU' ? { linear_before_reset: choice.linearBeforeReset } : {}),
      ...(lstm ? { input_forget: 0 } : {}),
    },
    inputs: {
      X: tensor(choice.layout === 0 ? [T, N, I] : [N, T, I], 1),
      W: tensor([D, G * H, I], 0.8),
      R: tensor([D, G * H, H], 0.8),
      B: choice.withBias ? tensor([D, 2 * G * H], 0.5) : null,
      sequence_lens: choice.lengths ? { dims: [N], data: [...choice.lengths] } : null,
      initial_h: choice.withInitialHidden ? tensor(stateDims, 1) : null,
      ...(lstm
        ? {
            initial_c: choice.withInitialCell ? tensor(stateDims, 1) : null,
            P: choice.withPeepholes ? tensor([D, 3 * H], 0.8) : null,
          }
        : {}),
    },
  };
}

const smoothFunctions = ['Sigmoid', 'Tanh', 'ScaledTanh', 'Affine', 'Softsign', 'Softplus'];
const allFunctions = [...smoothFunctions, 'Relu', 'LeakyRelu', 'ThresholdedRelu', 'HardSigmoid', 'Elu'];

/**
 * Random node choices. `smooth` keeps to activations without kinks and leaves clip out, so
 * central differences are valid everywhere (for the gradient checks).
 */
export function nodeChoiceArbitrary(
  options: { smooth?: boolean; maxSize?: number } = {},
): fc.Arbitrary<NodeChoice> {
  const maxSize = options.maxSize ?? 4;
  const functions = options.smooth ? smoothFunctions : allFunctions;
  return fc
    .record({
      operator: fc.constantFrom<Operator>('RNN', 'GRU', 'LSTM'),
      direction: fc.constantFrom<Direction>('forward', 'reverse', 'bidirectional'),
      layout: fc.constantFrom<0 | 1>(0, 1),
      steps: fc.integer({ min: 1, max: maxSize }),
      batch: fc.integer({ min: 1, max: 3 }),
      inputSize: fc.integer({ min: 1, max: maxSize }),
      hiddenSize: fc.integer({ min: 1, max: maxSize }),
      withBias: fc.boolean(),
      withLengths: fc.boolean(),
      withInitialHidden: fc.boolean(),
      withInitialCell: fc.boolean(),
      withPeepholes: fc.boolean(),
      linearBeforeReset: fc.constantFrom<0 | 1>(0, 1),
      customActivations: fc.boolean(),
      functionPicks: fc.array(fc.constantFrom(...functions), { minLength: 6, maxLength: 6 }),
      alphas: fc.array(fc.double({ min: 0.1, max: 1.5, noNaN: true }), { maxLength: 6 }),
      betas: fc.array(fc.double({ min: 0.1, max: 1.5, noNaN: true }), { maxLength: 6 }),
      clip: options.smooth
        ? fc.constant(undefined)
        : fc.option(fc.double({ min: 0.3, max: 3, noNaN: true }), { nil: undefined }),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      lengthSeed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    })
    .map((draw): NodeChoice => {
      const D = draw.direction === 'bidirectional' ? 2 : 1;
      const count = functionsPerDirection[draw.operator] * D;
      const names = draw.functionPicks.slice(0, count);
      const takesAlpha = ['ScaledTanh', 'Affine', 'LeakyRelu', 'ThresholdedRelu', 'HardSigmoid', 'Elu'];
      const takesBeta = ['ScaledTanh', 'Affine', 'HardSigmoid'];
      // Give at most as many α/β as the chosen functions consume (the rest take defaults).
      const alphaCount = names.filter((name) => takesAlpha.includes(name)).length;
      const betaCount = names.filter((name) => takesBeta.includes(name)).length;
      const uniform = seededUniform(draw.lengthSeed);
      const lengths = draw.withLengths
        ? Array.from({ length: draw.batch }, () => Math.floor(uniform(0, draw.steps + 1)))
        : undefined;
      return {
        operator: draw.operator,
        direction: draw.direction,
        layout: draw.layout,
        steps: draw.steps,
        batch: draw.batch,
        inputSize: draw.inputSize,
        hiddenSize: draw.hiddenSize,
        withBias: draw.withBias,
        ...(lengths ? { lengths } : {}),
        withInitialHidden: draw.withInitialHidden,
        withInitialCell: draw.withInitialCell,
        withPeepholes: draw.withPeepholes,
        linearBeforeReset: draw.linearBeforeReset,
        ...(draw.customActivations
          ? {
              activations: names,
              activationAlpha: draw.alphas.slice(0, alphaCount).map(Math.fround),
              activationBeta: draw.betas.slice(0, betaCount).map(Math.fround),
            }
          : {}),
        ...(draw.clip !== undefined ? { clip: Math.fround(draw.clip) } : {}),
        seed: draw.seed,
      };
    });
}
