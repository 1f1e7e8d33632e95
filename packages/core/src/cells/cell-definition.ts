import type { Activation } from '../activation.js';
import { activationKinds } from '../activation.js';
import type { PointwiseKernel } from '../backend.js';

/** Names of the recurrent states a cell carries from step to step. */
export type StateName = 'hidden' | 'cell';

/**
 * Everything a backend-agnostic sequence pass needs to know about a cell. Written once per
 * cell in `cells/`, run unchanged by every backend.
 *
 * Per time step and element `(batch row, unit)` the kernels see these named inputs:
 * - `x:<gate>`   the input projection `(W x)` for that gate (no bias),
 * - `h:<gate>`   the recurrent projection `(U v)` (no bias), where `v` is the previous hidden
 *                state for gates before {@link split} and the intermediate `s` after it,
 * - `bx:<gate>`, `bh:<gate>` the input and recurrent biases,
 * - `p:<gate>`   peephole weights (LSTM), `state:<name>` the previous states,
 * - `c:<name>`   constants from {@link constants} (activation kinds and parameters, clip),
 * - `d:<name>`   (backward) the gradient reaching the new states, `ds` that reaching `s`.
 * Backward kernels emit `dx:<gate>` (gradient of the pre-activation through `W x + bx`),
 * `dh:<gate>` (through `U v + bh`), `dstate:<name>` (accumulated into the previous states'
 * gradients) and `dp:<gate>` (accumulated per element, reduced over the batch by core).
 */
export interface CellDefinition {
  /** Family, e.g. `gru`, used in messages and weight formats. */
  readonly kind: CellKind;
  /** Human-readable class name used in error messages (`GRU`, `LSTM`, `RNN`, …). */
  readonly displayName: string;
  /** Gate names in this library's canonical order (the order of rows in the weights). */
  readonly gates: readonly string[];
  readonly states: readonly StateName[];
  /** Gates that have a peephole weight (ONNX LSTM `P`); empty for other cells. */
  readonly peepholes: readonly string[];
  /**
   * Gates `[0, split)` multiply the previous hidden state; gates `[split, G)` multiply the
   * intermediate `s` computed by {@link intermediateForward} (reset-before-product GRU: `s = r ⊙ h`).
   * `split === gates.length` when there is no intermediate.
   */
  readonly split: number;
  readonly constants: Readonly<Record<string, number>>;
  /** Emits `new:<name>` for every state. */
  readonly forward: PointwiseKernel;
  /** Emits `dx:*`, `dh:*` for the gates it owns, `dstate:*`, and `dp:*` when there are peepholes. */
  readonly backward: PointwiseKernel;
  /** Emits `s` (only when `split < gates.length`). */
  readonly intermediateForward?: PointwiseKernel;
  /** Reads `ds`; emits `dx:*`/`dh:*` for gates before the split and `dstate:hidden`. */
  readonly intermediateBackward?: PointwiseKernel;
  /** The options the cell was built from, for export and messages. */
  readonly options: Readonly<Record<string, unknown>>;
}

export type CellKind = 'rnn' | 'gru' | 'lstm' | 'gru-no-reset' | 'gru-no-update' | 'mgu';

/** Constants `c:<prefix>Kind`, `c:<prefix>Alpha`, `c:<prefix>Beta` for one activation. */
export function activationConstants(prefix: string, activation: Activation): Record<string, number> {
  return {
    [`c:${prefix}Kind`]: activationKinds[activation.name],
    [`c:${prefix}Alpha`]: activation.alpha,
    [`c:${prefix}Beta`]: activation.beta,
  };
}

/** The three constant names of an activation, in the order `gateValue` takes them. */
export function activationArgs(prefix: string): [string, string, string] {
  return [`c:${prefix}Kind`, `c:${prefix}Alpha`, `c:${prefix}Beta`];
}

/** Input names `x:g, h:g, bx:g, bh:g` for the given gates. */
export function projectionInputs(gates: readonly string[]): string[] {
  return gates.flatMap((gate) => [`x:${gate}`, `h:${gate}`, `bx:${gate}`, `bh:${gate}`]);
}

/** Number of trainable scalars of one direction of one layer. */
export function cellParameterCount(cell: CellDefinition, inputSize: number, hiddenSize: number): number {
  const gateRows = cell.gates.length * hiddenSize;
  return gateRows * inputSize + gateRows * hiddenSize + 2 * gateRows + cell.peepholes.length * hiddenSize;
}
