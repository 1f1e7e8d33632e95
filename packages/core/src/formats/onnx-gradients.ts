/**
 * Gradients of an ONNX recurrent node through the layer's backpropagation, in ONNX shapes, for
 * the vectors' `gradients` block. The scalar loss is `L = Σ upstream ⊙ output` over the given
 * outputs (`Y`, `Y_h`, `Y_c`). Results: dL/dX, dL/dW, dL/dR, dL/dB (`[dWb; dRb]`), dL/dP (LSTM,
 * order i, o, f), dL/d initial_h and dL/d initial_c (LSTM), each taken at the input's value or,
 * for an absent input, at its default of zeros.
 *
 * Padded steps contribute nothing through `Y` (ONNX defines `Y` as 0 there), and a sample of
 * length 0, whose outputs are all zero, has zero gradients.
 */
import type { Backend } from '../backend.js';
import { ShapeError, ValueError } from '../errors.js';
import type { DirectionWeights } from '../layers/parameters.js';
import { convertSequence, convertState, onnxDims, zeroSamples } from './onnx-layouts.js';
import { prepareOnnxNode } from './onnx-node.js';
import type { OnnxRecurrentNode, OnnxResultTensor, OnnxTensor } from './onnx-node-types.js';
import { emptySamples, onnxForwardOptions, onnxLayerInput } from './onnx-operator.js';
import { toOnnxWeights } from './onnx-weights.js';

/** Upstream gradients dL/dY, dL/dY_h, dL/dY_c in ONNX shapes; absent ones are zero. */
export interface OnnxUpstream {
  readonly Y?: OnnxTensor | null;
  readonly Y_h?: OnnxTensor | null;
  readonly Y_c?: OnnxTensor | null;
}

export interface OnnxRecurrentGradients {
  readonly X: OnnxResultTensor;
  readonly W: OnnxResultTensor;
  readonly R: OnnxResultTensor;
  readonly B: OnnxResultTensor;
  readonly initial_h: OnnxResultTensor;
  /** LSTM only. */
  readonly initial_c?: OnnxResultTensor;
  /** LSTM only. */
  readonly P?: OnnxResultTensor;
}

function checkUpstream(where: string, name: string, tensor: OnnxTensor, dims: readonly number[]): void {
  const same =
    Array.isArray(tensor.dims) &&
    tensor.dims.length === dims.length &&
    tensor.dims.every((size, axis) => size === dims[axis]);
  if (!same || tensor.data?.length !== dims.reduce((a, b) => a * b, 1)) {
    throw new ShapeError(
      where,
      `upstream ${name} has dims [${tensor.dims?.join(',')}]; expected [${dims.join(',')}]`,
    );
  }
}

/** dL/d(inputs) of one ONNX recurrent node for `L = Σ upstream ⊙ outputs`. */
export async function onnxRecurrentGradients(
  backend: Backend,
  node: OnnxRecurrentNode,
  upstream: OnnxUpstream,
): Promise<OnnxRecurrentGradients> {
  const where = 'onnxRecurrentGradients';
  const prepared = prepareOnnxNode(where, backend, node);
  const { layer } = prepared;
  try {
    const dims = onnxDims(prepared);
    const empty = emptySamples(prepared);
    const stateShape = [prepared.directions, prepared.batch, prepared.hiddenSize];
    const outputShape = prepared.batchFirst
      ? [prepared.batch, prepared.steps, prepared.directions * prepared.hiddenSize]
      : [prepared.steps, prepared.batch, prepared.directions * prepared.hiddenSize];
    const upstreamState = (name: 'Y_h' | 'Y_c') => {
      const tensor = upstream[name];
      if (tensor === null || tensor === undefined) {
        return undefined;
      }
      checkUpstream(where, name, tensor, dims.state);
      const data = zeroSamples(convertState(tensor.data, prepared, false), prepared, empty, 'state');
      return { data, shape: stateShape };
    };
    if (upstream.Y_c && prepared.operator !== 'LSTM') {
      throw new ValueError(where, `upstream Y_c given, but ONNX ${prepared.operator} has no Y_c`);
    }
    let output: { data: Float64Array; shape: number[] } | undefined;
    if (upstream.Y) {
      checkUpstream(where, 'Y', upstream.Y, dims.sequence);
      const data = zeroSamples(
        convertSequence(upstream.Y.data, prepared, false),
        prepared,
        empty,
        'sequence',
      );
      output = { data, shape: outputShape };
    }
    const hidden = upstreamState('Y_h');
    const cell = upstreamState('Y_c');
    const result = layer.forward(onnxLayerInput(node), onnxForwardOptions(prepared, true));
    try {
      const gradients = layer.backward(result, {
        ...(output ? { output } : {}),
        ...(hidden ? { hidden } : {}),
        ...(cell ? { cell } : {}),
      });
      try {
        const directions: DirectionWeights[] = [];
        for (const direction of gradients.parameters[0]!) {
          const values: Record<string, Float64Array> = {};
          for (const [name, tensor] of Object.entries(direction)) {
            values[name] = Float64Array.from(await tensor!.toArray());
          }
          directions.push(values);
        }
        // Gradients move between layouts by the same block permutation as the weights.
        const [onnx] = toOnnxWeights(layer, { layers: [directions] });
        const state = async (
          tensor: NonNullable<typeof gradients.initialCell>,
        ): Promise<OnnxResultTensor> => ({
          dims: dims.state,
          data: convertState(await tensor.toArray(), prepared, true),
        });
        const asResult = (tensor: {
          data: ArrayLike<number>;
          shape: readonly number[];
        }): OnnxResultTensor => ({
          dims: [...tensor.shape],
          data: Float64Array.from(tensor.data),
        });
        return {
          X: { dims: [...node.inputs.X.dims], data: Float64Array.from(await gradients.input!.toArray()) },
          W: asResult(onnx!.W),
          R: asResult(onnx!.R),
          B: asResult(onnx!.B!),
          initial_h: await state(gradients.initialHidden),
          ...(gradients.initialCell ? { initial_c: await state(gradients.initialCell) } : {}),
          ...(onnx!.P ? { P: asResult(onnx!.P) } : {}),
        };
      } finally {
        gradients.dispose();
      }
    } finally {
      result.dispose();
    }
  } finally {
    layer.dispose();
  }
}
