/**
 * Every public entry point rejects malformed input with a typed error (a `RecurrentError`
 * subclass) and leaves the layer as it was: same weights, same live buffers, same output.
 */
import {
  type Backend,
  DisposedError,
  type RecurrentError,
  type RecurrentLayer,
  ShapeError,
  ValueError,
} from '@recurrent/core';
import { forwardOptions, makeCaseData } from '../case-data.js';
import type { CellVariant } from '../cell-variants.js';
import type { CheckOutcome, ConformanceCase } from '../conformance-case.js';
import { type LayerConfiguration, layerOptions } from '../layer-configurations.js';

const configuration: LayerConfiguration = {
  name: 'forward-1-batch-first',
  direction: 'forward',
  numLayers: 1,
  layout: 'batch-first',
  inputSize: 3,
  hiddenSize: 4,
  batch: 2,
  steps: 3,
  withInitialStates: true,
};

type ErrorClass = abstract new (...args: never[]) => RecurrentError;

interface BadCall {
  readonly entry: string;
  readonly expected: ErrorClass;
  readonly call: (layer: RecurrentLayer, other: RecurrentLayer) => unknown;
}

const { batch, steps, inputSize, hiddenSize } = configuration;
const zeros = (shape: number[]) => ({ data: new Float64Array(shape.reduce((a, b) => a * b, 1)), shape });

const badCalls: readonly BadCall[] = [
  {
    entry: 'forward(x of wrong inputSize)',
    expected: ShapeError,
    call: (layer) => layer.forward(zeros([batch, steps, inputSize + 1])),
  },
  {
    entry: 'forward(x of rank 2)',
    expected: ShapeError,
    call: (layer) => layer.forward(zeros([batch, inputSize])),
  },
  {
    entry: 'forward(x data shorter than shape)',
    expected: ShapeError,
    call: (layer) => layer.forward({ data: new Float64Array(5), shape: [batch, steps, inputSize] }),
  },
  {
    entry: 'forward(x containing NaN)',
    expected: ValueError,
    call: (layer) => {
      const x = zeros([batch, steps, inputSize]);
      x.data[4] = Number.NaN;
      return layer.forward(x);
    },
  },
  {
    entry: 'forward(sequenceLengths of wrong length)',
    expected: ShapeError,
    call: (layer) => layer.forward(zeros([batch, steps, inputSize]), { sequenceLengths: [1] }),
  },
  {
    entry: 'forward(sequenceLengths containing 0)',
    expected: ValueError,
    call: (layer) => layer.forward(zeros([batch, steps, inputSize]), { sequenceLengths: [0, 2] }),
  },
  {
    entry: 'forward(initialHidden of wrong shape)',
    expected: ShapeError,
    call: (layer) =>
      layer.forward(zeros([batch, steps, inputSize]), { initialHidden: zeros([1, batch + 1, hiddenSize]) }),
  },
  {
    entry: 'backward(result of another layer)',
    expected: ValueError,
    call: (layer, other) => {
      const result = other.forward(zeros([batch, steps, inputSize]), { training: true });
      try {
        return layer.backward(result);
      } finally {
        result.dispose();
      }
    },
  },
  {
    entry: 'backward(output gradient of wrong shape)',
    expected: ShapeError,
    call: (layer) => {
      const result = layer.forward(zeros([batch, steps, inputSize]), { training: true });
      try {
        return layer.backward(result, { output: zeros([batch, steps + 1, layer.outputSize]) });
      } finally {
        result.dispose();
      }
    },
  },
  {
    entry: 'backward(disposed result)',
    expected: DisposedError,
    call: (layer) => {
      const result = layer.forward(zeros([batch, steps, inputSize]), { training: true });
      result.dispose();
      return layer.backward(result);
    },
  },
  {
    entry: 'step(x of wrong inputSize)',
    expected: ShapeError,
    call: (layer) => layer.step(zeros([batch, inputSize + 2])),
  },
  { entry: 'setWeights(no layers)', expected: ShapeError, call: (layer) => layer.setWeights({ layers: [] }) },
  {
    entry: 'setWeights(inputWeights of wrong length)',
    expected: ShapeError,
    call: (layer) => layer.setWeights({ layers: [[{ inputWeights: new Float64Array(1) }]] }),
  },
];

export function badInputCases(variants: readonly CellVariant[]): ConformanceCase[] {
  return variants.map(
    (variant): ConformanceCase => ({
      id: `bad-input/${variant.name}/entry-points`,
      group: 'bad-input',
      subject: variant.name,
      configuration: `${badCalls.length} malformed calls`,
      run: ({ backend }) => checkBadInput(variant, backend),
    }),
  );
}

async function checkBadInput(variant: CellVariant, backend: Backend): Promise<CheckOutcome> {
  const construct = () => variant.create(backend, { ...layerOptions(configuration, 61), hiddenSize: 0 });
  const layer = variant.create(backend, layerOptions(configuration, 61));
  const other = variant.create(backend, layerOptions(configuration, 62));
  try {
    const data = makeCaseData(layer, configuration, 63);
    const baseline = await outputOf(layer, data);
    const weights = await layer.getWeights();
    const live = backend.liveBufferCount();
    const calls: BadCall[] = [
      ...badCalls,
      { entry: 'constructor(hiddenSize 0)', expected: ValueError, call: () => construct() },
    ];
    for (const bad of calls) {
      let thrown: unknown;
      try {
        bad.call(layer, other);
      } catch (error) {
        thrown = error;
      }
      if (!(thrown instanceof bad.expected)) {
        return {
          kind: 'verdict',
          passed: false,
          failing: bad.entry,
          message: `${bad.entry} ${thrown === undefined ? 'was accepted' : `threw ${describeError(thrown)}`}; expected ${bad.expected.name}`,
        };
      }
      await backend.flush();
      if (backend.liveBufferCount() !== live) {
        return {
          kind: 'verdict',
          passed: false,
          failing: bad.entry,
          message: `${bad.entry} left ${backend.liveBufferCount() - live} device buffer(s) allocated`,
        };
      }
    }
    const after = await layer.getWeights();
    for (const [layerIndex, directions] of weights.layers.entries()) {
      for (const [direction, entry] of directions.entries()) {
        for (const [name, values] of Object.entries(entry)) {
          const now = after.layers[layerIndex]![direction]![name as keyof typeof entry]!;
          if (!sameValues(values!, now)) {
            return {
              kind: 'verdict',
              passed: false,
              failing: `layers[${layerIndex}][${direction}].${name}`,
              message: `a rejected call changed layers[${layerIndex}][${direction}].${name}`,
            };
          }
        }
      }
    }
    // Bit-identical only where the backend promises determinism; the weights check above is exact everywhere.
    if (backend.info.deterministic && !sameValues(baseline, await outputOf(layer, data))) {
      return {
        kind: 'verdict',
        passed: false,
        failing: 'output',
        message: 'the output changed after rejected calls',
      };
    }
    return {
      kind: 'verdict',
      passed: true,
      message: `${calls.length} malformed calls rejected with typed errors; weights, buffers and output unchanged`,
    };
  } finally {
    other.dispose();
    layer.dispose();
  }
}

async function outputOf(layer: RecurrentLayer, data: ReturnType<typeof makeCaseData>) {
  const result = layer.forward(data.input, forwardOptions(data));
  try {
    return await result.output.toArray();
  } finally {
    result.dispose();
  }
}

function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) {
    return false;
  }
  for (let index = 0; index < a.length; index++) {
    if (!Object.is(a[index], b[index])) {
      return false;
    }
  }
  return true;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name} (${error.message})` : String(error);
}
