/**
 * Truncated backpropagation through time: a `[B, T, I]` (or `[T, B, I]`) batch is cut into
 * chunks of `chunkLength` steps. Each chunk runs `forward(…, { training: true })` from the final
 * states of the previous chunk, its loss and upstream gradients come from a callback, and
 * `backward` runs over that chunk only; the carried states are detached copies, so no gradient
 * flows into earlier chunks. With `chunkLength ≥ T` this is exactly full BPTT.
 *
 * What happens to each chunk's gradients is the caller's choice:
 *  - `onGradients` given: it is called once per chunk (clip, `optimizer.step`, …) and the
 *    gradients are disposed after it returns — parameters change between chunks ("apply");
 *  - otherwise the parameter gradients of all chunks are summed on the device and returned
 *    ("accumulate"); `initialHidden`/`initialCell` of the result are those of the first chunk.
 * Input gradients are not computed.
 */
import type { StateName } from '../cells/cell-definition.js';
import { UnsupportedError, ValueError } from '../errors.js';
import type { TensorInput } from '../layers/call-arguments.js';
import { parameterNames } from '../layers/parameters.js';
import type { RecurrentLayer } from '../layers/recurrent-layer.js';
import type { LayerGradients, SequenceResult } from '../layers/sequence-result.js';
import { matrixView } from '../matrix-view.js';
import { copyKernel } from '../sequence/utility-kernels.js';
import { Tensor } from '../tensor.js';
import { assertPositiveInteger, describe } from '../validation.js';
import { borrowTensor, shapeOf } from './tensor-argument.js';

/** Where a chunk sits in the full sequence. */
export interface Chunk {
  /** 0, 1, … */
  readonly index: number;
  /** First time step of the chunk in the full sequence. */
  readonly start: number;
  /** Number of time steps in the chunk (the last chunk may be shorter). */
  readonly steps: number;
}

/**
 * A chunk's loss: its value and the upstream gradients for `backward` (w.r.t. the chunk's
 * `output`, final `hidden`, final `cell`). Tensors handed back here are disposed by
 * {@link backpropTruncated} after use.
 */
export interface ChunkLoss {
  readonly value: number;
  readonly output?: TensorInput;
  readonly hidden?: TensorInput;
  readonly cell?: TensorInput;
}

export interface TruncatedBackpropOptions {
  /** k: time steps per chunk (a positive integer). */
  readonly chunkLength: number;
  /** Computes a chunk's loss from its forward result (which it must not dispose). */
  readonly loss: (result: SequenceResult, chunk: Chunk) => ChunkLoss | Promise<ChunkLoss>;
  /** Consumes each chunk's gradients ("apply" mode); absent: gradients are accumulated and returned. */
  readonly onGradients?: (gradients: LayerGradients, chunk: Chunk) => void | Promise<void>;
  /** States before the first step, `[L, B, H]`; zeros when absent. */
  readonly initialHidden?: TensorInput;
  readonly initialCell?: TensorInput;
}

export interface TruncatedBackpropResult {
  /** The loss value of every chunk, in order. */
  readonly losses: number[];
  /** Summed parameter gradients (accumulate mode only); dispose them. */
  readonly gradients: LayerGradients | undefined;
  /** States after the last step (detached), to continue with the next batch; dispose them. */
  readonly hidden: Tensor;
  readonly cell: Tensor | undefined;
}

