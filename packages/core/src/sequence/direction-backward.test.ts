/**
 * The backward pass shares one `[T·B, G·H]` buffer between the gate gradients through `W x + bx`
 * (`dx:*`) and through `U v + bh` (`dh:*`) where the cell defines them equal, and keeps two
 * where it does not (the reset-after GRU's candidate: `dh = dx ⊙ r`).
 */
import { describe, expect, it } from 'vitest';
import type { Backend, PointwiseKernel, PointwiseLaunch } from '../backend.js';
import { createGru, createLstm, createRnn } from '../layers/factories.js';
import { createReferenceBackend } from '../reference/index.js';

/** The reference backend, recording the output bindings of every launch of `kernelName`. */
function recordingBackend(kernelName: string): { backend: Backend; outputs: (string | null)[][] } {
  const inner = createReferenceBackend();
  const outputs: (string | null)[][] = [];
  const backend: Backend = Object.create(inner);
  backend.pointwise = (kernel: PointwiseKernel, launch: PointwiseLaunch) => {
    if (kernel.name === kernelName) {
      outputs.push(kernel.outputs.map((name, index) => (launch.outputs[index] ? name : null)));
    }
    inner.pointwise(kernel, launch);
  };
  return { backend, outputs };
}

const cases = [
  { name: 'LSTM', kernel: 'lstm/backward', create: createLstm, options: {}, shared: true },
  { name: 'RNN', kernel: 'rnn/backward', create: createRnn, options: {}, shared: true },
  {
    name: 'GRU, reset before',
    kernel: 'gru-reset-before/backward',
    create: createGru,
    options: { resetAfter: false },
    shared: true,
  },
  {
    name: 'GRU, reset after',
    kernel: 'gru-reset-after/backward',
    create: createGru,
    options: {},
    shared: false,
  },
] as const;

describe('backward projection gradients', () => {
  for (const { name, kernel, create, options, shared } of cases) {
    it(`${name}: ${shared ? 'skips the dh:* outputs' : 'binds the dh:* outputs'} of every step`, () => {
      const { backend, outputs } = recordingBackend(kernel);
      const layer = create(backend, { inputSize: 3, hiddenSize: 4, seed: 2, ...options });
      const x = { data: Float64Array.from({ length: 2 * 5 * 3 }, (_, i) => Math.sin(i)), shape: [2, 5, 3] };
      const result = layer.forward(x, { training: true });
      layer.backward(result, { inputGradient: true }).dispose();
      result.dispose();
      expect(outputs).toHaveLength(5);
      for (const bound of outputs) {
        const recurrent = bound.filter((output) => output?.startsWith('dh:'));
        const input = bound.filter((output) => output?.startsWith('dx:'));
        expect(input.length).toBeGreaterThan(0);
        expect(recurrent.length).toBe(shared ? 0 : input.length);
      }
      layer.dispose();
      expect(backend.liveBufferCount()).toBe(0);
    });
  }
});
