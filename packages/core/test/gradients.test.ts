import { describe, expect, it } from 'vitest';
import { activation, createGru, createLstm, createRnn, type RecurrentLayer } from '../src/index.js';
import { checkLayerGradients, createReferenceBackend } from '../src/reference/index.js';

const backend = createReferenceBackend();

type Factory = (options: {
  bidirectional: boolean;
  numLayers: number;
  layout: 'batch-first' | 'time-first';
}) => RecurrentLayer;

const cells: Record<string, Factory> = {
  'rnn-tanh': (o) => createRnn(backend, { inputSize: 3, hiddenSize: 4, seed: 1, ...o }),
  'rnn-relu': (o) =>
    createRnn(backend, { inputSize: 3, hiddenSize: 4, seed: 2, activation: activation('relu'), ...o }),
  'gru-reset-after': (o) =>
    createGru(backend, { inputSize: 3, hiddenSize: 4, seed: 3, resetAfter: true, ...o }),
  'gru-reset-before': (o) =>
    createGru(backend, { inputSize: 3, hiddenSize: 4, seed: 4, resetAfter: false, ...o }),
  lstm: (o) => createLstm(backend, { inputSize: 3, hiddenSize: 4, seed: 5, ...o }),
  'lstm-peepholes': (o) =>
    createLstm(backend, { inputSize: 3, hiddenSize: 4, seed: 6, peepholes: true, ...o }),
};

describe.each(Object.entries(cells))('%s gradients (float64 central differences)', (_name, factory) => {
  it.each([
    {
      bidirectional: false,
      numLayers: 1,
      layout: 'batch-first' as const,
      lengths: undefined,
      initial: false,
    },
    { bidirectional: true, numLayers: 2, layout: 'time-first' as const, lengths: [4, 2, 3], initial: true },
    { bidirectional: false, numLayers: 3, layout: 'batch-first' as const, lengths: [1, 4, 2], initial: true },
  ])('$numLayers layer(s), bidirectional $bidirectional, lengths $lengths', async (shape) => {
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
    const worst = errors.reduce((a, b) => (b.error > a.error ? b : a));
    expect(worst.error, JSON.stringify(worst)).toBeLessThan(1e-6);
    layer.dispose();
  });
});
