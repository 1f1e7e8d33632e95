/**
 * `onnxRecurrentGradients` against central differences of the independent ONNX-equations
 * evaluator, on random nodes with smooth activations: every input gradient (X, W, R, B,
 * initial_h, initial_c, P) in ONNX shapes and gate orders, with random upstream gradients for
 * any subset of Y, Y_h, Y_c, lengths including 0, both layouts and all directions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { onnxRecurrentGradients } from '../../src/index.js';
import { createReferenceBackend } from '../../src/reference/index.js';
import { equationGradient, evaluateOnnxEquations } from './onnx-reference-equations.js';
import { buildNode, nodeChoiceArbitrary, seededUniform } from './random-onnx-node.js';

const backend = createReferenceBackend();

describe('onnxRecurrentGradients against finite differences of the ONNX equations', () => {
  it('matches every input gradient on random nodes', async () => {
    await fc.assert(
      fc.asyncProperty(
        nodeChoiceArbitrary({ smooth: true, maxSize: 3 }),
        fc.subarray(['Y', 'Y_h', 'Y_c'] as const, { minLength: 1 }),
        async (choice, upstreamNames) => {
          const node = buildNode(choice);
          const outputs = evaluateOnnxEquations(node);
          const uniform = seededUniform(choice.seed ^ 0x9e3779b9);
          const upstream: Record<string, { dims: readonly number[]; data: number[] }> = {};
          for (const name of upstreamNames) {
            const output = outputs[name];
            if (output) {
              upstream[name] = { dims: output.dims, data: Array.from(output.data, () => uniform(-1, 1)) };
            }
          }
          const liveBefore = backend.liveBufferCount();
          const gradients = await onnxRecurrentGradients(backend, node, upstream);
          expect(backend.liveBufferCount()).toBe(liveBefore);
          const D = choice.direction === 'bidirectional' ? 2 : 1;
          const G = { RNN: 1, GRU: 3, LSTM: 4 }[choice.operator];
          const H = choice.hiddenSize;
          const stateDims = outputs.Y_h.dims;
          const expectedDims: Record<string, readonly number[]> = {
            X: node.inputs.X.dims,
            W: [D, G * H, choice.inputSize],
            R: [D, G * H, H],
            B: [D, 2 * G * H],
            initial_h: stateDims,
            ...(choice.operator === 'LSTM' ? { initial_c: stateDims, P: [D, 3 * H] } : {}),
          };
          expect(Object.keys(gradients).sort()).toEqual(Object.keys(expectedDims).sort());
          for (const [name, dims] of Object.entries(expectedDims)) {
            const actual = gradients[name as keyof typeof gradients]!;
            expect(actual.dims, name).toEqual(dims);
            const numeric = equationGradient(node, upstream, name, dims);
            const scale = Math.max(1, ...Array.from(numeric, Math.abs));
            let worst = 0;
            for (let index = 0; index < numeric.length; index++) {
              worst = Math.max(worst, Math.abs(actual.data[index]! - numeric[index]!));
            }
            expect(worst / scale, `${name} of ${JSON.stringify(choice)}`).toBeLessThan(1e-6);
          }
        },
      ),
      { numRuns: 60, seed: 4242 },
    );
  });
});
