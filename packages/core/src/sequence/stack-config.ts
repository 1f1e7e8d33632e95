/** What a stack of layers and directions is: the settings every stack pass reads. */
import type { Backend } from '../backend.js';
import type { CellDefinition } from '../cells/cell-definition.js';
import type { DirectionGeometry } from './state-slots.js';

export type MergeMode = 'concat' | 'sum' | 'mul' | 'average';

export interface StackConfig {
  readonly backend: Backend;
  /** One cell per direction (same structure; constants such as activations may differ). */
  readonly cells: readonly CellDefinition[];
  /** Per direction: whether it runs backwards in time (`[false]`, `[true]` or `[false, true]`). */
  readonly reversed: readonly boolean[];
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly directions: number;
  readonly merge: MergeMode;
}

export function outputWidth(config: StackConfig): number {
  return config.directions === 2 && config.merge !== 'concat'
    ? config.hiddenSize
    : config.directions * config.hiddenSize;
}

/** The geometry of one direction of one layer; layers above the first read `D·H` wide inputs. */
export function directionGeometry(
  config: StackConfig,
  steps: number,
  batch: number,
  layer: number,
  direction: number,
): DirectionGeometry {
  const { inputSize, hiddenSize, directions } = config;
  return {
    steps,
    batch,
    inputSize: layer === 0 ? inputSize : directions * hiddenSize,
    hiddenSize,
    directions,
    direction,
    reverse: config.reversed[direction]!,
  };
}
