/**
 * Backpropagation through a stack of layers and directions, top layer first, in time-major
 * order. Gradient buffers here are device buffers in time-major layout; the public layer
 * (`layers/recurrent-layer.ts`) validates, uploads and permutes around this function.
 */
import type { DeviceBuffer, MatrixView } from '../backend.js';
import type { StateName } from '../cells/cell-definition.js';
import { matrixView } from '../matrix-view.js';
import { backwardDirection, directionScratchNames } from './direction-backward.js';
import { allocateGradients, type DirectionGradients } from './direction-parameters.js';
import type { StackForward } from './stack-forward-result.js';
import { copy, stateBlock } from './state-copies.js';
import { initialSlot, stateSlot } from './state-slots.js';
import { seedFinalStateGradients, seedOutputGradient } from './upstream-gradients.js';
import { scaleKernel } from './utility-kernels.js';

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
  seedFinalStateGradients(forward, upstream.finalStates, stateGradients);
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
      const gradients = allocateGradients(backend, params);
      backwardDirection(
        {
          backend,
          cell: config.cells[direction]!,
          geometry,
          input: forward.layerInput(layer),
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
        copy(backend, slot, stateBlock(initialStates[state]!, geometry, layer));
      }
      layerGradients.push(gradients);
    }
    parameters[layer] = layerGradients;
    if (dropoutTemporary) {
      // The layer below fed this one through dropout: scale its gradient by the same factors.
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
