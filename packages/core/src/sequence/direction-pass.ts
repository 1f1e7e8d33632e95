/**
 * One direction of one layer over a whole sequence, forward and backward, the way cuDNN
 * structures it (DESIGN.md §4):
 *   forward:  xproj = X·Wᵀ for all steps at once; per step the recurrent product(s) and one
 *             pointwise cell step (plus an intermediate kernel and a second product for
 *             reset-before GRUs), saving the recurrent projections for backward;
 *   backward: per step (reversed) the pointwise backward and one product for dh_{t−1}; then one
 *             GEMM each for dW, dU and dX over all steps, and row sums for the biases.
 *
 * State storage, shared by both directions of a layer: a buffer of `T + 2` slots of
 * `[batch, directions·hidden]`. Slots 1..T hold the state after time t = slot − 1, so the
 * layer output (both directions concatenated) is a contiguous view of slots 1..T. A forward
 * direction's initial state sits in slot 0, a reverse direction's in slot T + 1.
 */
import type {
  Backend,
  ChannelBinding,
  DeviceBuffer,
  MatrixView,
  PointwiseKernel,
  PointwiseLaunch,
  PointwiseOutputBinding,
} from '../backend.js';
import type { CellDefinition, StateName } from '../cells/cell-definition.js';
import { broadcastRow, columnsOf, matrixView, rowsOf } from '../matrix-view.js';
import { freezeBackwardKernel, freezeKernel } from './utility-kernels.js';

export interface DirectionParameters {
  /** `[G·H, inputSize]` */
  readonly inputWeights: DeviceBuffer;
  /** `[G·H, H]` */
  readonly recurrentWeights: DeviceBuffer;
  /** `[G·H]` */
  readonly inputBias: DeviceBuffer;
  /** `[G·H]` */
  readonly recurrentBias: DeviceBuffer;
  /** `[P·H]` for cells with peepholes. */
  readonly peepholes?: DeviceBuffer;
}

export interface DirectionGradients {
  readonly inputWeights: DeviceBuffer;
  readonly recurrentWeights: DeviceBuffer;
  readonly inputBias: DeviceBuffer;
  readonly recurrentBias: DeviceBuffer;
  readonly peepholes?: DeviceBuffer;
}

export interface DirectionGeometry {
  readonly steps: number;
  readonly batch: number;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly directions: number;
  /** Column block of this direction in the shared state buffer (0 or 1). */
  readonly direction: number;
  /** Processes time steps from last to first. */
  readonly reverse: boolean;
}

/** Values saved by the forward pass for backward; owned by the caller's tape. */
export interface DirectionTape {
  readonly inputProjection: DeviceBuffer;
  readonly recurrentProjection: DeviceBuffer;
  readonly intermediate?: DeviceBuffer;
}

export interface DirectionForwardArgs {
  readonly backend: Backend;
  readonly cell: CellDefinition;
  readonly geometry: DirectionGeometry;
  /** `[T·B, inputSize]`, time-major. */
  readonly input: MatrixView;
  readonly parameters: DirectionParameters;
  /** `[T + 2, B, D·H]` per state (see the file header). */
  readonly states: Readonly<Partial<Record<StateName, DeviceBuffer>>>;
  /** `[T, B, H]` of 0/1 when some sequences are shorter than T. */
  readonly mask?: DeviceBuffer;
  /** Scratch `[B, H]` per state for the masked path. */
  readonly scratch?: Readonly<Partial<Record<StateName, DeviceBuffer>>>;
}

export interface DirectionBackwardArgs extends DirectionForwardArgs {
  readonly tape: DirectionTape;
  /** Gradients w.r.t. the state slots, same layout as `states`; accumulated in place. */
  readonly stateGradients: Readonly<Partial<Record<StateName, DeviceBuffer>>>;
  /** Accumulated into (beta = 1); zero them once per pass. */
  readonly gradients: DirectionGradients;
  /** `[T·B, inputSize]`; accumulated into. Omit when the input gradient is not needed. */
  readonly inputGradient?: MatrixView;
}

/** Which slot holds the state before and after processing time `t`. */
export function slotsOf(geometry: DirectionGeometry, time: number): { before: number; after: number } {
  const reverse = geometry.reverse;
  return { before: reverse ? time + 2 : time, after: time + 1 };
}

