/**
 * Bad arguments to `backward` (results that cannot be differentiated, upstream gradients of the
 * wrong shape or value) and to `step` (inputs, states, directions that cannot stream). Also:
 * `backward` may be called twice on one result and gives the same gradients both times.
 */
import { describe, expect, it } from 'vitest';
import {
  createGru,
  DisposedError,
  DTypeError,
  type RecurrentLayer,
  type SequenceResult,
  ShapeError,
  Tensor,
  UnsupportedError,
  ValueError,
} from '../../src/index.js';
import { createReferenceBackend } from '../../src/reference/index.js';
import {
  type BadCall,
  batch,
  expectRejectedWithoutSideEffects,
  type Subject,
  sizes,
  steps,
} from './rejection.js';

const bogus = <T>(value: unknown) => value as T;
const values = (count: number, at?: number, value?: unknown) =>
  Array.from({ length: count }, (_, index) => (index === at ? value : 0.1 * index)) as number[];
const hidden = sizes.hiddenSize;
const otherBackend = createReferenceBackend();
const trained = ({ gru, x, track }: Subject) => track(gru.forward(x, { training: true }));
const stepInput = { data: values(batch * sizes.inputSize), shape: [batch, sizes.inputSize] };

const backwardCases: BadCall[] = [
  {
    name: 'result of an inference forward',
    error: ValueError,
    message: ['GRU.backward: ', 'result comes from an inference forward', 'forward(x, { training: true })'],
    arrange: ({ gru, x, track }) => track(gru.forward(x)),
    act: ({ gru }, result: SequenceResult) => gru.backward(result),
  },
  {
    name: 'result null',
    error: ValueError,
    message: ['GRU.backward: ', 'result is null', "expected a SequenceResult of this layer's forward"],
    act: ({ gru }) => gru.backward(bogus(null)),
  },
  {
    name: 'result of another layer',
    error: ValueError,
    message: ['GRU.backward: ', 'result is an object', "expected a SequenceResult of this layer's forward"],
    arrange: ({ lstm, x, track }) => track(lstm.forward(x, { training: true })),
    act: ({ gru }, result: SequenceResult) => gru.backward(result),
  },
  {
    name: 'result disposed',
    error: DisposedError,
    message: ['GRU.backward: ', 'result was disposed before backward'],
    arrange: ({ gru, x }) => {
      const result = gru.forward(x, { training: true });
      result.dispose();
      return result;
    },
    act: ({ gru }, result: SequenceResult) => gru.backward(result),
  },
  {
    name: 'output gradient of the wrong shape',
    error: ShapeError,
    message: [
      'GRU.backward: ',
      'output gradient has shape [2,4]',
      'expected [batch=2, steps=4, outputSize=2]',
    ],
    arrange: trained,
    act: ({ gru }, result: SequenceResult) =>
      gru.backward(result, { output: { data: values(8), shape: [2, 4] } }),
  },
  {
    name: 'output gradient with NaN',
    error: ValueError,
    message: ['GRU.backward: ', 'output gradient[7] is NaN', 'expected a finite number'],
    arrange: trained,
    act: ({ gru }, result: SequenceResult) =>
      gru.backward(result, { output: { data: values(16, 7, Number.NaN), shape: [batch, steps, hidden] } }),
  },
  {
    name: 'hidden gradient of the wrong shape',
    error: ShapeError,
    message: [
      'GRU.backward: ',
      'hidden gradient has shape [1,2,2]',
      'expected [layers·directions=2, batch=2, hiddenSize=2]',
    ],
    arrange: trained,
    act: ({ gru }, result: SequenceResult) =>
      gru.backward(result, { hidden: { data: values(4), shape: [1, 2, 2] } }),
  },
  {
    name: 'cell gradient on a GRU',
    error: ValueError,
    message: ['GRU.backward: ', 'cell gradient given', 'GRU has no cell state'],
    arrange: trained,
    act: ({ gru }, result: SequenceResult) =>
      gru.backward(result, { cell: { data: values(8), shape: [2, batch, hidden] } }),
  },
  {
    name: 'hidden gradient a tensor of another backend instance',
    error: DTypeError,
    message: ['GRU.backward: ', 'hidden gradient lives on another backend instance'],
    arrange: (subject) => ({
      result: trained(subject),
      foreign: Tensor.fromHost(otherBackend, { data: values(8), shape: [2, batch, hidden] }),
    }),
    act: ({ gru }, { result, foreign }: { result: SequenceResult; foreign: Tensor }) => {
      try {
        return gru.backward(result, { hidden: foreign });
      } finally {
        foreign.dispose();
      }
    },
  },
  {
    name: 'upstream null',
    error: ValueError,
    message: ['GRU.backward: ', 'upstream is null', 'expected { output?, hidden?, cell?, inputGradient? }'],
    arrange: trained,
    act: ({ gru }, result: SequenceResult) => gru.backward(result, bogus(null)),
  },
  {
    name: 'inputGradient not a boolean',
    error: ValueError,
    message: ['GRU.backward: ', "inputGradient is 'no'", 'expected true or false'],
    arrange: trained,
    act: ({ gru }, result: SequenceResult) => gru.backward(result, { inputGradient: bogus('no') }),
  },
];

