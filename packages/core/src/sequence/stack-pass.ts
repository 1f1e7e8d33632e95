/**
 * Forward and backward over a stack of layers and directions, in time-major order.
 * Inputs and outputs here are device buffers already in time-major layout; the public layer
 * (`layers/recurrent-layer.ts`) validates, uploads and permutes around these functions.
 */
import type { Backend, DeviceBuffer, MatrixView } from '../backend.js';
import type { CellDefinition, StateName } from '../cells/cell-definition.js';
import { matrixView } from '../matrix-view.js';
import {
  allocateTape,
  backwardDirection,
  type DirectionGeometry,
  type DirectionGradients,
  type DirectionParameters,
  type DirectionTape,
  directionScratchNames,
  disposeTape,
  finalSlot,
  forwardDirection,
  initialSlot,
  stateSlot,
} from './direction-pass.js';
import { copyKernel, maskKernel, mergeKernels, scaleKernel } from './utility-kernels.js';

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

interface LayerRecord {
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
    const { inputSize, hiddenSize, directions } = this.config;
    return {
      steps: this.input.steps,
      batch: this.input.batch,
      inputSize: layer === 0 ? inputSize : directions * hiddenSize,
      hiddenSize,
      directions,
      direction,
      reverse: this.config.reversed[direction]!,
    };
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

export function outputWidth(config: StackConfig): number {
  return config.directions === 2 && config.merge !== 'concat'
    ? config.hiddenSize
    : config.directions * config.hiddenSize;
}

export function forwardStack(config: StackConfig, input: StackForwardInput): StackForward {
  const { backend, hiddenSize, numLayers, directions } = config;
  const cell = config.cells[0]!;
  const { steps, batch } = input;
  const width = directions * hiddenSize;
  const rows = steps * batch;
  const scratch: Partial<Record<StateName, DeviceBuffer>> = {};
  if (input.mask) {
    for (const state of cell.states) {
      scratch[state] = backend.allocate(batch * hiddenSize);
    }
  }
  const finalStates: Partial<Record<StateName, DeviceBuffer>> = {};
  for (const state of cell.states) {
    finalStates[state] = backend.allocate(numLayers * directions * batch * hiddenSize);
  }
  const layers: LayerRecord[] = [];
  let layerInput = input.input;
  for (let layer = 0; layer < numLayers; layer++) {
    const states: Partial<Record<StateName, DeviceBuffer>> = {};
    for (const state of cell.states) {
      states[state] = backend.allocate((steps + 2) * batch * width);
    }
    const tapes: DirectionTape[] = [];
    for (let direction = 0; direction < directions; direction++) {
      const geometry: DirectionGeometry = {
        steps,
        batch,
        inputSize: layer === 0 ? config.inputSize : width,
        hiddenSize,
        directions,
        direction,
        reverse: config.reversed[direction]!,
      };
      for (const state of cell.states) {
        const initial = input.initialStates[state];
        if (initial) {
          copy(
            backend,
            rowsBlock(initial, (layer * directions + direction) * batch, batch),
            stateSlot(states[state]!, geometry, initialSlot(geometry)),
          );
        }
      }
      const tape = allocateTape(backend, config.cells[direction]!, geometry);
      forwardDirection(
        {
          backend,
          cell: config.cells[direction]!,
          geometry,
          input: layerInput,
          parameters: input.parameters[layer]![direction]!,
          states,
          ...(input.mask ? { mask: input.mask, scratch } : {}),
        },
        tape,
      );
      tapes.push(tape);
      for (const state of cell.states) {
        const target = matrixView(
          finalStates[state]!,
          (layer * directions + direction) * batch * hiddenSize,
          batch,
          hiddenSize,
        );
        copy(backend, stateSlot(states[state]!, geometry, finalSlot(geometry)), target);
      }
    }
    let output = matrixView(states.hidden!, batch * width, rows, width);
    let ownedOutput: DeviceBuffer | undefined;
    if (input.mask) {
      ownedOutput = backend.allocate(rows * width);
      const masked = matrixView(ownedOutput, 0, rows, width);
      for (let direction = 0; direction < directions; direction++) {
        backend.pointwise(maskKernel, {
          rows,
          units: hiddenSize,
          inputs: [
            { view: matrixView(input.mask, 0, rows, hiddenSize) },
            { view: output, column: direction * hiddenSize },
          ],
          outputs: [{ view: masked, column: direction * hiddenSize }],
        });
      }
      output = masked;
    }
    let droppedOutput: DeviceBuffer | undefined;
    const factors = input.dropoutFactors?.[layer];
    if (factors && layer < numLayers - 1) {
      droppedOutput = backend.allocate(rows * width);
      backend.pointwise(scaleKernel, {
        rows,
        units: width,
        inputs: [{ view: output }, { view: matrixView(factors, 0, rows, width) }],
        outputs: [{ view: matrixView(droppedOutput, 0, rows, width) }],
      });
    }
    layers.push({
      states,
      tapes,
      output,
      ...(ownedOutput ? { ownedOutput } : {}),
      ...(droppedOutput ? { droppedOutput } : {}),
    });
    layerInput = droppedOutput ? matrixView(droppedOutput, 0, rows, width) : output;
  }
  for (const buffer of Object.values(scratch)) {
    backend.dispose(buffer);
  }
  const top = layers[numLayers - 1]!;
  let output = top.output;
  let mergedOutput: DeviceBuffer | undefined;
  if (directions === 2 && config.merge !== 'concat') {
    mergedOutput = backend.allocate(rows * hiddenSize);
    backend.pointwise(mergeKernels[config.merge], {
      rows,
      units: hiddenSize,
      inputs: [
        { view: top.output, column: 0 },
        { view: top.output, column: hiddenSize },
      ],
      outputs: [{ view: matrixView(mergedOutput, 0, rows, hiddenSize) }],
    });
    output = matrixView(mergedOutput, 0, rows, hiddenSize);
  }
  const result = new StackForward(config, input, layers, output, mergedOutput, finalStates);
  if (!input.keepTape) {
    result.disposeTape();
  }
  return result;
}

/** Releases the per-layer storage of a forward pass (state slots, masked outputs). */
export function disposeStackStorage(forward: StackForward): void {
  const { backend } = forward.config;
  forward.disposeTape();
  for (const record of forward.layers) {
    for (const buffer of Object.values(record.states)) {
      backend.dispose(buffer);
    }
    if (record.ownedOutput) {
      backend.dispose(record.ownedOutput);
    }
  }
}

export interface StackGradientInput {
  /** Gradient w.r.t. the output `[T·B, outputWidth]` time-major, already masked. */
  readonly output?: MatrixView;
  /** Gradients w.r.t. the final states `[L·D, B, H]`. */
  readonly finalStates: Readonly<Partial<Record<StateName, MatrixView>>>;
  readonly wantInputGradient: boolean;
  /** Keep each layer's hidden-state gradient buffer (`∂L/∂h_t` for every step) in the result. */
  readonly keepStateGradients?: boolean;
}

export interface StackGradients {
  readonly parameters: DirectionGradients[][];
  /** `[T·B, inputSize]` time-major. */
  readonly input?: DeviceBuffer;
  /** `[L·D, B, H]` per state. */
  readonly initialStates: Partial<Record<StateName, DeviceBuffer>>;
  /**
   * Per layer, when asked: the `[T + 2, B, D·H]` slot buffer of total gradients w.r.t. the
   * hidden states; slots 1..T hold `∂L/∂h_t` for t = 0..T−1 (both directions side by side).
   */
  readonly hiddenStateGradients?: DeviceBuffer[];
}

export function backwardStack(forward: StackForward, upstream: StackGradientInput): StackGradients {
  const { config } = forward;
  const { backend, hiddenSize, numLayers, directions } = config;
  const cell = config.cells[0]!;
  const { steps, batch } = forward.input;
  const width = directions * hiddenSize;
  const rows = steps * batch;
  if (forward.layers.some((record) => record.tapes.length !== directions)) {
    throw new Error(
      `${cell.displayName}.backward: the forward pass kept no tape (run forward with training: true)`,
    );
  }

  // Gradient buffers for every layer's state slots, seeded with the final-state gradients.
  const stateGradients = forward.layers.map(() => {
    const buffers: Partial<Record<StateName, DeviceBuffer>> = {};
    for (const state of cell.states) {
      buffers[state] = backend.allocate((steps + 2) * batch * width);
    }
    return buffers;
  });
  for (let layer = 0; layer < numLayers; layer++) {
    for (let direction = 0; direction < directions; direction++) {
      const geometry = forward.geometry(layer, direction);
      for (const state of cell.states) {
        const source = upstream.finalStates[state];
        if (source) {
          copy(
            backend,
            rowsBlock(source, (layer * directions + direction) * batch, batch),
            stateSlot(stateGradients[layer]![state]!, geometry, finalSlot(geometry)),
            'add',
          );
        }
      }
    }
  }
  if (upstream.output) {
    seedOutputGradient(forward, upstream.output, stateGradients[numLayers - 1]!.hidden!);
  }

  const scratch: Record<string, DeviceBuffer> = {};
  for (const name of directionScratchNames(cell)) {
    scratch[name] = backend.allocate(batch * hiddenSize);
  }
  const initialStates: Partial<Record<StateName, DeviceBuffer>> = {};
  for (const state of cell.states) {
    initialStates[state] = backend.allocate(numLayers * directions * batch * hiddenSize);
  }
  const parameters: DirectionGradients[][] = [];
  let inputGradient: DeviceBuffer | undefined;
  for (let layer = numLayers - 1; layer >= 0; layer--) {
    const record = forward.layers[layer]!;
    const layerInputSize = layer === 0 ? config.inputSize : width;
    let target: MatrixView | undefined;
    let dropoutTemporary: DeviceBuffer | undefined;
    if (layer > 0) {
      const below = matrixView(stateGradients[layer - 1]!.hidden!, batch * width, rows, width);
      if (forward.layers[layer - 1]!.droppedOutput) {
        dropoutTemporary = backend.allocate(rows * width);
        target = matrixView(dropoutTemporary, 0, rows, width);
      } else {
        target = below;
      }
    } else if (upstream.wantInputGradient) {
      inputGradient = backend.allocate(rows * layerInputSize);
      target = matrixView(inputGradient, 0, rows, layerInputSize);
    }
    const layerGradients: DirectionGradients[] = [];
    for (let direction = 0; direction < directions; direction++) {
      const geometry = forward.geometry(layer, direction);
      const params = forward.input.parameters[layer]![direction]!;
      const gradients: DirectionGradients = {
        inputWeights: backend.allocate(params.inputWeights.length),
        recurrentWeights: backend.allocate(params.recurrentWeights.length),
        inputBias: backend.allocate(params.inputBias.length),
        recurrentBias: backend.allocate(params.recurrentBias.length),
        ...(params.peepholes ? { peepholes: backend.allocate(params.peepholes.length) } : {}),
      };
      const layerInput = layer === 0 ? forward.input.input : layerInputView(forward, layer);
      backwardDirection(
        {
          backend,
          cell: config.cells[direction]!,
          geometry,
          input: layerInput,
          parameters: params,
          states: record.states,
          ...(forward.input.mask ? { mask: forward.input.mask } : {}),
          tape: record.tapes[direction]!,
          stateGradients: stateGradients[layer]!,
          gradients,
          ...(target ? { inputGradient: target } : {}),
        },
        scratch,
      );
      for (const state of cell.states) {
        const slot = stateSlot(stateGradients[layer]![state]!, geometry, initialSlot(geometry));
        copy(
          backend,
          slot,
          matrixView(
            initialStates[state]!,
            (layer * directions + direction) * batch * hiddenSize,
            batch,
            hiddenSize,
          ),
        );
      }
      layerGradients.push(gradients);
    }
    parameters[layer] = layerGradients;
    if (dropoutTemporary) {
      const factors = forward.input.dropoutFactors![layer - 1]!;
      backend.pointwise(scaleKernel, {
        rows,
        units: width,
        inputs: [
          { view: matrixView(dropoutTemporary, 0, rows, width) },
          { view: matrixView(factors, 0, rows, width) },
        ],
        outputs: [
          { view: matrixView(stateGradients[layer - 1]!.hidden!, batch * width, rows, width), mode: 'add' },
        ],
      });
      backend.dispose(dropoutTemporary);
    }
  }
  for (const buffer of Object.values(scratch)) {
    backend.dispose(buffer);
  }
  const kept: DeviceBuffer[] = [];
  for (const buffers of stateGradients) {
    for (const [state, buffer] of Object.entries(buffers)) {
      if (upstream.keepStateGradients && state === 'hidden') {
        kept.push(buffer);
      } else {
        backend.dispose(buffer);
      }
    }
  }
  return {
    parameters,
    ...(inputGradient ? { input: inputGradient } : {}),
    initialStates,
    ...(upstream.keepStateGradients ? { hiddenStateGradients: kept } : {}),
  };
}

function layerInputView(forward: StackForward, layer: number): MatrixView {
  const below = forward.layers[layer - 1]!;
  const { steps, batch } = forward.input;
  const width = forward.config.directions * forward.config.hiddenSize;
  return below.droppedOutput ? matrixView(below.droppedOutput, 0, steps * batch, width) : below.output;
}

/** Adds the output gradient into the top layer's hidden-state gradient slots 1..T. */
function seedOutputGradient(
  forward: StackForward,
  outputGradient: MatrixView,
  hiddenGradients: DeviceBuffer,
): void {
  const { backend, hiddenSize, directions, merge } = forward.config;
  const { steps, batch } = forward.input;
  const rows = steps * batch;
  const width = directions * hiddenSize;
  const slots = matrixView(hiddenGradients, batch * width, rows, width);
  const mask = forward.input.mask;
  const maskView = mask ? matrixView(mask, 0, rows, hiddenSize) : undefined;
  for (let direction = 0; direction < directions; direction++) {
    const targetColumn = direction * hiddenSize;
    const sourceColumn = directions === 2 && merge !== 'concat' ? 0 : targetColumn;
    const top = forward.layers[forward.layers.length - 1]!;
    if (merge === 'mul' && directions === 2) {
      // d(a·b)/da = b: the other direction's (masked) output.
      backend.pointwise(mergeKernels.mul, {
        rows,
        units: hiddenSize,
        inputs: [
          { view: outputGradient, column: 0 },
          { view: top.output, column: (1 - direction) * hiddenSize },
        ],
        outputs: [{ view: slots, column: targetColumn, mode: 'add' }],
      });
      continue;
    }
    const factor = merge === 'average' && directions === 2 ? 0.5 : 1;
    if (maskView) {
      // Outputs past a sample's length are constant zeros: their gradient is dropped.
      const temporary = backend.allocate(rows * hiddenSize);
      const temporaryView = matrixView(temporary, 0, rows, hiddenSize);
      backend.pointwise(maskKernel, {
        rows,
        units: hiddenSize,
        inputs: [{ view: maskView }, { view: outputGradient, column: sourceColumn }],
        outputs: [{ view: temporaryView }],
      });
      backend.pointwise(scaleKernel, {
        rows,
        units: hiddenSize,
        inputs: [{ view: temporaryView }, factor],
        outputs: [{ view: slots, column: targetColumn, mode: 'add' }],
      });
      backend.dispose(temporary);
    } else {
      backend.pointwise(scaleKernel, {
        rows,
        units: hiddenSize,
        inputs: [{ view: outputGradient, column: sourceColumn }, factor],
        outputs: [{ view: slots, column: targetColumn, mode: 'add' }],
      });
    }
  }
}

function rowsBlock(view: MatrixView, firstRow: number, count: number): MatrixView {
  return matrixView(view.buffer, view.offset + firstRow * view.rowStride, count, view.cols, view.rowStride);
}

function copy(backend: Backend, source: MatrixView, target: MatrixView, mode: 'set' | 'add' = 'set'): void {
  backend.pointwise(copyKernel, {
    rows: source.rows,
    units: source.cols,
    inputs: [{ view: source }],
    outputs: [{ view: target, mode }],
  });
}
