/**
 * `runOnnxRecurrent` against the independent ONNX-equations evaluator on random nodes: every
 * operator, direction (with different weights per direction), layout, optional input,
 * sequence lengths including 0, `linear_before_reset`, activations with α/β and clip. Random
 * weights make gate-order, direction and layout mistakes visible, which the ONNX fixtures
 * (mostly constant weights, T = 1 for reverse/bidirectional) cannot catch.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runOnnxRecurrent, UnsupportedError, ValueError } from '../../src/index.js';
import { createReferenceBackend } from '../../src/reference/index.js';
import { evaluateOnnxEquations } from './onnx-reference-equations.js';
import { buildNode, nodeChoiceArbitrary } from './random-onnx-node.js';

const backend = createReferenceBackend();

function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  for (let index = 0; index < expected.length; index++) {
    const error = Math.abs(actual[index]! - expected[index]!) / Math.max(1, Math.abs(expected[index]!));
    worst = Number.isNaN(error) ? Number.POSITIVE_INFINITY : Math.max(worst, error);
  }
  return worst;
}

describe('runOnnxRecurrent against the ONNX equations', () => {
  it('matches on random nodes (all attributes and optional inputs)', async () => {
    await fc.assert(
      fc.asyncProperty(nodeChoiceArbitrary(), async (choice) => {
        const node = buildNode(choice);
        const expected = evaluateOnnxEquations(node);
        const liveBefore = backend.liveBufferCount();
        const actual = await runOnnxRecurrent(backend, node);
        expect(backend.liveBufferCount()).toBe(liveBefore);
        for (const name of ['Y', 'Y_h', 'Y_c'] as const) {
          expect(actual[name]?.dims).toEqual(expected[name]?.dims);
          if (expected[name]) {
            expect(maxRelativeError(actual[name]!.data, expected[name]!.data), name).toBeLessThan(1e-12);
          }
        }
      }),
      { numRuns: 150, seed: 20260425 },
    );
  });

  it('zeroes Y past each length and returns zero states for a length of 0', async () => {
    const node = buildNode({
      operator: 'LSTM',
      direction: 'bidirectional',
      layout: 0,
      steps: 3,
      batch: 3,
      inputSize: 2,
      hiddenSize: 2,
      withBias: true,
      lengths: [3, 1, 0],
      withInitialHidden: true,
      withInitialCell: true,
      withPeepholes: true,
      linearBeforeReset: 0,
      seed: 5,
    });
    const { Y, Y_h, Y_c } = await runOnnxRecurrent(backend, node);
    // Y [T=3, D=2, N=3, H=2]: sample 1 is zero at t = 1, 2; sample 2 everywhere.
    const at = (t: number, d: number, n: number, j: number) => Y.data[((t * 2 + d) * 3 + n) * 2 + j]!;
    for (let d = 0; d < 2; d++) {
      for (let j = 0; j < 2; j++) {
        expect(at(0, d, 1, j)).not.toBe(0);
        expect([at(1, d, 1, j), at(2, d, 1, j), at(0, d, 2, j), at(1, d, 2, j), at(2, d, 2, j)]).toEqual([
          0, 0, 0, 0, 0,
        ]);
        expect([Y_h.data[(d * 3 + 2) * 2 + j], Y_c!.data[(d * 3 + 2) * 2 + j]]).toEqual([0, 0]);
      }
    }
  });
});

describe('runOnnxRecurrent refuses what it does not implement', () => {
  const base = () =>
    buildNode({
      operator: 'LSTM',
      direction: 'forward',
      layout: 0,
      steps: 2,
      batch: 1,
      inputSize: 2,
      hiddenSize: 2,
      withBias: false,
      withInitialHidden: false,
      withInitialCell: false,
      withPeepholes: false,
      linearBeforeReset: 0,
      seed: 1,
    });

  it('input_forget = 1 with an UnsupportedError naming the attribute', async () => {
    const node = base();
    await expect(
      runOnnxRecurrent(backend, { ...node, attributes: { ...node.attributes, input_forget: 1 } }),
    ).rejects.toThrow(UnsupportedError);
    await expect(
      runOnnxRecurrent(backend, { ...node, attributes: { ...node.attributes, input_forget: 1 } }),
    ).rejects.toThrow(/input_forget/);
  });

  it('unknown attributes and activation names by name', async () => {
    const node = base();
    const unknown = { ...node, attributes: { ...node.attributes, linear_before_reset: 1 } };
    await expect(runOnnxRecurrent(backend, unknown)).rejects.toThrow(/attribute linear_before_reset/);
    const badActivation = {
      ...node,
      attributes: { ...node.attributes, activations: ['Sigmoid', 'Gelu', 'Tanh'] },
    };
    await expect(runOnnxRecurrent(backend, badActivation)).rejects.toThrow(/Gelu/);
  });

  it('malformed shapes, lengths and clip with typed errors', async () => {
    const node = base();
    const wrongW = {
      ...node,
      inputs: { ...node.inputs, W: { dims: [1, 8, 3], data: new Array(24).fill(0) } },
    };
    await expect(runOnnxRecurrent(backend, wrongW)).rejects.toThrow(
      /input W has dims \[1,8,3\]; expected \[1,8,2\]/,
    );
    const longLength = { ...node, inputs: { ...node.inputs, sequence_lens: { dims: [1], data: [3] } } };
    await expect(runOnnxRecurrent(backend, longLength)).rejects.toThrow(ValueError);
    const zeroClip = { ...node, attributes: { ...node.attributes, clip: 0 } };
    await expect(runOnnxRecurrent(backend, zeroClip)).rejects.toThrow(/clip/);
    const tooManyActivations = {
      ...node,
      attributes: { ...node.attributes, activations: ['Sigmoid', 'Tanh'] },
    };
    await expect(runOnnxRecurrent(backend, tooManyActivations)).rejects.toThrow(/expected 3/);
  });
});
