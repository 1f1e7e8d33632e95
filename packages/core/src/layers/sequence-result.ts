/**
 * What the layer's calls return: device tensors the caller owns and disposes. A forward result
 * also carries the stack pass that `backward` reads, and releases it on `dispose`; backward's
 * time-major gradient buffers become tensors in the layer's layout without copying.
 */
import type { StackGradients } from '../sequence/stack-backward.js';
import type { StackForward } from '../sequence/stack-forward-result.js';
import { Tensor } from '../tensor.js';
import { layoutTensor } from './device-layout.js';
import { disposeParameterTensors, gradientTensors, type ParameterTensors } from './parameter-tensors.js';
import type { RecurrentLayer } from './recurrent-layer.js';

/** Output of a forward pass; dispose it (or let `backward` read it first, then dispose). */
export class SequenceResult {
  /** @internal */
  constructor(
    /** `[B, T, W]` or `[T, B, W]` per the layer's layout; W = H, or 2H for concat bidirectional. */
    readonly output: Tensor,
    /** `[L·D, B, H]`: the state at each sample's last valid step. */
    readonly hidden: Tensor,
    /** LSTM only: final cell states `[L·D, B, H]`. */
    readonly cell: Tensor | undefined,
    /** @internal */
    readonly pass: StackForward,
    /** @internal */
    readonly owner: RecurrentLayer,
    private readonly release: () => void,
  ) {}
  private disposed = false;
  get isDisposed(): boolean {
    return this.disposed;
  }
  dispose(): void {
    if (!this.disposed) {
      this.disposed = true;
      this.output.dispose();
      this.hidden.dispose();
      this.cell?.dispose();
      this.release();
    }
  }
}

/** Gradients of one backward pass, as device tensors. */
export class LayerGradients {
  /** @internal */
  constructor(
    /** Same shape and layout as the forward input. */
    readonly input: Tensor | undefined,
    readonly initialHidden: Tensor,
    readonly initialCell: Tensor | undefined,
    /** `parameters[layer][direction][name]`, canonical layout. */
    readonly parameters: ParameterTensors,
    /**
     * When asked for: per layer, the total gradient w.r.t. that layer's hidden state at every
     * step, shaped like the layer's (concatenated) output in the layer's layout.
     */
    readonly hiddenStates: readonly Tensor[] = [],
  ) {}
  dispose(): void {
    this.input?.dispose();
    for (const tensor of this.hiddenStates) {
      tensor.dispose();
    }
    this.initialHidden.dispose();
    this.initialCell?.dispose();
    disposeParameterTensors(this.parameters);
  }
}

/** Wraps the buffers of a stack backward pass (which it takes over) in `LayerGradients`. */
export function layerGradientsOf(
  layer: RecurrentLayer,
  gradients: StackGradients,
  steps: number,
  batch: number,
): LayerGradients {
  const { backend, inputSize } = layer;
  const stateShape = [layer.numLayers * layer.directions, batch, layer.hiddenSize];
  const width = layer.directions * layer.hiddenSize;
  const hiddenStates = (gradients.hiddenStateGradients ?? []).map((buffer) =>
    layoutTensor(
      layer,
      Tensor.fromBuffer(backend, buffer, [buffer.length]),
      steps,
      batch,
      width,
      width,
      batch * width,
    ),
  );
  const input = gradients.input
    ? layoutTensor(
        layer,
        Tensor.fromBuffer(backend, gradients.input, [steps * batch * inputSize]),
        steps,
        batch,
        inputSize,
        inputSize,
      )
    : undefined;
  const parameters = gradientTensors(backend, layer.cell, layer, gradients.parameters);
  return new LayerGradients(
    input,
    Tensor.fromBuffer(backend, gradients.initialStates.hidden!, stateShape),
    gradients.initialStates.cell
      ? Tensor.fromBuffer(backend, gradients.initialStates.cell, stateShape)
      : undefined,
    parameters,
    hiddenStates,
  );
}

export interface StepResult {
  /** `[B, H]` output of the top layer at this step. */
  readonly output: Tensor;
  /** `[L, B, H]` states to pass to the next `step`. */
  readonly hidden: Tensor;
  readonly cell?: Tensor;
  dispose(): void;
}
