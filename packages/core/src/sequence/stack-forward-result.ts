/**
 * What a forward pass over the stack produced and keeps for backward: per layer the state slots,
 * the tapes and the layer output, plus the final output and final states. Inputs and outputs
 * are device buffers in time-major layout.
 */
import type { DeviceBuffer, MatrixView } from '../backend.js';
import type { StateName } from '../cells/cell-definition.js';
import { matrixView } from '../matrix-view.js';
import type { DirectionParameters } from './direction-parameters.js';
import { type DirectionTape, disposeTape } from './direction-tape.js';
import { directionGeometry, type StackConfig } from './stack-config.js';
import type { DirectionGeometry } from './state-slots.js';

export interface StackForwardInput {
  readonly steps: number;
  readonly batch: number;
  /** `[T·B, inputSize]` time-major. */
  readonly input: MatrixView;
  /** Initial states `[L·D, B, H]` per state name, as buffers; zeros when absent. */
  readonly initialStates: Readonly<Partial<Record<StateName, MatrixView>>>;
  /** `[T, B, H]` 0/1 mask, present when some sequences are shorter than T. */
  readonly mask?: DeviceBuffer;
  /** Per layer `l < L − 1`, a `[T·B, D·H]` dropout factor buffer (0 or 1/(1−p)). */
  readonly dropoutFactors?: readonly DeviceBuffer[];
  readonly parameters: readonly (readonly DirectionParameters[])[];
  readonly keepTape: boolean;
}

export interface LayerRecord {
  readonly states: Partial<Record<StateName, DeviceBuffer>>;
  readonly tapes: DirectionTape[];
  /** The layer's output `[T·B, D·H]` (a view of the hidden states, or a masked copy). */
  readonly output: MatrixView;
  readonly ownedOutput?: DeviceBuffer;
  /** The next layer's input after dropout, when dropout applies. */
  readonly droppedOutput?: DeviceBuffer;
}

/** Everything a forward pass produced; `dispose` releases what is still owned here. */
export class StackForward {
  constructor(
    readonly config: StackConfig,
    readonly input: StackForwardInput,
    readonly layers: readonly LayerRecord[],
    /** Final output `[T·B, outputWidth]`. */
    readonly output: MatrixView,
    readonly mergedOutput: DeviceBuffer | undefined,
    /** `[L·D, B, H]` per state. */
    readonly finalStates: Readonly<Partial<Record<StateName, DeviceBuffer>>>,
  ) {}

  geometry(layer: number, direction: number): DirectionGeometry {
    return directionGeometry(this.config, this.input.steps, this.input.batch, layer, direction);
  }

  /** The `[T·B, inputSize]` input that `layer` read: the sequence, or the layer below's output. */
  layerInput(layer: number): MatrixView {
    if (layer === 0) {
      return this.input.input;
    }
    const { steps, batch } = this.input;
    return inputOfNextLayer(
      this.layers[layer - 1]!,
      steps * batch,
      this.config.directions * this.config.hiddenSize,
    );
  }

  /** Releases the tape and intermediate storage (not `finalStates`, not `mergedOutput`). */
  disposeTape(): void {
    const { backend } = this.config;
    for (const record of this.layers) {
      for (const tape of record.tapes) {
        disposeTape(backend, tape);
      }
      record.tapes.length = 0;
      if (record.droppedOutput) {
        backend.dispose(record.droppedOutput);
      }
    }
  }
}

/** What the layer above reads of a `[rows, width]` layer output: the dropped-out copy if any. */
export function inputOfNextLayer(record: LayerRecord, rows: number, width: number): MatrixView {
  return record.droppedOutput ? matrixView(record.droppedOutput, 0, rows, width) : record.output;
}

/**
 * Releases the per-layer storage of a forward pass (state slots, masked outputs). `keep` names
 * a buffer to leave alone: inference passes hand the output's storage to the result, and the
 * output is either a view of the top layer's hidden-state slots, a masked copy, or a merge.
 */
export function disposeStackStorage(forward: StackForward, keep?: DeviceBuffer): void {
  const { backend } = forward.config;
  forward.disposeTape();
  for (const record of forward.layers) {
    for (const buffer of Object.values(record.states)) {
      if (buffer !== keep) {
        backend.dispose(buffer);
      }
    }
    if (record.ownedOutput && record.ownedOutput !== keep) {
      backend.dispose(record.ownedOutput);
    }
  }
}
