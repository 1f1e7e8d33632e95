/**
 * What a `RecurrentLayer` is built from: its options, checked in full (with typed errors naming
 * the cell, the option, what was expected and what was received) and resolved to defaults
 * before any parameter is allocated.
 */
import type { Backend } from '../backend.js';
import type { CellDefinition } from '../cells/cell-definition.js';
import { ValueError } from '../errors.js';
import type { MergeMode } from '../sequence/stack-config.js';
import {
  assertBackend,
  assertFiniteNumber,
  assertNonNegativeNumber,
  assertOneOf,
  assertOptionalBoolean,
  assertPositiveInteger,
  checkCellOptions,
  describe,
  isCellDefinition,
} from '../validation.js';
import type { InitializerName } from './initializers.js';

export type Layout = 'batch-first' | 'time-first';

export type DirectionMode = 'forward' | 'reverse' | 'bidirectional';

export interface RecurrentLayerOptions {
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** Stacked layers (default 1). */
  readonly numLayers?: number;
  /** Shorthand for `direction: 'bidirectional'` (default false). */
  readonly bidirectional?: boolean;
  /** `forward` (default), `reverse` (time runs backwards, as ONNX) or `bidirectional`. */
  readonly direction?: DirectionMode;
  /** How the final layer combines directions (default `concat`); inner layers always concat. */
  readonly merge?: MergeMode;
  /** `batch-first` `[B, T, F]` (default) or `time-first` `[T, B, F]`. */
  readonly layout?: Layout;
  /** Dropout probability on the outputs of every layer but the last, in training (default 0). */
  readonly dropout?: number;
  /** Seed for initialisation and dropout (default 0). */
  readonly seed?: number;
  readonly initializer?: InitializerName;
  /** LSTM only: initial forget-gate bias (default 1). */
  readonly forgetBias?: number;
}

/** The options of a layer after checking, with every default filled in. */
export interface LayerSettings {
  /** One cell per direction. */
  readonly cells: readonly CellDefinition[];
  readonly direction: DirectionMode;
  readonly directions: 1 | 2;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly merge: MergeMode;
  readonly layout: Layout;
  readonly dropout: number;
  readonly seed: number;
}

/**
 * Checks the constructor arguments of a layer and resolves its settings.
 * @param cell one cell for every direction, or one per direction (same kind and gates; only
 *   constants may differ)
 */
export function resolveLayerOptions(
  backend: Backend,
  cell: CellDefinition | readonly CellDefinition[],
  options: RecurrentLayerOptions,
): LayerSettings {
  const cells = Array.isArray(cell) ? (cell as readonly CellDefinition[]) : [cell as CellDefinition];
  if (cells.length === 0 || !cells.every(isCellDefinition)) {
    throw new ValueError(
      'RecurrentLayer',
      `cell is ${describe(cell)}; expected gruCell(), lstmCell(), rnnCell() (or one per direction)`,
    );
  }
  const first = cells[0]!;
  const where = `${first.displayName}`;
  assertBackend(where, backend);
  if (typeof options !== 'object' || options === null) {
    throw new ValueError(where, `options is ${describe(options)}; expected { inputSize, hiddenSize, … }`);
  }
  assertPositiveInteger(where, 'inputSize', options.inputSize);
  assertPositiveInteger(where, 'hiddenSize', options.hiddenSize);
  assertPositiveInteger(where, 'numLayers', options.numLayers ?? 1);
  assertOneOf(where, 'merge', options.merge ?? 'concat', ['concat', 'sum', 'mul', 'average']);
  assertOneOf(where, 'layout', options.layout ?? 'batch-first', ['batch-first', 'time-first']);
  assertOneOf(where, 'initializer', options.initializer ?? 'pytorch', ['pytorch', 'glorot']);
  assertNonNegativeNumber(where, 'dropout', options.dropout ?? 0, 1);
  assertOptionalBoolean(where, 'bidirectional', options.bidirectional);
  if (options.forgetBias !== undefined) {
    assertFiniteNumber(where, 'forgetBias', options.forgetBias);
  }
  for (const each of cells) {
    checkCellOptions(where, each);
  }
  if (options.seed !== undefined && !Number.isInteger(options.seed)) {
    throw new ValueError(where, `seed is ${describe(options.seed)}; expected an integer`);
  }
  assertOneOf(where, 'direction', options.direction ?? 'forward', ['forward', 'reverse', 'bidirectional']);
  if (options.bidirectional !== undefined && options.direction !== undefined) {
    if (options.bidirectional !== (options.direction === 'bidirectional')) {
      throw new ValueError(
        where,
        `bidirectional is ${options.bidirectional} but direction is '${options.direction}'`,
      );
    }
  }
  const direction = options.direction ?? (options.bidirectional ? 'bidirectional' : 'forward');
  const directions = direction === 'bidirectional' ? 2 : 1;
  if (cells.length !== 1 && cells.length !== directions) {
    throw new ValueError(where, `got ${cells.length} cells; expected 1 or ${directions} (one per direction)`);
  }
  if (
    cells.some(
      (other) =>
        other.kind !== first.kind ||
        other.gates.join() !== first.gates.join() ||
        other.split !== first.split ||
        other.peepholes.join() !== first.peepholes.join(),
    )
  ) {
    throw new ValueError(where, 'per-direction cells must share kind, gates and peepholes');
  }
  return {
    cells: cells.length === directions ? cells : Array.from({ length: directions }, () => first),
    direction,
    directions,
    inputSize: options.inputSize,
    hiddenSize: options.hiddenSize,
    numLayers: options.numLayers ?? 1,
    merge: options.merge ?? 'concat',
    layout: options.layout ?? 'batch-first',
    dropout: options.dropout ?? 0,
    seed: options.seed ?? 0,
  };
}
