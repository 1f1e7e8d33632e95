/**
 * Binds a cell kernel's named inputs to device views for one time step, following the names of
 * `cells/cell-definition.ts`: `x:<gate>` / `h:<gate>` (input and recurrent projections), `bx:` /
 * `bh:` (biases), `p:` (peepholes), `state:` (the previous state), `c:` (constants). Outputs, and
 * inputs only forward or backward knows, are bound by the caller.
 */
import type {
  ChannelBinding,
  DeviceBuffer,
  MatrixView,
  PointwiseKernel,
  PointwiseLaunch,
  PointwiseOutputBinding,
} from '../backend.js';
import type { StateName } from '../cells/cell-definition.js';
import { broadcastRow, matrixView } from '../matrix-view.js';
import type { DirectionForwardArgs } from './direction-forward.js';
import type { DirectionTape } from './direction-tape.js';
import { slotsOf, stateSlot } from './state-slots.js';

/** Binds the named inputs common to a cell's kernels at time `t`. */
export class StepBinder {
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
