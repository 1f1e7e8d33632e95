/**
 * A fully connected read-out layer `y = x Wᵀ + b` (PyTorch `nn.Linear`): weights `[out, in]`,
 * bias `[out]`, applied to the last axis of any `[..., in]` tensor. Forward and backward are
 * backend GEMMs and row sums on device buffers, so it runs wherever the recurrent layer runs:
 *   forward   y  = x Wᵀ + b
 *   backward  dW = Σ dyᵀ x,  db = Σ_rows dy,  dx = dy W
 * The input may be a strided 3-D view (a batch-first layer output); it is read in place.
 */
import type { Backend } from '../backend.js';
import { DisposedError, ShapeError, ValueError } from '../errors.js';
import type { TensorInput } from '../layers/call-arguments.js';
import { broadcastRow, matrixView } from '../matrix-view.js';
import { Random } from '../random.js';
import { copyKernel } from '../sequence/utility-kernels.js';
import { Tensor } from '../tensor.js';
import { assertPositiveInteger, checkTensorArgument, describe } from '../validation.js';
import { needsLeadingSplit, rowBlocks, rowCount } from './row-blocks.js';
import { axisLabels, type BorrowedTensor, borrowTensor, shapeOf } from './tensor-argument.js';

export interface LinearOptions {
  readonly inputSize: number;
  readonly outputSize: number;
  /** Learn a bias (default true). */
  readonly bias?: boolean;
  /** Seed of the initialisation (default 0): weights and bias uniform in ±1/√inputSize, as PyTorch. */
  readonly seed?: number;
}

/** Host copies of a {@link Linear} layer's parameters. */
export interface LinearWeights {
  /** `[outputSize, inputSize]`, row-major. */
  readonly weights: ArrayLike<number>;
  /** `[outputSize]`; absent when the layer has no bias. */
  readonly bias?: ArrayLike<number>;
}

/** Gradients of one {@link Linear.backward} call, as device tensors; dispose them. */
export class LinearGradients {
  /** @internal */
  constructor(
    /** Same shape as the forward input, dense; absent when not requested. */
    readonly input: Tensor | undefined,
    /** `[outputSize, inputSize]`. */
    readonly weights: Tensor,
    /** `[outputSize]`; absent when the layer has no bias. */
    readonly bias: Tensor | undefined,
  ) {}

  /** `[weights, bias]`: the order of {@link Linear.parameters}, for optimisers. */
  get parameters(): Tensor[] {
    return this.bias ? [this.weights, this.bias] : [this.weights];
  }

  /** Releases every gradient tensor. */
  dispose(): void {
    this.input?.dispose();
    this.weights.dispose();
    this.bias?.dispose();
  }
}

/** A linear read-out layer on a backend; see the file header for the equations. */
export class Linear {
  readonly backend: Backend;
  readonly inputSize: number;
  readonly outputSize: number;
  /** `[outputSize, inputSize]`. */
  readonly weights: Tensor;
  /** `[outputSize]`; absent when created with `bias: false`. */
  readonly bias: Tensor | undefined;
  private disposed = false;

  /** Allocates and initialises the parameters on `backend` (see {@link LinearOptions.seed}). */
  constructor(backend: Backend, options: LinearOptions) {
    const where = 'Linear';
    if (typeof options !== 'object' || options === null) {
      throw new ValueError(where, `options is ${describe(options)}; expected { inputSize, outputSize }`);
    }
    assertPositiveInteger(where, 'inputSize', options.inputSize);
    assertPositiveInteger(where, 'outputSize', options.outputSize);
    if (options.seed !== undefined && !Number.isInteger(options.seed)) {
      throw new ValueError(where, `seed is ${describe(options.seed)}; expected an integer`);
    }
    this.backend = backend;
    this.inputSize = options.inputSize;
    this.outputSize = options.outputSize;
    const random = new Random(options.seed ?? 0);
    const bound = 1 / Math.sqrt(this.inputSize);
    this.weights = Tensor.fromHost(backend, {
      data: random.uniformArray(this.outputSize * this.inputSize, -bound, bound),
      shape: [this.outputSize, this.inputSize],
    });
    this.bias =
      (options.bias ?? true)
        ? Tensor.fromHost(backend, {
            data: random.uniformArray(this.outputSize, -bound, bound),
            shape: [this.outputSize],
          })
        : undefined;
  }

  /** `[weights, bias]`: the trainable tensors, in the order {@link LinearGradients.parameters} uses. */
  get parameters(): Tensor[] {
    return this.bias ? [this.weights, this.bias] : [this.weights];
  }

  /** `y = x Wᵀ + b` for `x` of shape `[..., inputSize]`; returns a dense `[..., outputSize]` tensor. */
  forward(input: TensorInput): Tensor {
    const where = 'Linear.forward';
    this.assertLive(where);
    const x = this.borrowInput(where, input);
    try {
      const rows = rowCount(x.tensor);
      const outputShape = [...x.tensor.shape.slice(0, -1), this.outputSize];
      const output = this.backend.allocate(rows * this.outputSize);
      const outputView = matrixView(output, 0, rows, this.outputSize);
      if (this.bias) {
        this.backend.pointwise(copyKernel, {
          rows,
          units: this.outputSize,
          inputs: [{ view: broadcastRow(this.bias.buffer, this.bias.offset, rows, this.outputSize) }],
          outputs: [{ view: outputView }],
        });
      }
      const weights = matrixView(this.weights.buffer, this.weights.offset, this.outputSize, this.inputSize);
      for (const block of rowBlocks(x.tensor, where, 'x')) {
        const target = matrixView(output, block.firstRow * this.outputSize, block.view.rows, this.outputSize);
        this.backend.gemm(block.view, weights, target, { transposeB: true, beta: this.bias ? 1 : 0 });
      }
      return Tensor.fromBuffer(this.backend, output, outputShape);
    } finally {
      x.release();
    }
  }

