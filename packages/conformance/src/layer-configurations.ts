/**
 * The layer configurations every cell variant is checked in. Small on purpose (B ≤ 3, T ≤ 5,
 * H ≤ 5): the float64 reference backend is plain loops. Together they cover every direction,
 * 1–3 layers, both layouts, both merge modes that change the output width, `sequenceLengths`
 * and initial states.
 */
import type { DirectionMode, Layout, MergeMode, RecurrentLayerOptions } from '@recurrent/core';

export interface LayerConfiguration {
  /** Stable name used in check ids. */
  readonly name: string;
  readonly direction: DirectionMode;
  readonly numLayers: number;
  readonly layout: Layout;
  readonly merge?: MergeMode;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly batch: number;
  readonly steps: number;
  readonly sequenceLengths?: readonly number[];
  readonly withInitialStates: boolean;
}

const small = { inputSize: 3, hiddenSize: 4, batch: 3, steps: 4 };

export const layerConfigurations: readonly LayerConfiguration[] = [
  {
    name: 'forward-1-batch-first',
    direction: 'forward',
    numLayers: 1,
    layout: 'batch-first',
    ...small,
    withInitialStates: false,
  },
  {
    name: 'reverse-1-time-first-lengths',
    direction: 'reverse',
    numLayers: 1,
    layout: 'time-first',
    ...small,
    sequenceLengths: [2, 4, 1],
    withInitialStates: true,
  },
  {
    name: 'bidirectional-2-time-first-lengths',
    direction: 'bidirectional',
    numLayers: 2,
    layout: 'time-first',
    ...small,
    sequenceLengths: [4, 2, 3],
    withInitialStates: true,
  },
  {
    name: 'forward-3-batch-first-lengths',
    direction: 'forward',
    numLayers: 3,
    layout: 'batch-first',
    ...small,
    sequenceLengths: [1, 4, 2],
    withInitialStates: true,
  },
  {
    name: 'bidirectional-1-batch-first-sum',
    direction: 'bidirectional',
    numLayers: 1,
    layout: 'batch-first',
    merge: 'sum',
    inputSize: 2,
    hiddenSize: 5,
    batch: 2,
    steps: 5,
    withInitialStates: false,
  },
];

/** The subset the (slow) full finite-difference check runs in; the others get equivalence. */
export const gradientConfigurations: readonly LayerConfiguration[] = [
  layerConfigurations[0]!,
  layerConfigurations[2]!,
];

/** A larger shape for the seeded random-direction check (two losses per direction only). */
export const largeConfiguration: LayerConfiguration = {
  name: 'forward-2-batch-first-large',
  direction: 'forward',
  numLayers: 2,
  layout: 'batch-first',
  inputSize: 8,
  hiddenSize: 12,
  batch: 4,
  steps: 10,
  sequenceLengths: [10, 7, 3, 10],
  withInitialStates: true,
};

/** Layer options of a configuration, with a fixed seed. */
export function layerOptions(configuration: LayerConfiguration, seed: number): RecurrentLayerOptions {
  return {
    inputSize: configuration.inputSize,
    hiddenSize: configuration.hiddenSize,
    numLayers: configuration.numLayers,
    direction: configuration.direction,
    layout: configuration.layout,
    ...(configuration.merge ? { merge: configuration.merge } : {}),
    seed,
  };
}
