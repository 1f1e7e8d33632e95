/**
 * The forward pass over a stack of layers and directions, in time-major order. Inputs and
 * outputs here are device buffers already in time-major layout; the public layer
 * (`layers/recurrent-layer.ts`) validates, uploads and permutes around these functions.
 */
import type { DeviceBuffer, MatrixView } from '../backend.js';
import type { StateName } from '../cells/cell-definition.js';
import { matrixView } from '../matrix-view.js';
import { forwardDirection } from './direction-forward.js';
import { allocateTape, type DirectionTape } from './direction-tape.js';
import { directionGeometry, type StackConfig } from './stack-config.js';
import {
  inputOfNextLayer,
  type LayerRecord,
  StackForward,
  type StackForwardInput,
} from './stack-forward-result.js';
import { copy, stateBlock, stateRows } from './state-copies.js';
import { finalSlot, initialSlot, stateSlot } from './state-slots.js';
import { maskKernel, mergeKernels, scaleKernel } from './utility-kernels.js';

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
    const record = forwardLayer(config, input, layer, layerInput, scratch, finalStates);
    layers.push(record);
    layerInput = inputOfNextLayer(record, rows, width);
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

/**
 * Runs every direction of one layer into shared state slots, copies each direction's final
 * states into `finalStates`, then masks the layer output and applies dropout where asked.
 */
function forwardLayer(
  config: StackConfig,
  input: StackForwardInput,
  layer: number,
  layerInput: MatrixView,
  scratch: Readonly<Partial<Record<StateName, DeviceBuffer>>>,
  finalStates: Readonly<Partial<Record<StateName, DeviceBuffer>>>,
): LayerRecord {
  const { backend, hiddenSize, numLayers, directions } = config;
  const cell = config.cells[0]!;
  const { steps, batch } = input;
  const width = directions * hiddenSize;
  const rows = steps * batch;
  const states: Partial<Record<StateName, DeviceBuffer>> = {};
  for (const state of cell.states) {
    states[state] = backend.allocate((steps + 2) * batch * width);
  }
  const tapes: DirectionTape[] = [];
  for (let direction = 0; direction < directions; direction++) {
    const geometry = directionGeometry(config, steps, batch, layer, direction);
    for (const state of cell.states) {
      const initial = input.initialStates[state];
      if (initial) {
        copy(
          backend,
          stateRows(initial, geometry, layer),
          stateSlot(states[state]!, geometry, initialSlot(geometry)),
        );
      }
    }
    const tape = allocateTape(backend, config.cells[direction]!, geometry, input.keepTape);
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
      const target = stateBlock(finalStates[state]!, geometry, layer);
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
  return {
    states,
    tapes,
    output,
    ...(ownedOutput ? { ownedOutput } : {}),
    ...(droppedOutput ? { droppedOutput } : {}),
  };
}
