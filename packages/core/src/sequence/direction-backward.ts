/**
 * The backward pass of one direction of one layer, the way cuDNN structures it (DESIGN.md §4):
 * per step (reversed) the pointwise backward and one product for dh_{t−1}; then one GEMM each
 * for dW, dU and dX over all steps, and row sums for the biases. Gradients w.r.t. the states
 * use the same slot buffers as the states themselves (`state-slots.ts`).
 */
import type { ChannelBinding, DeviceBuffer, MatrixView, PointwiseOutputBinding } from '../backend.js';
import type { CellDefinition, StateName } from '../cells/cell-definition.js';
import { columnsOf, matrixView, rowsOf } from '../matrix-view.js';
import type { DirectionForwardArgs } from './direction-forward.js';
import { type DirectionGradients, recurrentStages } from './direction-parameters.js';
import type { DirectionTape } from './direction-tape.js';
import { slotsOf, stateRun, stateSlot, timeOrder } from './state-slots.js';
import { StepBinder } from './step-binder.js';
import { freezeBackwardKernel } from './utility-kernels.js';

export interface DirectionBackwardArgs extends DirectionForwardArgs {
  readonly tape: DirectionTape;
  /** Gradients w.r.t. the state slots, same layout as `states`; accumulated in place. */
  readonly stateGradients: Readonly<Partial<Record<StateName, DeviceBuffer>>>;
  /** Accumulated into (beta = 1); zero them once per pass. */
  readonly gradients: DirectionGradients;
  /** `[T·B, inputSize]`; accumulated into. Omit when the input gradient is not needed. */
  readonly inputGradient?: MatrixView;
}

/**
 * Backpropagates through one direction. Expects `stateGradients` to already hold the gradient
 * w.r.t. every output slot (upstream output gradients and final-state gradients); accumulates
 * into the earlier slots as it goes, so the initial slot ends with the initial-state gradient.
 * `scratch` must hold `[B, H]` buffers for every state plus `gradient:<state>` and `ds` entries
 * (see `directionScratchNames`).
 */
export function backwardDirection(
  args: DirectionBackwardArgs,
  scratch: Readonly<Record<string, DeviceBuffer>>,
): void {
  const { backend, cell, geometry, parameters, tape, gradients, mask, stateGradients } = args;
  const { steps, batch, hiddenSize } = geometry;
  const gateCount = cell.gates.length;
  const gateWidth = gateCount * hiddenSize;
  const rows = steps * batch;
  const binder = new StepBinder(args, tape);
  const inputGradientOfProjection = backend.allocate(rows * gateWidth);
  const recurrentGradientOfProjection = backend.allocate(rows * gateWidth);
  const peepholeCount = cell.peepholes.length;
  const peepholeAccumulator =
    peepholeCount > 0 && gradients.peepholes
      ? backend.allocate(batch * peepholeCount * hiddenSize)
      : undefined;
  const { firstStage, secondStage } = recurrentStages(cell, parameters, hiddenSize);
  const scratchView = (name: string) => matrixView(scratch[name]!, 0, batch, hiddenSize);

  for (const time of timeOrder(geometry).reverse()) {
    const { before, after } = slotsOf(geometry, time);
    const gradientOf = (state: StateName): ChannelBinding => {
      if (mask) {
        return { view: scratchView(`gradient:${state}`) };
      }
      return { view: stateSlot(stateGradients[state]!, geometry, after) };
    };
    if (mask) {
      const maskStep = matrixView(mask, time * batch * hiddenSize, batch, hiddenSize);
      for (const state of cell.states) {
        const buffer = stateGradients[state]!;
        backend.pointwise(freezeBackwardKernel, {
          rows: batch,
          units: hiddenSize,
          inputs: [{ view: maskStep }, { view: stateSlot(buffer, geometry, after) }],
          outputs: [
            { view: scratchView(`gradient:${state}`) },
            { view: stateSlot(buffer, geometry, before), mode: 'add' },
          ],
        });
      }
    }
    const dInputProjection = binder.projection(inputGradientOfProjection, time);
    const dRecurrentProjection = binder.projection(recurrentGradientOfProjection, time);
    const gateColumn = (gate: string) => cell.gates.indexOf(gate) * hiddenSize;
    const output = (name: string): PointwiseOutputBinding | null => {
      const [prefix, rest = ''] = name.split(':') as [string, string | undefined];
      switch (prefix) {
        case 'dx':
          return { view: dInputProjection, column: gateColumn(rest) };
        case 'dh':
          return { view: dRecurrentProjection, column: gateColumn(rest) };
        case 'dstate':
          return { view: stateSlot(stateGradients[rest as StateName]!, geometry, before), mode: 'add' };
        case 'dp': {
          const index = cell.peepholes.indexOf(rest);
          if (peepholeAccumulator === undefined || index < 0) {
            return null;
          }
          const width = peepholeCount * hiddenSize;
          return {
            view: matrixView(peepholeAccumulator, 0, batch, width),
            column: index * hiddenSize,
            mode: 'add',
          };
        }
        default:
          throw new Error(`${cell.displayName}: backward kernel output '${name}' has no binding`);
      }
    };
    const extra = (name: string): ChannelBinding | undefined => {
      if (name.startsWith('d:')) {
        return gradientOf(name.slice(2) as StateName);
      }
      if (name === 'ds') {
        return { view: scratchView('ds') };
      }
      return undefined;
    };
    binder.launch(cell.backward, time, extra, output);
    if (cell.intermediateBackward) {
      backend.gemm(
        columnsOf(dRecurrentProjection, cell.split * hiddenSize, secondStage.rows),
        secondStage,
        scratchView('ds'),
      );
      binder.launch(cell.intermediateBackward, time, extra, output);
    }
    backend.gemm(
      columnsOf(dRecurrentProjection, 0, cell.split * hiddenSize),
      firstStage,
      stateSlot(stateGradients.hidden!, geometry, before),
      { beta: 1 },
    );
  }

  const dInputAll = matrixView(inputGradientOfProjection, 0, rows, gateWidth);
  accumulateWeightGradients(args, dInputAll, matrixView(recurrentGradientOfProjection, 0, rows, gateWidth));
  if (peepholeAccumulator && gradients.peepholes) {
    const width = peepholeCount * hiddenSize;
    backend.sumRows(
      matrixView(peepholeAccumulator, 0, batch, width),
      matrixView(gradients.peepholes, 0, 1, width),
      1,
    );
    backend.dispose(peepholeAccumulator);
  }
  if (args.inputGradient) {
    backend.gemm(
      dInputAll,
      matrixView(parameters.inputWeights, 0, gateWidth, geometry.inputSize),
      args.inputGradient,
      {
        beta: 1,
      },
    );
  }
  backend.dispose(inputGradientOfProjection);
  backend.dispose(recurrentGradientOfProjection);
}

