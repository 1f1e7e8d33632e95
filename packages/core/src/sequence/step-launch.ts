/**
 * One pointwise kernel's launch for every time step of a direction pass, resolved once: each
 * input and output is a constant, a binding that is the same at every step (built once and
 * shared), or a {@link SteppedView} binding whose offset moves with the step. `at(time)` then
 * only computes offsets and builds the launch objects the step hands to the backend; no names
 * are looked up and no strings are built inside the time-step loop.
 *
 * The per-step objects are new for every step rather than mutated in place: the `Backend`
 * contract has calls enqueue-style with readonly launches, so a backend may hold on to a launch
 * after the call returns (a GPU queue), and one shared object patched per step would change it.
 */
import type {
  Backend,
  ChannelBinding,
  MatrixView,
  PointwiseKernel,
  PointwiseLaunch,
  PointwiseOutputBinding,
  WriteMode,
} from '../backend.js';
import type { SteppedView } from './stepped-view.js';

/** Where a kernel input or output lives at each step: columns from `column` of `view`. */
export interface SteppedBinding {
  readonly view: SteppedView;
  readonly column: number;
  readonly mode?: WriteMode;
}

/** A resolved launch slot: a constant or fixed binding, or the index of a moving view. */
interface Slot<Fixed> {
  readonly fixed: Fixed;
  /** Index into `moving`, or −1 when `fixed` is the binding at every step. */
  readonly view: number;
  readonly column: number;
  readonly mode: WriteMode;
}

export class StepLaunch {
  private readonly moving: SteppedView[] = [];
  private readonly inputs: Slot<number | ChannelBinding>[];
  private readonly outputs: Slot<PointwiseOutputBinding | null>[];
  /** The moving views at the current step; internal scratch, never handed to the backend. */
  private readonly views: MatrixView[] = [];

  constructor(
    private readonly backend: Backend,
    readonly kernel: PointwiseKernel,
    private readonly rows: number,
    private readonly units: number,
    inputs: readonly (number | SteppedBinding)[],
    outputs: readonly (SteppedBinding | null)[],
  ) {
    this.inputs = inputs.map((input) =>
      typeof input === 'number' ? { fixed: input, view: -1, column: 0, mode: 'set' } : this.slot(input),
    );
    this.outputs = outputs.map((output) =>
      output === null ? { fixed: null, view: -1, column: 0, mode: 'set' } : this.slot(output),
    );
  }

  private slot(binding: SteppedBinding): Slot<PointwiseOutputBinding> {
    const mode = binding.mode ?? 'set';
    const { view, column } = binding;
    if (view.isFixed) {
      return { fixed: { view: view.at(0), column, mode }, view: -1, column, mode };
    }
    let index = this.moving.indexOf(view);
    if (index < 0) {
      index = this.moving.push(view) - 1;
    }
    // `fixed` is unused for moving slots; a binding keeps the slot's shape uniform.
    return { fixed: { view: view.at(0), column, mode }, view: index, column, mode };
  }

  /** The launch at step `time`. */
  at(time: number): PointwiseLaunch {
    const views = this.views;
    for (let index = 0; index < this.moving.length; index++) {
      views[index] = this.moving[index]!.at(time);
    }
    const inputs = new Array<number | ChannelBinding>(this.inputs.length);
    for (let index = 0; index < inputs.length; index++) {
      const slot = this.inputs[index]!;
      inputs[index] = slot.view < 0 ? slot.fixed : { view: views[slot.view]!, column: slot.column };
    }
    const outputs = new Array<PointwiseOutputBinding | null>(this.outputs.length);
    for (let index = 0; index < outputs.length; index++) {
      const slot = this.outputs[index]!;
      outputs[index] =
        slot.view < 0 ? slot.fixed : { view: views[slot.view]!, column: slot.column, mode: slot.mode };
    }
    return { rows: this.rows, units: this.units, inputs, outputs };
  }

  /** Runs the kernel at step `time`. */
  run(time: number): void {
    this.backend.pointwise(this.kernel, this.at(time));
  }
}