/** The slot of this direction's initial state. */
export function initialSlot(geometry: DirectionGeometry): number {
  return geometry.reverse ? geometry.steps + 1 : 0;
}

/** The slot of this direction's final state (its last processed time step). */
export function finalSlot(geometry: DirectionGeometry): number {
  return geometry.reverse ? 1 : geometry.steps;
}

/** `[B, H]` view of one state slot for this direction. */
export function stateSlot(buffer: DeviceBuffer, geometry: DirectionGeometry, slot: number): MatrixView {
  const { batch, hiddenSize, directions, direction } = geometry;
  const width = directions * hiddenSize;
  return matrixView(buffer, slot * batch * width + direction * hiddenSize, batch, hiddenSize, width);
}

/** `[T·B, H]` view of slots `first .. first + T − 1` for this direction. */
function stateRun(buffer: DeviceBuffer, geometry: DirectionGeometry, first: number): MatrixView {
  const { steps, batch, hiddenSize, directions, direction } = geometry;
  const width = directions * hiddenSize;
  return matrixView(buffer, first * batch * width + direction * hiddenSize, steps * batch, hiddenSize, width);
}

function timeOrder(geometry: DirectionGeometry): number[] {
  const order = Array.from({ length: geometry.steps }, (_, index) => index);
  return geometry.reverse ? order.reverse() : order;
}

/** Allocates the tape buffers a forward pass of this direction fills. */
export function allocateTape(
  backend: Backend,
  cell: CellDefinition,
  geometry: DirectionGeometry,
): DirectionTape {
  const rows = geometry.steps * geometry.batch;
  const gateWidth = cell.gates.length * geometry.hiddenSize;
  return {
    inputProjection: backend.allocate(rows * gateWidth),
    recurrentProjection: backend.allocate(rows * gateWidth),
    ...(cell.split < cell.gates.length ? { intermediate: backend.allocate(rows * geometry.hiddenSize) } : {}),
  };
}

export function disposeTape(backend: Backend, tape: DirectionTape): void {
  backend.dispose(tape.inputProjection);
  backend.dispose(tape.recurrentProjection);
  if (tape.intermediate) {
    backend.dispose(tape.intermediate);
  }
}

/** Binds the named inputs common to a cell's kernels at time `t`. */
class StepBinder {
  constructor(
    private readonly args: DirectionForwardArgs,
    private readonly tape: DirectionTape,
  ) {}

  private gateColumn(name: string): number {
    const index = this.args.cell.gates.indexOf(name);
    if (index < 0) {
      throw new Error(`${this.args.cell.displayName}: kernel names unknown gate '${name}'`);
    }
    return index * this.args.geometry.hiddenSize;
  }

  private stepRows(buffer: DeviceBuffer, time: number, width: number): MatrixView {
    const { batch } = this.args.geometry;
    return matrixView(buffer, time * batch * width, batch, width);
  }

  projection(buffer: DeviceBuffer, time: number): MatrixView {
    return this.stepRows(buffer, time, this.args.cell.gates.length * this.args.geometry.hiddenSize);
  }

  input(
    name: string,
    time: number,
    extra: (name: string) => ChannelBinding | undefined,
  ): ChannelBinding | number {
    const { cell, geometry, parameters } = this.args;
    const [prefix, rest = ''] = name.split(':') as [string, string | undefined];
    const rows = geometry.batch;
    const gateWidth = cell.gates.length * geometry.hiddenSize;
    switch (prefix) {
      case 'x':
        return { view: this.projection(this.tape.inputProjection, time), column: this.gateColumn(rest) };
      case 'h':
        return { view: this.projection(this.tape.recurrentProjection, time), column: this.gateColumn(rest) };
      case 'bx':
        return {
          view: broadcastRow(parameters.inputBias, 0, rows, gateWidth),
          column: this.gateColumn(rest),
        };
      case 'bh':
        return {
          view: broadcastRow(parameters.recurrentBias, 0, rows, gateWidth),
          column: this.gateColumn(rest),
        };
      case 'p': {
        const index = cell.peepholes.indexOf(rest);
        if (index < 0 || parameters.peepholes === undefined) {
          return 0;
        }
        const width = cell.peepholes.length * geometry.hiddenSize;
        return {
          view: broadcastRow(parameters.peepholes, 0, rows, width),
          column: index * geometry.hiddenSize,
        };
      }
      case 'state': {
        const buffer = this.args.states[rest as StateName];
        if (buffer === undefined) {
          throw new Error(`${cell.displayName}: no storage for state '${rest}'`);
        }
        return { view: stateSlot(buffer, geometry, slotsOf(geometry, time).before) };
      }
      case 'c': {
        const value = cell.constants[name];
        if (value === undefined) {
          throw new Error(`${cell.displayName}: kernel reads unknown constant '${name}'`);
        }
        return value;
      }
      default: {
        const binding = extra(name);
        if (binding === undefined) {
          throw new Error(`${cell.displayName}: kernel input '${name}' has no binding`);
        }
        return binding;
      }
    }
  }

