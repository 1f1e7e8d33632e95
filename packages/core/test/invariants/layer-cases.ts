/**
 * Shared fixtures for the invariant tests: every cell variant as a factory, small random
 * shapes as fast-check arbitraries, and host-side helpers to slice samples and time steps out
 * of batch-first or time-first arrays. The tests compare the layer with itself under
 * transformations (split batches, reversed time, separate directions), so these helpers work on
 * plain host arrays and never call into the sequence engine.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import {
  activation,
  type Backend,
  createGru,
  createLstm,
  createRnn,
  type Layout,
  Random,
  type RecurrentLayer,
  type RecurrentLayerOptions,
  type SequenceResult,
} from '../../src/index.js';

/** Options every test may vary; the cell-specific ones are fixed per variant below. */
export type CommonOptions = RecurrentLayerOptions;

export type CellVariant =
  | 'rnn-tanh'
  | 'rnn-relu'
  | 'gru-reset-after'
  | 'gru-reset-before'
  | 'lstm'
  | 'lstm-peepholes';

/** One factory per cell variant the issue names: rnn tanh/relu, both GRUs, LSTM with/without peepholes. */
export const cellVariants: Record<CellVariant, (backend: Backend, options: CommonOptions) => RecurrentLayer> =
  {
    'rnn-tanh': (backend, options) => createRnn(backend, options),
    'rnn-relu': (backend, options) => createRnn(backend, { ...options, activation: activation('relu') }),
    'gru-reset-after': (backend, options) => createGru(backend, { ...options, resetAfter: true }),
    'gru-reset-before': (backend, options) => createGru(backend, { ...options, resetAfter: false }),
    lstm: (backend, options) => createLstm(backend, options),
    'lstm-peepholes': (backend, options) => createLstm(backend, { ...options, peepholes: true }),
  };

export const variantNames = Object.keys(cellVariants) as CellVariant[];

/** A random small problem: sizes kept tiny so a property run stays in milliseconds. */
export interface ShapeCase {
  readonly variant: CellVariant;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly layout: Layout;
  readonly batch: number;
  readonly steps: number;
  readonly seed: number;
  readonly withInitialStates: boolean;
}

export function shapeCase(
  limits: { maxLayers?: number; minBatch?: number; minSteps?: number } = {},
): fc.Arbitrary<ShapeCase> {
  return fc.record({
    variant: fc.constantFrom(...variantNames),
    inputSize: fc.integer({ min: 1, max: 4 }),
    hiddenSize: fc.integer({ min: 1, max: 5 }),
    numLayers: fc.integer({ min: 1, max: limits.maxLayers ?? 3 }),
    layout: fc.constantFrom<Layout>('batch-first', 'time-first'),
    batch: fc.integer({ min: limits.minBatch ?? 1, max: 4 }),
    steps: fc.integer({ min: limits.minSteps ?? 1, max: 6 }),
    seed: fc.integer({ min: 0, max: 1_000_000 }),
    withInitialStates: fc.boolean(),
  });
}

/** fast-check settings: fixed seed so a failure reproduces, few runs to keep the suite fast. */
export function propertyParameters(numRuns: number, seed = 20_251_125): fc.Parameters<unknown> {
  return { numRuns, seed };
}

export function randomValues(random: Random, count: number, scale = 1): Float64Array {
  return random.uniformArray(count, -scale, scale);
}

export function newRandom(seed: number): Random {
  return new Random(seed);
}

/**
 * Host sequences are generated sample-major `[B][T][F]` and converted to the layer's layout
 * here, so a test can reason about "sample b, step t" whatever the layout.
 */
export function toLayout(
  sampleMajor: ArrayLike<number>,
  batch: number,
  steps: number,
  width: number,
  layout: Layout,
): { data: Float64Array; shape: number[] } {
  if (layout === 'batch-first') {
    return { data: Float64Array.from(sampleMajor), shape: [batch, steps, width] };
  }
  const data = new Float64Array(batch * steps * width);
  for (let sample = 0; sample < batch; sample++) {
    for (let step = 0; step < steps; step++) {
      for (let feature = 0; feature < width; feature++) {
        data[(step * batch + sample) * width + feature] =
          sampleMajor[(sample * steps + step) * width + feature]!;
      }
    }
  }
  return { data, shape: [steps, batch, width] };
}

