/**
 * The backward pass of one direction of one layer, the way cuDNN structures it (DESIGN.md §4):
 * per step (reversed) the pointwise backward and one product for dh_{t−1}; then one GEMM each
 * for dW, dU and dX over all steps, and row sums for the biases. Gradients w.r.t. the states
 * use the same slot buffers as the states themselves (`state-slots.ts`).
 */
import type { DeviceBuffer, MatrixView } from '../backend.js';
import type { CellDefinition, StateName } from '../cells/cell-definition.js';
import { columnsOf, matrixView, rowsOf } from '../matrix-view.js';
import { identity } from '../pointwise-kernel.js';
import type { DirectionForwardArgs } from './direction-forward.js';
import { type DirectionGradients, recurrentStages } from './direction-parameters.js';
import type { DirectionTape } from './direction-tape.js';
import { stateRun } from './state-slots.js';
import { StepBindings, stepRows, stepSlots } from './step-bindings.js';
import { StepLaunch, type SteppedBinding } from './step-launch.js';
import { SteppedView } from './stepped-view.js';
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
  const { steps, batch, hiddenSize, reverse } = geometry;
  const gateCount = cell.gates.length;
  const gateWidth = gateCount * hiddenSize;
  const rows = steps * batch;
  const bindings = new StepBindings(args, tape);
  const inputGradientOfProjection = backend.allocate(rows * gateWidth);
  // Where every gate's gradient through `U v + bh` is the one through `W x + bx` (vanilla RNN,
  // LSTM, the reset-before GRU), one buffer serves both: the kernels skip the `dh:*` outputs.
  const sharedProjectionGradient = recurrentGradientIsInputGradient(cell);
  const recurrentGradientOfProjection = sharedProjectionGradient
    ? inputGradientOfProjection
    : backend.allocate(rows * gateWidth);
  const peepholeCount = cell.peepholes.length;
  const peepholeAccumulator =
    peepholeCount > 0 && gradients.peepholes
      ? backend.allocate(batch * peepholeCount * hiddenSize)
      : undefined;
  const { firstStage, secondStage } = recurrentStages(cell, parameters, hiddenSize);
  const scratchView = (name: string) => SteppedView.of(matrixView(scratch[name]!, 0, batch, hiddenSize));

  // Everything the loop binds, resolved once: per-step views move with the step, the rest is fixed.
  const dInputProjection = stepRows(inputGradientOfProjection, geometry, gateWidth);
  const dRecurrentProjection = stepRows(recurrentGradientOfProjection, geometry, gateWidth);
  const slots = {} as Record<StateName, ReturnType<typeof stepSlots>>;
  for (const state of cell.states) {
    slots[state] = stepSlots(stateGradients[state]!, geometry);
  }
  const gradientOf = (state: StateName): SteppedBinding => ({
    view: mask ? scratchView(`gradient:${state}`) : slots[state].after,
    column: 0,
  });
  const output = (name: string): SteppedBinding | null => {
    const separator = name.indexOf(':');
    const prefix = separator < 0 ? name : name.slice(0, separator);
    const rest = separator < 0 ? '' : name.slice(separator + 1);
    switch (prefix) {
      case 'dx':
        return { view: dInputProjection, column: bindings.gateColumn(rest) };
      case 'dh':
        return sharedProjectionGradient
          ? null
          : { view: dRecurrentProjection, column: bindings.gateColumn(rest) };
      case 'dstate':
        return { view: slots[rest as StateName].before, column: 0, mode: 'add' };
      case 'dp': {
        const index = cell.peepholes.indexOf(rest);
        if (peepholeAccumulator === undefined || index < 0) {
          return null;
        }
        const width = peepholeCount * hiddenSize;
        return {
          view: SteppedView.of(matrixView(peepholeAccumulator, 0, batch, width)),
          column: index * hiddenSize,
          mode: 'add',
        };
      }
      default:
        throw new Error(`${cell.displayName}: backward kernel output '${name}' has no binding`);
    }
  };
  const extra = (name: string): SteppedBinding | undefined => {
    if (name.startsWith('d:')) {
      return gradientOf(name.slice(2) as StateName);
    }
    if (name === 'ds') {
      return { view: scratchView('ds'), column: 0 };
    }
    return undefined;
  };
  const freeze = mask ? freezeLaunches(args, slots, scratchView) : [];
  const cellStep = bindings.launch(cell.backward, extra, output);
  const intermediateStep = cell.intermediateBackward
    ? {
        launch: bindings.launch(cell.intermediateBackward, extra, output),
        dProjection: dRecurrentProjection.columns(cell.split * hiddenSize, secondStage.rows),
        ds: matrixView(scratch.ds!, 0, batch, hiddenSize),
      }
    : undefined;
  const firstDProjection = dRecurrentProjection.columns(0, cell.split * hiddenSize);
  const hiddenGradientBefore = slots.hidden.before;

  for (let index = steps - 1; index >= 0; index--) {
    const time = reverse ? steps - 1 - index : index;
    for (const launch of freeze) {
      launch.run(time);
    }
    cellStep.run(time);
    if (intermediateStep) {
      backend.gemm(intermediateStep.dProjection.at(time), secondStage, intermediateStep.ds);
      intermediateStep.launch.run(time);
    }
    backend.gemm(firstDProjection.at(time), firstStage, hiddenGradientBefore.at(time), GEMM_ACCUMULATE);
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
  if (!sharedProjectionGradient) backend.dispose(recurrentGradientOfProjection);
}

/** Whether every `dh:<gate>` the backward kernels emit is `identity(dx:<gate>)`. */
function recurrentGradientIsInputGradient(cell: CellDefinition): boolean {
  for (const kernel of [cell.backward, cell.intermediateBackward]) {
    for (const output of kernel?.outputs ?? []) {
      if (!output.startsWith('dh:')) continue;
      const step = kernel!.steps.find((candidate) => candidate.name === output);
      const source = `dx:${output.slice(3)}`;
      if (step?.fn !== identity || step.args.length !== 1 || step.args[0] !== source) return false;
    }
  }
  return true;
}

/**
 * Per state, the split of a step's state gradient for samples whose sequence ended: to the
 * cell (scratch `gradient:<state>`) where the step was active, straight to the previous slot
 * where it was not.
 */
function freezeLaunches(
  args: DirectionBackwardArgs,
  slots: Readonly<Record<StateName, ReturnType<typeof stepSlots>>>,
  scratchView: (name: string) => SteppedView,
): StepLaunch[] {
  const { backend, cell, geometry, mask } = args;
  const maskStep = stepRows(mask!, geometry, geometry.hiddenSize);
  return cell.states.map(
    (state) =>
      new StepLaunch(
        backend,
        freezeBackwardKernel,
        geometry.batch,
        geometry.hiddenSize,
        [
          { view: maskStep, column: 0 },
          { view: slots[state].after, column: 0 },
        ],
        [
          { view: scratchView(`gradient:${state}`), column: 0 },
          { view: slots[state].before, column: 0, mode: 'add' },
        ],
      ),
  );
}

/** `{ beta: 1 }`, one frozen object for every step (safe to share: it never changes). */
const GEMM_ACCUMULATE = Object.freeze({ beta: 1 });

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