/**
 * Weight and bias gradients over all steps at once, from the per-step gradients of the input
 * projection (`dInputAll`) and of the recurrent projection (`dRecurrentAll`), both `[T·B, G·H]`.
 */
function accumulateWeightGradients(
  args: DirectionBackwardArgs,
  dInputAll: MatrixView,
  dRecurrentAll: MatrixView,
): void {
  const { backend, cell, geometry, tape, gradients } = args;
  const { steps, batch, inputSize, hiddenSize } = geometry;
  const gateWidth = cell.gates.length * hiddenSize;
  const rows = steps * batch;
  const secondStageRows = (cell.gates.length - cell.split) * hiddenSize;
  backend.gemm(dInputAll, args.input, matrixView(gradients.inputWeights, 0, gateWidth, inputSize), {
    transposeA: true,
    beta: 1,
  });
  const previousStates = stateRun(args.states.hidden!, geometry, geometry.reverse ? 2 : 0);
  const dRecurrentWeights = matrixView(gradients.recurrentWeights, 0, gateWidth, hiddenSize);
  backend.gemm(
    columnsOf(dRecurrentAll, 0, cell.split * hiddenSize),
    previousStates,
    rowsOf(dRecurrentWeights, 0, cell.split * hiddenSize),
    { transposeA: true, beta: 1 },
  );
  if (tape.intermediate) {
    backend.gemm(
      columnsOf(dRecurrentAll, cell.split * hiddenSize, secondStageRows),
      matrixView(tape.intermediate, 0, rows, hiddenSize),
      rowsOf(dRecurrentWeights, cell.split * hiddenSize, secondStageRows),
      { transposeA: true, beta: 1 },
    );
  }
  backend.sumRows(dInputAll, matrixView(gradients.inputBias, 0, 1, gateWidth), 1);
  backend.sumRows(dRecurrentAll, matrixView(gradients.recurrentBias, 0, 1, gateWidth), 1);
}

/** Names of the `[B, H]` scratch buffers `backwardDirection` needs for this cell. */
export function directionScratchNames(cell: CellDefinition): string[] {
  return [...cell.states.map((state) => `gradient:${state}`), 'ds'];
}