  /**
   * Gradients for the `input` given to {@link forward} (pass the same values) and the gradient
   * of the loss w.r.t. the output, `[..., outputSize]`. Parameter gradients are new tensors
   * (they are not accumulated into anything); the input gradient is skipped with
   * `inputGradient: false`.
   */
  backward(
    input: TensorInput,
    outputGradient: TensorInput,
    options: { readonly inputGradient?: boolean } = {},
  ): LinearGradients {
    const where = 'Linear.backward';
    this.assertLive(where);
    const x = this.borrowInput(where, input);
    let dy: BorrowedTensor | undefined;
    try {
      const expected = [...x.tensor.shape.slice(0, -1), this.outputSize];
      dy = borrowTensor(
        this.backend,
        where,
        'outputGradient',
        outputGradient,
        expected,
        axisLabels(expected.length, 'outputSize'),
      );
      const split = needsLeadingSplit(x.tensor, dy.tensor);
      const inputBlocks = rowBlocks(x.tensor, where, 'x', split);
      const gradientBlocks = rowBlocks(dy.tensor, where, 'outputGradient', split);
      const rows = rowCount(x.tensor);
      const dWeights = this.backend.allocate(this.outputSize * this.inputSize);
      const dWeightsView = matrixView(dWeights, 0, this.outputSize, this.inputSize);
      const dBias = this.bias ? this.backend.allocate(this.outputSize) : undefined;
      const wantInput = options.inputGradient ?? true;
      const dInput = wantInput ? this.backend.allocate(rows * this.inputSize) : undefined;
      const weights = matrixView(this.weights.buffer, this.weights.offset, this.outputSize, this.inputSize);
      inputBlocks.forEach((block, index) => {
        const gradient = gradientBlocks[index]!.view;
        // Gradients accumulate over blocks: the first block sets, the rest add.
        const beta = index === 0 ? 0 : 1;
        this.backend.gemm(gradient, block.view, dWeightsView, { transposeA: true, beta });
        if (dBias) {
          this.backend.sumRows(gradient, matrixView(dBias, 0, 1, this.outputSize), beta);
        }
        if (dInput) {
          const target = matrixView(dInput, block.firstRow * this.inputSize, block.view.rows, this.inputSize);
          this.backend.gemm(gradient, weights, target);
        }
      });
      return new LinearGradients(
        dInput ? Tensor.fromBuffer(this.backend, dInput, x.tensor.shape) : undefined,
        Tensor.fromBuffer(this.backend, dWeights, [this.outputSize, this.inputSize]),
        dBias ? Tensor.fromBuffer(this.backend, dBias, [this.outputSize]) : undefined,
      );
    } finally {
      x.release();
      dy?.release();
    }
  }

  /** Host copies of the parameters. */
  async getWeights(): Promise<LinearWeights> {
    this.assertLive('Linear.getWeights');
    const weights = await this.weights.toArray();
    return this.bias ? { weights, bias: await this.bias.toArray() } : { weights };
  }

  /** Replaces the parameters; checks every shape and value before writing any. */
  setWeights(values: LinearWeights): void {
    const where = 'Linear.setWeights';
    this.assertLive(where);
    const size = this.outputSize * this.inputSize;
    checkTensorArgument(
      where,
      'weights',
      { data: values?.weights ?? [], shape: [values?.weights?.length ?? 0] },
      [size],
      [`${this.outputSize}×${this.inputSize}`],
    );
    if (this.bias) {
      checkTensorArgument(
        where,
        'bias',
        { data: values.bias ?? [], shape: [values.bias?.length ?? 0] },
        [this.outputSize],
        ['outputSize'],
      );
    } else if (values.bias !== undefined) {
      throw new ShapeError(where, 'bias given, but this Linear layer has no bias');
    }
    this.backend.write(this.weights.buffer, values.weights, this.weights.offset);
    if (this.bias && values.bias) {
      this.backend.write(this.bias.buffer, values.bias, this.bias.offset);
    }
  }

  /** Releases the parameter buffers; the layer cannot be used afterwards. */
  dispose(): void {
    if (!this.disposed) {
      this.disposed = true;
      this.weights.dispose();
      this.bias?.dispose();
    }
  }

  /** Whether {@link dispose} was called. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  private borrowInput(where: string, input: TensorInput): BorrowedTensor {
    const shape = shapeOf(where, 'x', input);
    if (shape.length === 0) {
      throw new ShapeError(where, `x is a scalar; expected shape [..., inputSize=${this.inputSize}]`);
    }
    const expected = [...shape.slice(0, -1), this.inputSize];
    return borrowTensor(this.backend, where, 'x', input, expected, axisLabels(expected.length, 'inputSize'));
  }

  private assertLive(where: string): void {
    if (this.disposed) {
      throw new DisposedError(where, 'this Linear layer was disposed');
    }
  }
}
