/**
 * Resolves a cell kernel's named inputs to per-step bindings once per direction pass, following
 * the names of `cells/cell-definition.ts`: `x:<gate>` / `h:<gate>` (input and recurrent
 * projections), `bx:` / `bh:` (biases), `p:` (peepholes), `state:` (the previous state), `c:`
 * (constants). Outputs, and inputs only forward or backward knows, are resolved by the caller.
 * The result is a {@link StepLaunch}: inside the time-step loop only offsets change.
 */
import type { DeviceBuffer, PointwiseKernel } from '../backend.js';
import type { StateName } from '../cells/cell-definition.js';
import type { DirectionForwardArgs } from './direction-forward.js';
import type { DirectionTape } from './direction-tape.js';
import type { DirectionGeometry } from './state-slots.js';
import { StepLaunch, type SteppedBinding } from './step-launch.js';
import { SteppedView } from './stepped-view.js';

/**
 * The `[B, width]` rows of a time-major `[T·B, width]` buffer at each step; with `everyStep`
 * false, the buffer holds one step's `[B, width]`, which every step reuses.
 */
export function stepRows(
  buffer: DeviceBuffer,
  geometry: DirectionGeometry,
  width: number,
  everyStep = true,
): SteppedView {
  const { batch } = geometry;
  return new SteppedView(buffer, 0, everyStep ? batch * width : 0, batch, width);
}

/**
 * This direction's `[B, H]` state slot before and after each step (see `state-slots.ts`: slot
 * `t + 1` after step t; before it slot t, or t + 2 for a reverse direction).
 */
export function stepSlots(
  buffer: DeviceBuffer,
  geometry: DirectionGeometry,
): { readonly before: SteppedView; readonly after: SteppedView } {
  const { batch, hiddenSize, directions, direction, reverse } = geometry;
  const width = directions * hiddenSize;
  const slot = batch * width;
  const column = direction * hiddenSize;
  return {
    before: new SteppedView(buffer, (reverse ? 2 : 0) * slot + column, slot, batch, hiddenSize, width),
    after: new SteppedView(buffer, slot + column, slot, batch, hiddenSize, width),
  };
}

/** Resolves the named inputs common to a direction's cell kernels. */
export class StepBindings {
  /** `[B, G·H]` input projections at each step. */
  readonly inputProjection: SteppedView;
  /** `[B, G·H]` recurrent projections at each step. */
  readonly recurrentProjection: SteppedView;
  private readonly statesBefore: Partial<Record<StateName, SteppedView>> = {};

  constructor(
    private readonly args: DirectionForwardArgs,
    tape: DirectionTape,
  ) {
    const { cell, geometry } = args;
    const gateWidth = cell.gates.length * geometry.hiddenSize;
    this.inputProjection = stepRows(tape.inputProjection, geometry, gateWidth);
    this.recurrentProjection = stepRows(tape.recurrentProjection, geometry, gateWidth, tape.everyStep);
    for (const state of cell.states) {
      const buffer = args.states[state];
      if (buffer !== undefined) {
        this.statesBefore[state] = stepSlots(buffer, geometry).before;
      }
    }
  }

  /** Column of `gate`'s block in a `[·, G·H]` projection or bias. */
  gateColumn(gate: string): number {
    const index = this.args.cell.gates.indexOf(gate);
    if (index < 0) {
      throw new Error(`${this.args.cell.displayName}: kernel names unknown gate '${gate}'`);
    }
    return index * this.args.geometry.hiddenSize;
  }

  /** A launch of `kernel` whose inputs other than the common ones come from `extra`. */
  launch(
    kernel: PointwiseKernel,
    extra: (name: string) => SteppedBinding | undefined,
    output: (name: string) => SteppedBinding | null,
  ): StepLaunch {
    const { backend, geometry } = this.args;
    return new StepLaunch(
      backend,
      kernel,
      geometry.batch,
      geometry.hiddenSize,
      kernel.inputs.map((name) => this.input(name, extra)),
      kernel.outputs.map(output),
    );
  }

  private input(name: string, extra: (name: string) => SteppedBinding | undefined): SteppedBinding | number {
    const { cell, geometry, parameters } = this.args;
    const separator = name.indexOf(':');
    const prefix = separator < 0 ? name : name.slice(0, separator);
    const rest = separator < 0 ? '' : name.slice(separator + 1);
    const rows = geometry.batch;
    const gateWidth = cell.gates.length * geometry.hiddenSize;
    switch (prefix) {
      case 'x':
        return { view: this.inputProjection, column: this.gateColumn(rest) };
      case 'h':
        return { view: this.recurrentProjection, column: this.gateColumn(rest) };
      case 'bx':
        return { view: broadcastRow(parameters.inputBias, rows, gateWidth), column: this.gateColumn(rest) };
      case 'bh':
        return {
          view: broadcastRow(parameters.recurrentBias, rows, gateWidth),
          column: this.gateColumn(rest),
        };
      case 'p': {
        const index = cell.peepholes.indexOf(rest);
        if (index < 0 || parameters.peepholes === undefined) {
          return 0;
        }
        const width = cell.peepholes.length * geometry.hiddenSize;
        return { view: broadcastRow(parameters.peepholes, rows, width), column: index * geometry.hiddenSize };
      }
      case 'state': {
        const view = this.statesBefore[rest as StateName];
        if (view === undefined) {
          throw new Error(`${cell.displayName}: no storage for state '${rest}'`);
        }
        return { view, column: 0 };
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
}

/** One row repeated at every batch row and step (biases, peepholes). */
function broadcastRow(buffer: DeviceBuffer, rows: number, cols: number): SteppedView {
  return new SteppedView(buffer, 0, 0, rows, cols, 0);
}