  bind(
    kernel: PointwiseKernel,
    time: number,
    extraInput: (name: string) => ChannelBinding | undefined,
    output: (name: string) => PointwiseOutputBinding | null,
  ): PointwiseLaunch {
    const { geometry } = this.args;
    return {
      rows: geometry.batch,
      units: geometry.hiddenSize,
      inputs: kernel.inputs.map((name) => this.input(name, time, extraInput)),
      outputs: kernel.outputs.map(output),
    };
  }

  launch(
    kernel: PointwiseKernel,
    time: number,
    extraInput: (name: string) => ChannelBinding | undefined,
    output: (name: string) => PointwiseOutputBinding | null,
  ): void {
    this.args.backend.pointwise(kernel, this.bind(kernel, time, extraInput, output));
  }
}

/** Runs the forward pass of one direction, filling the state slots and `tape`. */
export function forwardDirection(args: DirectionForwardArgs, tape: DirectionTape): void {
  const { backend, cell, geometry, parameters, mask } = args;
  const { steps, batch, inputSize, hiddenSize } = geometry;
  const gateCount = cell.gates.length;
  const gateWidth = gateCount * hiddenSize;
  const binder = new StepBinder(args, tape);
  const recurrentWeights = matrixView(parameters.recurrentWeights, 0, gateWidth, hiddenSize);
  const firstStage = rowsOf(recurrentWeights, 0, cell.split * hiddenSize);
  const secondStage = rowsOf(
    recurrentWeights,
    cell.split * hiddenSize,
    (gateCount - cell.split) * hiddenSize,
  );

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
      const maskStep = matrixView(mask, time * batch * hiddenSize, batch, hiddenSize);
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
  }
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
  const { steps, batch, inputSize, hiddenSize } = geometry;
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
  const recurrentWeights = matrixView(parameters.recurrentWeights, 0, gateWidth, hiddenSize);
  const firstStage = rowsOf(recurrentWeights, 0, cell.split * hiddenSize);
  const secondStage = rowsOf(
    recurrentWeights,
    cell.split * hiddenSize,
    (gateCount - cell.split) * hiddenSize,
  );
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

  // Weight gradients over all steps at once.
  const dInputAll = matrixView(inputGradientOfProjection, 0, rows, gateWidth);
  const dRecurrentAll = matrixView(recurrentGradientOfProjection, 0, rows, gateWidth);
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
      columnsOf(dRecurrentAll, cell.split * hiddenSize, secondStage.rows),
      matrixView(tape.intermediate, 0, rows, hiddenSize),
      rowsOf(dRecurrentWeights, cell.split * hiddenSize, secondStage.rows),
      { transposeA: true, beta: 1 },
    );
  }
  backend.sumRows(dInputAll, matrixView(gradients.inputBias, 0, 1, gateWidth), 1);
  backend.sumRows(dRecurrentAll, matrixView(gradients.recurrentBias, 0, 1, gateWidth), 1);
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
      matrixView(parameters.inputWeights, 0, gateWidth, inputSize),
      args.inputGradient,
      {
        beta: 1,
      },
    );
  }
  backend.dispose(inputGradientOfProjection);
  backend.dispose(recurrentGradientOfProjection);
}

/** Names of the `[B, H]` scratch buffers `backwardDirection` needs for this cell. */
export function directionScratchNames(cell: CellDefinition): string[] {
  return [...cell.states.map((state) => `gradient:${state}`), 'ds'];
}
