/**
 * The forward pass of one direction of one layer over a whole sequence, the way cuDNN
 * structures it (DESIGN.md §4): xproj = X·Wᵀ for all steps at once; per step the recurrent
 * product(s) and one pointwise cell step (plus an intermediate kernel and a second product for
 * reset-before GRUs), saving the recurrent projections for backward. States live in the slot
 * buffers described in `state-slots.ts`.
 */
import type { Backend, DeviceBuffer, MatrixView } from '../backend.js';
import type { CellDefinition, StateName } from '../cells/cell-definition.js';
import { matrixView } from '../matrix-view.js';
import { type DirectionParameters, recurrentStages } from './direction-parameters.js';
import type { DirectionTape } from './direction-tape.js';
import type { DirectionGeometry } from './state-slots.js';
import { StepBindings, stepRows, stepSlots } from './step-bindings.js';
import { StepLaunch } from './step-launch.js';
import { SteppedView } from './stepped-view.js';
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

/**
 * Runs the forward pass of one direction, filling the state slots and `tape`. Every binding is
 * resolved before the time-step loop (`step-bindings.ts`); the loop only moves offsets.
 */
export function forwardDirection(args: DirectionForwardArgs, tape: DirectionTape): void {
  const { backend, cell, geometry, parameters, mask } = args;
  const { steps, batch, inputSize, hiddenSize, reverse } = geometry;
  const gateWidth = cell.gates.length * hiddenSize;
  const bindings = new StepBindings(args, tape);
  const { firstStage, secondStage } = recurrentStages(cell, parameters, hiddenSize);

  backend.gemm(
    args.input,
    matrixView(parameters.inputWeights, 0, gateWidth, inputSize),
    matrixView(tape.inputProjection, 0, steps * batch, gateWidth),
    { transposeB: true },
  );

  const projection = bindings.recurrentProjection;
  const firstProjection = projection.columns(0, cell.split * hiddenSize);
  const hiddenBefore = stepSlots(args.states.hidden!, geometry).before;
  const fused = backend.fusedRecurrentStep !== undefined && cell.intermediateForward === undefined;
  const none = () => undefined;
  let intermediate: { launch: StepLaunch; view: SteppedView; projection: SteppedView } | undefined;
  if (cell.intermediateForward && tape.intermediate) {
    const view = stepRows(tape.intermediate, geometry, hiddenSize, tape.everyStep);
    intermediate = {
      launch: bindings.launch(cell.intermediateForward, none, () => ({ view, column: 0 })),
      view,
      projection: projection.columns(cell.split * hiddenSize, secondStage.rows),
    };
  }
  const cellStep = bindings.launch(cell.forward, none, (name) => {
    const state = name.slice('new:'.length) as StateName;
    const view = mask
      ? SteppedView.of(matrixView(args.scratch![state]!, 0, batch, hiddenSize))
      : stepSlots(args.states[state]!, geometry).after;
    return { view, column: 0 };
  });
  const freeze = mask ? freezeLaunches(args) : [];

  for (let index = 0; index < steps; index++) {
    const time = reverse ? steps - 1 - index : index;
    if (fused) {
      backend.fusedRecurrentStep!(
        { hidden: hiddenBefore.at(time), recurrentWeights: firstStage, projection: projection.at(time) },
        cell.forward,
        cellStep.at(time),
      );
    } else {
      backend.gemm(hiddenBefore.at(time), firstStage, firstProjection.at(time), GEMM_TRANSPOSE_B);
      if (intermediate) {
        intermediate.launch.run(time);
        backend.gemm(
          intermediate.view.at(time),
          secondStage,
          intermediate.projection.at(time),
          GEMM_TRANSPOSE_B,
        );
      }
      cellStep.run(time);
    }
    for (const launch of freeze) {
      launch.run(time);
    }
  }
}

/** `{ transposeB: true }`, one frozen object for every step (safe to share: it never changes). */
const GEMM_TRANSPOSE_B = Object.freeze({ transposeB: true });

/**
 * Samples whose sequence ended keep their previous state: the cell wrote into scratch, and the
 * mask selects per element between that and the state before this step. One launch per state.
 */
function freezeLaunches(args: DirectionForwardArgs): StepLaunch[] {
  const { backend, cell, geometry, mask } = args;
  const { batch, hiddenSize } = geometry;
  const maskStep = stepRows(mask!, geometry, hiddenSize);
  return cell.states.map((state) => {
    const slots = stepSlots(args.states[state]!, geometry);
    const scratch = SteppedView.of(matrixView(args.scratch![state]!, 0, batch, hiddenSize));
    return new StepLaunch(
      backend,
      freezeKernel,
      batch,
      hiddenSize,
      [
        { view: maskStep, column: 0 },
        { view: scratch, column: 0 },
        { view: slots.before, column: 0 },
      ],
      [{ view: slots.after, column: 0 }],
    );
  });
}