/** Runs truncated BPTT over one batch; see the file header. */
export async function backpropTruncated(
  layer: RecurrentLayer,
  input: TensorInput,
  options: TruncatedBackpropOptions,
): Promise<TruncatedBackpropResult> {
  const where = 'backpropTruncated';
  if (typeof options !== 'object' || options === null || typeof options.loss !== 'function') {
    throw new ValueError(where, `options is ${describe(options)}; expected { chunkLength, loss, … }`);
  }
  assertPositiveInteger(where, 'chunkLength', options.chunkLength);
  if (layer.direction !== 'forward') {
    throw new UnsupportedError(
      where,
      `a ${layer.direction} layer reads the sequence backwards; expected a forward layer`,
    );
  }
  const backend = layer.backend;
  const shape = shapeOf(where, 'x', input);
  const batchFirst = layer.layout === 'batch-first';
  const borrowed = borrowTensor(
    backend,
    where,
    'x',
    input,
    [shape[0]!, shape[1]!, layer.inputSize],
    batchFirst ? ['batch', 'steps', 'inputSize'] : ['steps', 'batch', 'inputSize'],
  );
  const x = borrowed.tensor;
  const steps = batchFirst ? x.shape[1]! : x.shape[0]!;
  const timeAxis = batchFirst ? 1 : 0;
  const losses: number[] = [];
  let accumulated: LayerGradients | undefined;
  let carried: Partial<Record<StateName, TensorInput>> = {
    ...(options.initialHidden !== undefined ? { hidden: options.initialHidden } : {}),
    ...(options.initialCell !== undefined ? { cell: options.initialCell } : {}),
  };
  let ownedStates: Tensor[] = [];
  try {
    for (let start = 0, index = 0; start < steps; start += options.chunkLength, index++) {
      const chunk: Chunk = { index, start, steps: Math.min(options.chunkLength, steps - start) };
      const chunkShape = [...x.shape];
      chunkShape[timeAxis] = chunk.steps;
      const chunkInput = x.view(chunkShape, x.strides, x.offset + start * x.strides[timeAxis]!);
      let result: SequenceResult | undefined;
      let upstream: ChunkLoss | undefined;
      try {
        result = layer.forward(chunkInput, {
          training: true,
          ...(carried.hidden !== undefined ? { initialHidden: carried.hidden } : {}),
          ...(carried.cell !== undefined ? { initialCell: carried.cell } : {}),
        });
        upstream = await options.loss(result, chunk);
        losses.push(upstream.value);
        const gradients = layer.backward(result, {
          ...(upstream.output !== undefined ? { output: upstream.output } : {}),
          ...(upstream.hidden !== undefined ? { hidden: upstream.hidden } : {}),
          ...(upstream.cell !== undefined ? { cell: upstream.cell } : {}),
          inputGradient: false,
        });
        if (options.onGradients) {
          try {
            await options.onGradients(gradients, chunk);
          } finally {
            gradients.dispose();
          }
        } else if (accumulated === undefined) {
          accumulated = gradients;
        } else {
          addInto(accumulated, gradients);
          gradients.dispose();
        }
        // Detach: the next chunk starts from copies, so its backward stops here.
        for (const state of ownedStates) {
          state.dispose();
        }
        ownedStates = [];
        const hidden = copyTensor(result.hidden);
        ownedStates.push(hidden);
        carried = { hidden };
        if (result.cell) {
          const cell = copyTensor(result.cell);
          ownedStates.push(cell);
          carried.cell = cell;
        }
      } finally {
        result?.dispose();
        chunkInput.dispose();
        for (const value of [upstream?.output, upstream?.hidden, upstream?.cell]) {
          if (value instanceof Tensor) {
            value.dispose();
          }
        }
      }
    }
    const [hidden, cell] = ownedStates;
    ownedStates = [];
    return { losses, gradients: accumulated, hidden: hidden!, cell };
  } catch (error) {
    accumulated?.dispose();
    for (const state of ownedStates) {
      state.dispose();
    }
    throw error;
  } finally {
    borrowed.release();
  }
}

/** `target += source` for every parameter gradient (device-side, `add`-mode copy). */
function addInto(target: LayerGradients, source: LayerGradients): void {
  target.parameters.forEach((layer, layerIndex) => {
    layer.forEach((direction, directionIndex) => {
      for (const name of parameterNames) {
        const into = direction[name];
        const from = source.parameters[layerIndex]![directionIndex]![name];
        if (into && from) {
          const cols = into.shape[into.shape.length - 1]!;
          const rows = into.size / cols;
          into.backend.pointwise(copyKernel, {
            rows,
            units: cols,
            inputs: [{ view: matrixView(from.buffer, from.offset, rows, cols) }],
            outputs: [{ view: matrixView(into.buffer, into.offset, rows, cols), mode: 'add' }],
          });
        }
      }
    });
  });
}

/** A dense device copy of a dense tensor. */
function copyTensor(source: Tensor): Tensor {
  const backend = source.backend;
  const cols = source.shape[source.shape.length - 1]!;
  const rows = source.size / cols;
  const buffer = backend.allocate(source.size);
  backend.pointwise(copyKernel, {
    rows,
    units: cols,
    inputs: [{ view: matrixView(source.buffer, source.offset, rows, cols) }],
    outputs: [{ view: matrixView(buffer, 0, rows, cols) }],
  });
  return Tensor.fromBuffer(backend, buffer, source.shape);
}
