/**
 * The forward pass of one direction of one layer over a whole sequence, the way cuDNN
 * structures it (DESIGN.md §4): xproj = X·Wᵀ for all steps at once; per step the recurrent
 * product(s) and one pointwise cell step (plus an intermediate kernel and a second product for
 * reset-before GRUs), saving the recurrent projections for backward. States live in the slot
 * buffers described in `state-slots.ts`.
 */
import type { Backend, DeviceBuffer, MatrixView, PointwiseOutputBinding } from '../backend.js';
import type { CellDefinition, StateName } from '../cells/cell-definition.js';
import { columnsOf, matrixView } from '../matrix-view.js';
import { type DirectionParameters, recurrentStages } from './direction-parameters.js';
import type { DirectionTape } from './direction-tape.js';
import { type DirectionGeometry, slotsOf, stateSlot, timeOrder } from './state-slots.js';
import { StepBinder } from './step-binder.js';
import { freezeKernel } from './utility-kernels.js';

export interface DirectionForwardArgs {
  readonly backend: Backend;
  readonly cell: CellDefinition;
  readonly geometry: DirectionGeometry;
  /** `[T·B, inputSize]`, time-major. */
  readonly input: MatrixView;
  readonly parameters: DirectionParameters;
  /** `[T + 2, B, D·H]` per state (see `state-slots.ts`). */
  readonly states: Readonly<Partial<Record<StateName, DeviceBuffer>>>;
  /** `[T, B, H]` of 0/1 when some sequences are shorter than T. */
  readonly mask?: DeviceBuffer;
  /** Scratch `[B, H]` per state for the masked path. */
  readonly scratch?: Readonly<Partial<Record<StateName, DeviceBuffer>>>;
}

/** Runs the forward pass of one direction, filling the state slots and `tape`. */
export function forwardDirection(args: DirectionForwardArgs, tape: DirectionTape): void {
  const { backend, cell, geometry, parameters, mask } = args;
  const { steps, batch, inputSize, hiddenSize } = geometry;
  const gateWidth = cell.gates.length * hiddenSize;
  const binder = new StepBinder(args, tape);
  const { firstStage, secondStage } = recurrentStages(cell, parameters, hiddenSize);

  backend.gemm(
    args.input,
    matrixView(parameters.inputWeights, 0, gateWidth, inputSize),
    matrixView(tape.inputProjection, 0, steps * batch, gateWidth),
    { transposeB: true },
  );

  for (const time of timeOrder(geometry)) {
    const { before, after } = slotsOf(geometry, time);
    const projection = binder.projection(tape.recurrentProjection, time);
    const hiddenBefore = stateSlot(args.states.hidden!, geometry, before);
    const fused = backend.fusedRecurrentStep !== undefined && cell.intermediateForward === undefined;
    if (!fused) {
      backend.gemm(hiddenBefore, firstStage, columnsOf(projection, 0, cell.split * hiddenSize), {
        transposeB: true,
      });
    }
    if (cell.intermediateForward && tape.intermediate) {
      const intermediate = matrixView(tape.intermediate, time * batch * hiddenSize, batch, hiddenSize);
      binder.launch(
        cell.intermediateForward,
        time,
        () => undefined,
        () => ({ view: intermediate }),
      );
      backend.gemm(
        intermediate,
        secondStage,
        columnsOf(projection, cell.split * hiddenSize, secondStage.rows),
        {
          transposeB: true,
        },
      );
    }
    const target = (name: string): PointwiseOutputBinding => {
      const state = name.slice('new:'.length) as StateName;
      if (mask) {
        return { view: matrixView(args.scratch![state]!, 0, batch, hiddenSize) };
      }
      return { view: stateSlot(args.states[state]!, geometry, after) };
    };
    if (fused) {
      const launch = binder.bind(cell.forward, time, () => undefined, target);
      backend.fusedRecurrentStep!(
        { hidden: hiddenBefore, recurrentWeights: firstStage, projection },
        cell.forward,
        launch,
      );
    } else {
      binder.launch(cell.forward, time, () => undefined, target);
    }
    if (mask) {
      freezeFinishedSamples(args, time);
    }
  }
}

/**
 * Samples whose sequence ended keep their previous state: the cell wrote into scratch, and the
 * mask selects per element between that and the state before this step.
 */
function freezeFinishedSamples(args: DirectionForwardArgs, time: number): void {
  const { backend, cell, geometry, mask } = args;
  const { batch, hiddenSize } = geometry;
  const { before, after } = slotsOf(geometry, time);
  const maskStep = matrixView(mask!, time * batch * hiddenSize, batch, hiddenSize);
  for (const state of cell.states) {
    const buffer = args.states[state]!;
    backend.pointwise(freezeKernel, {
      rows: batch,
      units: hiddenSize,
      inputs: [
        { view: maskStep },
        { view: matrixView(args.scratch![state]!, 0, batch, hiddenSize) },
        { view: stateSlot(buffer, geometry, before) },
      ],
      outputs: [{ view: stateSlot(buffer, geometry, after) }],
    });
  }
}
