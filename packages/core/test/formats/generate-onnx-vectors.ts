/**
 * Deterministic generator of the vectors in packages/conformance/vectors/generated/: ONNX
 * recurrent nodes that the decoded ONNX node tests lack (random weights, T > 1 reverse and
 * bidirectional with different weights per direction, sequence_lens shorter than T and 0,
 * linear_before_reset = 1, layout = 1 with initial states, activations with α/β, clip), each
 * with a `gradients` block.
 *
 * Inputs are seeded random float32 values. Expected outputs come from the independent float64
 * evaluator `onnx-reference-equations.ts` (no code shared with src/); expected gradients are
 * central differences (ε = 1e-6) of that evaluator's loss `Σ upstream ⊙ outputs`, all rounded
 * to float32. Nothing here calls the library, so the files can check it.
 *
 * Regenerate (from the repository root):
 *   RECURRENT_WRITE_VECTORS=1 pnpm exec vitest run --config tooling/vitest/vitest.workspace.ts \
 *     --project core test/formats/generated-vectors.test.ts
 */
import { type EquationTensor, equationGradient, evaluateOnnxEquations } from './onnx-reference-equations.js';
import { buildNode, type NodeChoice, seededUniform } from './random-onnx-node.js';

export const generatorSeed = 20261125;

type Upstream = 'Y' | 'Y_h' | 'Y_c';

interface VectorCase {
  readonly name: string;
  readonly choice: Omit<NodeChoice, 'seed'>;
  readonly upstream: readonly Upstream[];
  /** Documents behaviour that is ONNX Runtime's rather than the spec's. */
  readonly note?: string;
}

const common = {
  withBias: true,
  withInitialHidden: false,
  withInitialCell: false,
  withPeepholes: false,
  linearBeforeReset: 0,
} as const;

const cases: readonly VectorCase[] = [
  {
    name: 'gru_bidirectional_linear_before_reset_seq_lens',
    choice: {
      ...common,
      operator: 'GRU',
      direction: 'bidirectional',
      layout: 0,
      steps: 4,
      batch: 3,
      inputSize: 3,
      hiddenSize: 3,
      lengths: [4, 2, 1],
      withInitialHidden: true,
      linearBeforeReset: 1,
    },
    upstream: ['Y', 'Y_h'],
  },
  {
    name: 'gru_reverse_layout1_initial_h_hardsigmoid_clip',
    choice: {
      ...common,
      operator: 'GRU',
      direction: 'reverse',
      layout: 1,
      steps: 3,
      batch: 2,
      inputSize: 2,
      hiddenSize: 3,
      withInitialHidden: true,
      activations: ['HardSigmoid', 'Softsign'],
      activationAlpha: [0.25],
      activationBeta: [0.45],
      clip: 2.5,
    },
    upstream: ['Y', 'Y_h'],
  },
  {
    name: 'lstm_bidirectional_layout1_peepholes_activations_per_direction',
    choice: {
      ...common,
      operator: 'LSTM',
      direction: 'bidirectional',
      layout: 1,
      steps: 3,
      batch: 2,
      inputSize: 3,
      hiddenSize: 2,
      lengths: [3, 1],
      withInitialHidden: true,
      withInitialCell: true,
      withPeepholes: true,
      activations: ['Sigmoid', 'Tanh', 'Tanh', 'HardSigmoid', 'ScaledTanh', 'Softsign'],
      activationAlpha: [0.3, 0.9],
      activationBeta: [0.55, 1.2],
    },
    upstream: ['Y', 'Y_h', 'Y_c'],
  },
  {
    name: 'lstm_reverse_seq_lens_clip',
    choice: {
      ...common,
      operator: 'LSTM',
      direction: 'reverse',
      layout: 0,
      steps: 4,
      batch: 3,
      inputSize: 2,
      hiddenSize: 3,
      lengths: [2, 4, 3],
      withInitialCell: true,
      clip: 1.5,
    },
    upstream: ['Y_h', 'Y_c'],
  },
  {
    name: 'rnn_bidirectional_scaledtanh_affine_alpha_beta',
    choice: {
      ...common,
      operator: 'RNN',
      direction: 'bidirectional',
      layout: 0,
      steps: 5,
      batch: 2,
      inputSize: 3,
      hiddenSize: 4,
      lengths: [5, 3],
      withInitialHidden: true,
      activations: ['ScaledTanh', 'Affine'],
      activationAlpha: [0.8, 0.6],
      activationBeta: [1.3, 0.1],
    },
    upstream: ['Y'],
  },
  {
    name: 'rnn_forward_zero_length',
    choice: {
      ...common,
      operator: 'RNN',
      direction: 'forward',
      layout: 0,
      steps: 3,
      batch: 3,
      inputSize: 2,
      hiddenSize: 2,
      lengths: [3, 0, 2],
      withInitialHidden: true,
    },
    upstream: ['Y', 'Y_h'],
    note: 'sequence_lens has a 0: the spec is silent; ONNX Runtime returns zero Y and zero Y_h for that sample (and so zero gradients), which this vector encodes.',
  },
];

const f32 = (values: ArrayLike<number>) => Array.from(values, (value) => Math.fround(value));

const inputOrder = ['X', 'W', 'R', 'B', 'sequence_lens', 'initial_h', 'initial_c', 'P'] as const;