/** The inverse of {@link toLayout}: a `[B][T][F]` copy of a sequence in `layout`. */
export function fromLayout(
  values: ArrayLike<number>,
  batch: number,
  steps: number,
  width: number,
  layout: Layout,
): Float64Array {
  if (layout === 'batch-first') {
    return Float64Array.from(values);
  }
  const result = new Float64Array(batch * steps * width);
  for (let sample = 0; sample < batch; sample++) {
    for (let step = 0; step < steps; step++) {
      for (let feature = 0; feature < width; feature++) {
        result[(sample * steps + step) * width + feature] =
          values[(step * batch + sample) * width + feature]!;
      }
    }
  }
  return result;
}

/** Steps `[from, to)` of one sample of a `[B][T][F]` array, as `[to − from][F]`. */
export function sampleSteps(
  sampleMajor: ArrayLike<number>,
  steps: number,
  width: number,
  sample: number,
  from = 0,
  to = steps,
): Float64Array {
  const start = (sample * steps + from) * width;
  return Float64Array.from(Array.prototype.slice.call(sampleMajor, start, start + (to - from) * width));
}

/** Reverses the step order of a single-sample `[T][F]` array. */
export function reverseSteps(values: ArrayLike<number>, width: number): Float64Array {
  const steps = values.length / width;
  const result = new Float64Array(values.length);
  for (let step = 0; step < steps; step++) {
    for (let feature = 0; feature < width; feature++) {
      result[(steps - 1 - step) * width + feature] = values[step * width + feature]!;
    }
  }
  return result;
}

/** Column slice `[from, from + count)` of every row of a `[rows][width]` array. */
export function columns(values: ArrayLike<number>, width: number, from: number, count: number): Float64Array {
  const rows = values.length / width;
  const result = new Float64Array(rows * count);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < count; column++) {
      result[row * count + column] = values[row * width + from + column]!;
    }
  }
  return result;
}

/** Sample `b` of a `[rows, B, H]` state array, as `[rows, 1, H]`. */
export function stateSample(
  values: ArrayLike<number>,
  batch: number,
  hidden: number,
  sample: number,
): Float64Array {
  const rows = values.length / (batch * hidden);
  const result = new Float64Array(rows * hidden);
  for (let row = 0; row < rows; row++) {
    for (let unit = 0; unit < hidden; unit++) {
      result[row * hidden + unit] = values[(row * batch + sample) * hidden + unit]!;
    }
  }
  return result;
}

export interface HostResult {
  readonly output: Float64Array;
  readonly hidden: Float64Array;
  readonly cell: Float64Array | undefined;
}

/** Downloads a result and disposes it. */
export async function readResult(result: SequenceResult): Promise<HostResult> {
  try {
    return {
      output: Float64Array.from(await result.output.toArray()),
      hidden: Float64Array.from(await result.hidden.toArray()),
      cell: result.cell ? Float64Array.from(await result.cell.toArray()) : undefined,
    };
  } finally {
    result.dispose();
  }
}

/**
 * Float64 round-off comparison: the largest element difference, relative to the larger of the
 * two arrays' magnitudes (at least 1), must stay below `tolerance`.
 */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  label: string,
  tolerance = 1e-12,
): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  let scale = 1;
  let worst = 0;
  let worstIndex = -1;
  for (let index = 0; index < expected.length; index++) {
    scale = Math.max(scale, Math.abs(actual[index]!), Math.abs(expected[index]!));
    const difference = Math.abs(actual[index]! - expected[index]!);
    if (!(difference <= worst)) {
      worst = difference;
      worstIndex = index;
    }
  }
  const message = `${label}: worst difference ${worst} at ${worstIndex} (actual ${actual[worstIndex]}, expected ${expected[worstIndex]})`;
  expect(worst / scale, message).toBeLessThanOrEqual(tolerance);
}

/** The number of states a variant carries (2 for LSTM, 1 otherwise). */
export function hasCellState(layer: RecurrentLayer): boolean {
  return layer.cell.states.includes('cell');
}

/** The layer options of a {@link ShapeCase}. */
export function layerOptions(shape: ShapeCase): CommonOptions {
  return {
    inputSize: shape.inputSize,
    hiddenSize: shape.hiddenSize,
    numLayers: shape.numLayers,
    layout: shape.layout,
    seed: shape.seed,
  };
}
