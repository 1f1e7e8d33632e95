import { describe, expect, it } from 'vitest';
import { activation, createGru, createLstm, createRnn, type RecurrentLayer } from '../src/index.js';
import { checkLayerGradients, createReferenceBackend } from '../src/reference/index.js';

const backend = createReferenceBackend();

interface Shape {
  direction: 'forward' | 'reverse' | 'bidirectional';
  numLayers: number;
  layout: 'batch-first' | 'time-first';
}
type Factory = (shape: Shape) => RecurrentLayer;

const sizes = { inputSize: 3, hiddenSize: 4 };
const cells: Record<string, Factory> = {
  'rnn-tanh': (shape) => createRnn(backend, { ...sizes, seed: 1, ...shape }),
  'rnn-relu': (shape) => createRnn(backend, { ...sizes, seed: 2, activation: activation('relu'), ...shape }),
  'gru-reset-after': (shape) => createGru(backend, { ...sizes, seed: 3, resetAfter: true, ...shape }),
  'gru-reset-before': (shape) => createGru(backend, { ...sizes, seed: 4, resetAfter: false, ...shape }),
  lstm: (shape) => createLstm(backend, { ...sizes, seed: 5, ...shape }),
  'lstm-peepholes': (shape) => createLstm(backend, { ...sizes, seed: 6, peepholes: true, ...shape }),
  'gru-clipped-hard-sigmoid': (shape) =>
    createGru(backend, { ...sizes, seed: 7, clip: 0.8, gateActivation: activation('hardSigmoid'), ...shape }),
};

const shapes = [
  { direction: 'forward', numLayers: 1, layout: 'batch-first', lengths: undefined, initial: false },
  { direction: 'reverse', numLayers: 1, layout: 'time-first', lengths: [2, 4, 1], initial: true },
  { direction: 'bidirectional', numLayers: 2, layout: 'time-first', lengths: [4, 2, 3], initial: true },
  { direction: 'forward', numLayers: 3, layout: 'batch-first', lengths: [1, 4, 2], initial: true },
] as const;

describe.each(Object.entries(cells))('%s gradients (float64 central differences)', (_name, factory) => {
  it.each(shapes)('$numLayers layer(s), $direction, $layout, lengths $lengths', async (shape) => {
    const layer = factory(shape);
    const liveBefore = backend.liveBufferCount();
    const errors = await checkLayerGradients(layer, {
      steps: 4,
      batch: 3,
      seed: 11,
      ...(shape.lengths ? { sequenceLengths: shape.lengths } : {}),
      withInitialStates: shape.initial,
    });
    expect(backend.liveBufferCount()).toBe(liveBefore);
    expect(errors.length).toBeGreaterThanOrEqual(4 * shape.numLayers * layer.directions + 1);
    const worst = errors.reduce((a, b) => (b.error > a.error ? b : a));
    expect(worst.error, JSON.stringify(worst)).toBeLessThan(1e-6);
    layer.dispose();
  });
});
