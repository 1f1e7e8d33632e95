/**
 * The ONNX `RNN` / `GRU` / `LSTM` operators on any backend, built on {@link RecurrentLayer}
 * through the ONNX weight import (`onnx-weights.ts`), with per-direction cells when the two
 * directions' activations differ. Semantics (see the vectors' README):
 * - `Y` `[T, D, N, H]` (layout 0) or `[N, T, D, H]` (layout 1), `Y_h`/`Y_c` `[D, N, H]` or `[N, D, H]`;
 * - `sequence_lens`: steps past a sample's length give 0 in `Y`, and `Y_h`/`Y_c` hold the state at
 *   its last valid step (a reverse direction starts at step L − 1);
 * - a length of 0 gives zero `Y`, `Y_h` and `Y_c` (ONNX Runtime's behaviour; the spec is silent).
 *   The layer accepts lengths 1..T, so such a sample runs for one step and its outputs are zeroed.
 */
import type { Backend } from '../backend.js';
import type { ForwardOptions } from '../layers/call-arguments.js';
import { convertSequence, convertState, onnxDims, zeroSamples } from './onnx-layouts.js';
import { prepareOnnxNode } from './onnx-node.js';
import type { OnnxRecurrentNode, OnnxResultTensor, PreparedOnnxNode } from './onnx-node-types.js';

export interface OnnxRecurrentOutputs {
  readonly Y: OnnxResultTensor;
  readonly Y_h: OnnxResultTensor;
  /** LSTM only. */
  readonly Y_c?: OnnxResultTensor;
}

/** Samples whose ONNX length is 0. */
export function emptySamples(prepared: PreparedOnnxNode): number[] {
  return (prepared.lengths ?? []).flatMap((length, sample) => (length === 0 ? [sample] : []));
}

/** The layer's forward options for a prepared node (lengths of 0 run as 1). */
export function onnxForwardOptions(prepared: PreparedOnnxNode, training: boolean): ForwardOptions {
  const stateShape = [prepared.directions, prepared.batch, prepared.hiddenSize];
  return {
    training,
    ...(prepared.initialHidden ? { initialHidden: { data: prepared.initialHidden, shape: stateShape } } : {}),
    ...(prepared.initialCell ? { initialCell: { data: prepared.initialCell, shape: stateShape } } : {}),
    ...(prepared.lengths ? { sequenceLengths: prepared.lengths.map((length) => Math.max(length, 1)) } : {}),
  };
}

/** The node's `X` in the layer's layout (ONNX layout 0 is time-first, 1 batch-first). */
export function onnxLayerInput(node: OnnxRecurrentNode) {
  return { data: node.inputs.X.data, shape: node.inputs.X.dims };
}

/**
 * Runs one ONNX recurrent node (JSON vector form) on `backend` and returns `Y`, `Y_h` and, for
 * LSTM, `Y_c` as host arrays with ONNX shapes. Throws an {@link UnsupportedError} naming any
 * attribute or input value it does not implement (e.g. `input_forget = 1`).
 */
export async function runOnnxRecurrent(
  backend: Backend,
  node: OnnxRecurrentNode,
): Promise<OnnxRecurrentOutputs> {
  const prepared = prepareOnnxNode('runOnnxRecurrent', backend, node);
  try {
    const result = prepared.layer.forward(onnxLayerInput(node), onnxForwardOptions(prepared, false));
    try {
      const empty = emptySamples(prepared);
      const dims = onnxDims(prepared);
      const sequence = zeroSamples(
        Float64Array.from(await result.output.toArray()),
        prepared,
        empty,
        'sequence',
      );
      const state = async (tensor: NonNullable<typeof result.cell>): Promise<OnnxResultTensor> => ({
        dims: dims.state,
        data: convertState(
          zeroSamples(Float64Array.from(await tensor.toArray()), prepared, empty, 'state'),
          prepared,
          true,
        ),
      });
      return {
        Y: { dims: dims.sequence, data: convertSequence(sequence, prepared, true) },
        Y_h: await state(result.hidden),
        ...(result.cell ? { Y_c: await state(result.cell) } : {}),
      };
    } finally {
      result.dispose();
    }
  } finally {
    prepared.layer.dispose();
  }
}
