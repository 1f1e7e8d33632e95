/**
 * Between the caller's layout and the stack pass's time-major rows: host or device tensors in
 * `batch-first` `[B, T, W]` or `time-first` `[T, B, W]` become `[T·B, W]` matrix views
 * (copying only when they must), and time-major results become tensors in the layer's layout
 * without copying. Whatever is copied or uploaded is recorded in an `OwnedStorage` the caller
 * releases.
 */
import type { Backend, DeviceBuffer, MatrixView } from '../backend.js';
import { matrixView } from '../matrix-view.js';
import { copyKernel } from '../sequence/utility-kernels.js';
import { Tensor } from '../tensor.js';
import type { TensorInput } from './call-arguments.js';
import type { Layout } from './layer-options.js';

/** The backend to copy on and the layout sequences arrive and leave in. */
export interface LayoutContext {
  readonly backend: Backend;
  readonly layout: Layout;
}

/** Device storage made for one call (copies, uploads), released when the call is done with it. */
export interface OwnedStorage {
  readonly buffers: DeviceBuffer[];
  readonly tensors: Tensor[];
}

export function ownedStorage(): OwnedStorage {
  return { buffers: [], tensors: [] };
}

export function releaseOwned(backend: Backend, owned: OwnedStorage): void {
  for (const buffer of owned.buffers) {
    backend.dispose(buffer);
  }
  for (const tensor of owned.tensors) {
    tensor.dispose();
  }
}

/** A `[rows, cols]` matrix view of a dense host or device tensor. */
export function toMatrix(
  backend: Backend,
  value: TensorInput,
  rows: number,
  cols: number,
  owned: OwnedStorage,
): MatrixView {
  if (value instanceof Tensor) {
    if (value.isDense) {
      return matrixView(value.buffer, value.offset, rows, cols);
    }
    const copy = backend.allocate(rows * cols);
    owned.buffers.push(copy);
    // A strided [.., .., cols] tensor: copy row blocks through the pointwise path.
    copyStrided(backend, value, copy, rows, cols);
    return matrixView(copy, 0, rows, cols);
  }
  const tensor = Tensor.fromHost(backend, value);
  owned.tensors.push(tensor);
  return matrixView(tensor.buffer, 0, rows, cols);
}

function copyStrided(
  backend: Backend,
  source: Tensor,
  target: DeviceBuffer,
  rows: number,
  cols: number,
): void {
  const outer = source.shape.length === 3 ? source.shape[0]! : 1;
  const inner = rows / outer;
  const strides = source.shape.length === 3 ? source.strides : [0, ...source.strides];
  for (let block = 0; block < outer; block++) {
    backend.pointwise(copyKernel, {
      rows: inner,
      units: cols,
      inputs: [
        { view: matrixView(source.buffer, source.offset + block * strides[0]!, inner, cols, strides[1]!) },
      ],
      outputs: [{ view: matrixView(target, block * inner * cols, inner, cols) }],
    });
  }
}

/** Time-major `[T·B, width]` view of a sequence given in the context's layout. */
export function toTimeMajor(
  context: LayoutContext,
  value: TensorInput,
  steps: number,
  batch: number,
  width: number,
  owned: OwnedStorage,
): MatrixView {
  const { backend } = context;
  if (context.layout === 'time-first') {
    return toMatrix(backend, value, steps * batch, width, owned);
  }
  if (value instanceof Tensor) {
    // [B, T, W] → [T, B, W] on the device: one strided copy per time step.
    const copy = backend.allocate(steps * batch * width);
    owned.buffers.push(copy);
    const [batchStride, stepStride] = value.strides as [number, number, number];
    for (let step = 0; step < steps; step++) {
      backend.pointwise(copyKernel, {
        rows: batch,
        units: width,
        inputs: [
          { view: matrixView(value.buffer, value.offset + step * stepStride, batch, width, batchStride) },
        ],
        outputs: [{ view: matrixView(copy, step * batch * width, batch, width) }],
      });
    }
    return matrixView(copy, 0, steps * batch, width);
  }
  // Permuted on the host in the backend's element type, so the upload is a plain copy.
  const permuted = new (backend.info.dtype === 'float32' ? Float32Array : Float64Array)(
    steps * batch * width,
  );
  permuteToTimeMajor(value.data, permuted, steps, batch, width);
  const tensor = Tensor.fromHost(backend, { data: permuted, shape: [steps * batch, width] });
  owned.tensors.push(tensor);
  return matrixView(tensor.buffer, 0, steps * batch, width);
}

/**
 * `[B, T, W]` → `[T, B, W]`: each sample's row of `width` values moves as one run, by
 * `TypedArray.set` from a typed array (a copy the engine does natively; an element loop costs
 * several nanoseconds per value) and element by element from anything else.
 */
function permuteToTimeMajor(
  source: ArrayLike<number>,
  target: Float32Array | Float64Array,
  steps: number,
  batch: number,
  width: number,
): void {
  const typed = source instanceof Float32Array || source instanceof Float64Array ? source : undefined;
  for (let sample = 0; sample < batch; sample++) {
    let from = sample * steps * width;
    for (let step = 0; step < steps; step++) {
      const to = (step * batch + sample) * width;
      if (typed && width >= ROW_COPY_WIDTH) {
        target.set(typed.subarray(from, from + width), to);
      } else {
        for (let feature = 0; feature < width; feature++) {
          target[to + feature] = source[from + feature]!;
        }
      }
      from += width;
    }
  }
}

/** Rows at least this wide move faster by `set` (about 90 ns a call) than element by element. */
const ROW_COPY_WIDTH = 32;

/** Wraps the time-major output in a tensor with the context's layout, without copying. */
export function sequenceTensor(
  context: LayoutContext,
  view: MatrixView,
  merged: DeviceBuffer | undefined,
  steps: number,
  batch: number,
  width: number,
): Tensor {
  const { backend } = context;
  const base = merged
    ? Tensor.fromBuffer(backend, merged, [merged.length])
    : Tensor.fromBuffer(backend, view.buffer, [view.buffer.length]);
  return layoutTensor(context, base, steps, batch, width, view.rowStride, view.offset);
}

/** A `[B, T, W]`/`[T, B, W]` view of time-major rows (takes over `base`). */
export function layoutTensor(
  context: LayoutContext,
  base: Tensor,
  steps: number,
  batch: number,
  width: number,
  rowStride: number,
  offset = 0,
): Tensor {
  const shape = context.layout === 'batch-first' ? [batch, steps, width] : [steps, batch, width];
  const strides =
    context.layout === 'batch-first' ? [rowStride, batch * rowStride, 1] : [batch * rowStride, rowStride, 1];
  const view = base.view(shape, strides, offset);
  base.dispose();
  return view;
}

/** A `[B, I]` step input as a sequence of one step in `layout` (a view, for device tensors). */
export function sequenceOfOne(
  input: TensorInput,
  batch: number,
  inputSize: number,
  layout: Layout,
): TensorInput {
  const shape = layout === 'batch-first' ? [batch, 1, inputSize] : [1, batch, inputSize];
  if (input instanceof Tensor) {
    return input.view(
      shape,
      layout === 'batch-first' ? [input.strides[0]!, 0, 1] : [0, input.strides[0]!, 1],
      input.offset,
    );
  }
  return { data: input.data, shape };
}