/** The vectors as plain JSON values, keyed by file name. */
export function generateOnnxVectors(): { file: string; vector: Record<string, unknown> }[] {
  return cases.map((testCase, index) => {
    const seed = generatorSeed + index;
    const choice = { ...testCase.choice, seed } as NodeChoice;
    const node = buildNode(choice);
    const outputs = evaluateOnnxEquations(node);
    const uniform = seededUniform(seed ^ 0x5bd1e995);
    const upstream: Partial<Record<Upstream, EquationTensor>> = {};
    for (const name of testCase.upstream) {
      upstream[name] = {
        dims: outputs[name]!.dims,
        data: f32(Array.from(outputs[name]!.data, () => uniform(-1, 1))),
      };
    }
    const D = choice.direction === 'bidirectional' ? 2 : 1;
    const G = { RNN: 1, GRU: 3, LSTM: 4 }[choice.operator];
    const H = choice.hiddenSize;
    const gradientDims: Record<string, readonly number[]> = {
      X: node.inputs.X!.dims,
      W: [D, G * H, choice.inputSize],
      R: [D, G * H, H],
      B: [D, 2 * G * H],
      initial_h: outputs.Y_h.dims,
      ...(choice.operator === 'LSTM' ? { initial_c: outputs.Y_h.dims, P: [D, 3 * H] } : {}),
    };
    const tensorJson = (name: string, tensor: EquationTensor, dtype = 'float32') => ({
      name,
      graph_name: name,
      dims: [...tensor.dims],
      dtype,
      data: dtype === 'int32' ? Array.from(tensor.data) : f32(tensor.data),
    });
    const inputs: Record<string, unknown> = {};
    for (const name of inputOrder) {
      if (choice.operator !== 'LSTM' && (name === 'initial_c' || name === 'P')) {
        continue;
      }
      const tensor = node.inputs[name];
      inputs[name] = tensor ? tensorJson(name, tensor, name === 'sequence_lens' ? 'int32' : 'float32') : null;
    }
    const present = inputOrder.filter((name) => inputs[name] !== undefined && inputs[name] !== null);
    const lastPresent = inputOrder.indexOf(present[present.length - 1]!);
    const nodeInputs = inputOrder.slice(0, lastPresent + 1).map((name) => (inputs[name] ? name : ''));
    const outputNames: Upstream[] = choice.operator === 'LSTM' ? ['Y', 'Y_h', 'Y_c'] : ['Y', 'Y_h'];
    const defaults: Record<string, unknown> = {
      direction: 'forward',
      layout: 0,
      clip: null,
      linear_before_reset: 0,
      input_forget: 0,
    };
    const functionDefaults = { RNN: ['Tanh'], GRU: ['Sigmoid', 'Tanh'], LSTM: ['Sigmoid', 'Tanh', 'Tanh'] }[
      choice.operator
    ];
    // The attribute order of the decoded ONNX vectors, every default explicit.
    const rest: Record<string, unknown> = { ...node.attributes };
    delete rest.activations;
    const attributes = {
      hidden_size: rest.hidden_size,
      direction: rest.direction,
      layout: rest.layout,
      activations: choice.activations ?? Array.from({ length: D }, () => functionDefaults).flat(),
      ...rest,
    };
    const attributesSet = Object.keys(attributes).filter((key) => {
      const value = attributes[key as keyof typeof attributes];
      if (key === 'hidden_size') {
        return true;
      }
      if (key === 'activations') {
        return choice.activations !== undefined;
      }
      if (Array.isArray(value)) {
        return value.length > 0;
      }
      return value !== defaults[key];
    });
    return {
      file: `${testCase.name}.json`,
      vector: {
        name: testCase.name,
        operator: choice.operator,
        source: {
          set: 'generated',
          generator: 'packages/core/test/formats/generate-onnx-vectors.ts',
          seed,
          expected_outputs:
            'independent float64 ONNX-equations evaluator (packages/core/test/formats/onnx-reference-equations.ts), rounded to float32',
          expected_gradients: 'central differences (epsilon 1e-6) of that evaluator, rounded to float32',
          ...(testCase.note ? { note: testCase.note } : {}),
          license: 'MIT',
        },
        opset: 22,
        attributes,
        attributes_set_in_model: attributesSet,
        node_inputs: nodeInputs,
        node_outputs: outputNames,
        inputs,
        outputs: Object.fromEntries(outputNames.map((name) => [name, tensorJson(name, outputs[name]!)])),
        gradients: {
          upstream: Object.fromEntries(
            Object.entries(upstream).map(([name, tensor]) => [
              name,
              { dims: [...tensor.dims], dtype: 'float32', data: f32(tensor.data) },
            ]),
          ),
          expected: Object.fromEntries(
            Object.entries(gradientDims).map(([name, dims]) => [
              name,
              { dims: [...dims], dtype: 'float32', data: f32(equationGradient(node, upstream, name, dims)) },
            ]),
          ),
          precision: 'float64',
        },
      },
    };
  });
}

/** JSON with one-space indentation and number arrays on one line, like the decoded ONNX vectors. */
export function formatVector(value: unknown, indent = ''): string {
  if (Array.isArray(value) && value.every((item) => typeof item !== 'object' || item === null)) {
    return `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
  }
  const inner = `${indent} `;
  if (Array.isArray(value)) {
    return `[\n${value.map((item) => inner + formatVector(item, inner)).join(',\n')}\n${indent}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(
      ([key, item]) => `${inner}${JSON.stringify(key)}: ${formatVector(item, inner)}`,
    );
    return `{\n${entries.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}
