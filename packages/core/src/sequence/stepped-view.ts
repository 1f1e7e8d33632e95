/**
 * A matrix view that moves with the time step: at step `t` it starts at `base + t · stepStride`
 * (a `stepStride` of 0: the same view at every step). Every per-step window of a direction pass
 * — a projection row block, a state slot, a tape entry — has this form, so a pass resolves its
 * windows once and only computes offsets inside the time-step loop.
 */
import type { DeviceBuffer, MatrixView } from '../backend.js';

export class SteppedView {
  /** The view itself when it does not move (built once, shared by every step). */
  private readonly fixed: MatrixView | undefined;

  constructor(
    readonly buffer: DeviceBuffer,
    readonly base: number,
    readonly stepStride: number,
    readonly rows: number,
    readonly cols: number,
    readonly rowStride: number = cols,
  ) {
    this.fixed = stepStride === 0 ? { buffer, offset: base, rows, cols, rowStride } : undefined;
  }

  /** The same view at every step. */
  static of(view: MatrixView): SteppedView {
    return new SteppedView(view.buffer, view.offset, 0, view.rows, view.cols, view.rowStride);
  }

  /** Whether the view is the same at every step. */
  get isFixed(): boolean {
    return this.fixed !== undefined;
  }

  /** The view at step `time` (a new object unless the view is fixed). */
  at(time: number): MatrixView {
    return (
      this.fixed ?? {
        buffer: this.buffer,
        offset: this.base + time * this.stepStride,
        rows: this.rows,
        cols: this.cols,
        rowStride: this.rowStride,
      }
    );
  }

  /** Columns `[first, first + count)`. */
  columns(first: number, count: number): SteppedView {
    return new SteppedView(this.buffer, this.base + first, this.stepStride, this.rows, count, this.rowStride);
  }
}