const stepCases: BadCall[] = [
  {
    name: 'x a whole sequence',
    error: ShapeError,
    message: ['GRU.step: ', 'x has shape [2,4,3]', 'expected [batch, inputSize=3]'],
    act: ({ gru, x }) => gru.step(x),
  },
  {
    name: 'x with the wrong inputSize',
    error: ShapeError,
    message: ['GRU.step: ', 'x has shape [2,4]', 'expected [batch, inputSize=3]'],
    act: ({ gru }) => gru.step({ data: values(8), shape: [2, 4] }),
  },
  {
    name: 'x with NaN',
    error: ValueError,
    message: ['GRU.step: ', 'x[2] is NaN', 'expected a finite number'],
    act: ({ gru }) => gru.step({ data: values(6, 2, Number.NaN), shape: [2, 3] }),
  },
  {
    name: 'state.hidden of the wrong shape',
    error: ShapeError,
    message: [
      'GRU.step: ',
      'state.hidden has shape [1,2,2]',
      'expected [numLayers=2, batch=2, hiddenSize=2]',
    ],
    act: ({ gru }) => gru.step(stepInput, { hidden: { data: values(4), shape: [1, 2, 2] } }),
  },
  {
    name: 'state.hidden missing',
    error: DTypeError,
    message: ['GRU.step: ', 'state.hidden is undefined', 'expected a Tensor or { data, shape }'],
    act: ({ gru }) => gru.step(stepInput, bogus({})),
  },
  {
    name: 'state null',
    error: ValueError,
    message: ['GRU.step: ', 'state is null', 'expected { hidden, cell? }'],
    act: ({ gru }) => gru.step(stepInput, bogus(null)),
  },
  {
    name: 'state.cell on a GRU',
    error: ValueError,
    message: ['GRU.step: ', 'state.cell given', 'GRU has no cell state'],
    act: ({ gru }) =>
      gru.step(stepInput, {
        hidden: { data: values(8), shape: [2, batch, hidden] },
        cell: { data: values(8), shape: [2, batch, hidden] },
      }),
  },
  {
    name: 'state.cell with Infinity on an LSTM',
    error: ValueError,
    message: ['LSTM.step: ', 'state.cell[0] is Infinity', 'expected a finite number'],
    act: ({ lstm }) =>
      lstm.step(stepInput, {
        hidden: { data: values(4), shape: [1, batch, hidden] },
        cell: { data: values(4, 0, Number.POSITIVE_INFINITY), shape: [1, batch, hidden] },
      }),
  },
  {
    // The one-step view of a device input must be released on failure too: before the fix it
    // kept the caller's buffer alive after the caller disposed it.
    name: 'device x with a bad state (no leaked view)',
    error: ShapeError,
    message: ['GRU.step: ', 'state.hidden has shape [2,1,2]'],
    arrange: ({ upload }) => upload(stepInput.data, stepInput.shape),
    act: ({ gru }, x: Tensor) => gru.step(x, { hidden: { data: values(4), shape: [2, 1, 2] } }),
  },
  {
    name: 'bidirectional layer',
    error: UnsupportedError,
    message: ['GRU.step: ', 'a bidirectional layer needs the whole sequence', 'use forward'],
    arrange: ({ backend, track }) => track(createGru(backend, { ...sizes, bidirectional: true })),
    act: (_subject, layer: RecurrentLayer) => layer.step(stepInput),
  },
  {
    name: 'reverse layer',
    error: UnsupportedError,
    message: ['GRU.step: ', 'a reverse layer needs the whole sequence'],
    arrange: ({ backend, track }) => track(createGru(backend, { ...sizes, direction: 'reverse' })),
    act: (_subject, layer: RecurrentLayer) => layer.step(stepInput),
  },
];

describe('backward rejects bad arguments without side effects', () => {
  it.each(backwardCases)('$name', (badCall) => expectRejectedWithoutSideEffects(badCall));

  it('may run twice on one result and gives identical gradients', async () => {
    const backend = createReferenceBackend();
    const layer = createGru(backend, { ...sizes, numLayers: 2, seed: 3 });
    const result = layer.forward(
      { data: values(24), shape: [batch, steps, sizes.inputSize] },
      { training: true },
    );
    const upstream = { output: { data: values(16), shape: [batch, steps, hidden] } };
    const read = async () => {
      const gradients = layer.backward(result, upstream);
      const flat = [
        ...(await gradients.input!.toArray()),
        ...(await gradients.initialHidden.toArray()),
        ...(await gradients.parameters[1]![0]!.recurrentWeights!.toArray()),
      ];
      gradients.dispose();
      return flat;
    };
    const first = await read();
    expect(await read()).toEqual(first);
    result.dispose();
    layer.dispose();
    expect(backend.liveBufferCount()).toBe(0);
  });
});

describe('step rejects bad arguments without side effects', () => {
  it.each(stepCases)('$name', (badCall) => expectRejectedWithoutSideEffects(badCall));
});
