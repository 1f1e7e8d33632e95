/**
 * Seeding a backward pass: the upstream gradients (w.r.t. the final states and the output) are
 * added into the state-gradient slots the direction passes then backpropagate from.
 */
import type { DeviceBuffer, MatrixView } from '../backend.js';
import type { StateName } from '../cells/cell-definition.js';
import { matrixView } from '../matrix-view.js';
import type { StackForward } from './stack-forward-result.js';
import { copy, stateRows } from './state-copies.js';
import { finalSlot, stateSlot } from './state-slots.js';
import { maskKernel, mergeKernels, scaleKernel } from './utility-kernels.js';

/** Adds each `[L·D, B, H]` final-state gradient into its direction's final slot, per layer. */
export function seedFinalStateGradients(
  forward: StackForward,
  finalStates: Readonly<Partial<Record<StateName, MatrixView>>>,
  stateGradients: readonly Partial<Record<StateName, DeviceBuffer>>[],
): void {
  const { backend, numLayers, directions } = forward.config;
  const cell = forward.config.cells[0]!;
  for (let layer = 0; layer < numLayers; layer++) {
    for (let direction = 0; direction < directions; direction++) {
      const geometry = forward.geometry(layer, direction);
      for (const state of cell.states) {
        const source = finalStates[state];
        if (source) {
          copy(
            backend,
            stateRows(source, geometry, layer),
            stateSlot(stateGradients[layer]![state]!, geometry, finalSlot(geometry)),
            'add',
          );
        }
      }
    }
  }
}

/** Adds the output gradient into the top layer's hidden-state gradient slots 1..T. */
export function seedOutputGradient(
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
