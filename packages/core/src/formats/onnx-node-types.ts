/** The JSON form of an ONNX recurrent node (see the vectors' README) and its prepared form. */
import type { DirectionMode } from '../layers/layer-options.js';
import type { RecurrentLayer } from '../layers/recurrent-layer.js';

/** A tensor as the vectors store it: row-major `data` over `dims` (other fields are ignored). */
export interface OnnxTensor {
  readonly dims: readonly number[];
  readonly data: ArrayLike<number>;
}

/** A host result: row-major `data` over `dims`. */
export interface OnnxResultTensor {
  readonly dims: number[];
  readonly data: Float64Array;
}

export type OnnxRecurrentOperator = 'RNN' | 'GRU' | 'LSTM';

export interface OnnxRecurrentAttributes {
  readonly hidden_size?: number;
  readonly direction?: DirectionMode;
  readonly layout?: number;
  readonly activations?: readonly string[];
  readonly activation_alpha?: readonly number[];
  readonly activation_beta?: readonly number[];
  readonly clip?: number | null;
  /** GRU only. */
  readonly linear_before_reset?: number;
  /** LSTM only; 1 is refused. */
  readonly input_forget?: number;
}

export interface OnnxRecurrentInputs {
  readonly X: OnnxTensor;
  readonly W: OnnxTensor;
  readonly R: OnnxTensor;
  readonly B?: OnnxTensor | null;
  /** int32 lengths in 0..T; 0 gives zero outputs and zero final states (as ONNX Runtime). */
  readonly sequence_lens?: OnnxTensor | null;
  readonly initial_h?: OnnxTensor | null;
  /** LSTM only. */
  readonly initial_c?: OnnxTensor | null;
  /** LSTM only: peepholes [D, 3H] in order i, o, f. */
  readonly P?: OnnxTensor | null;
}

/** An ONNX recurrent node: operator, attributes (ONNX defaults where absent) and inputs. */
export interface OnnxRecurrentNode {
  readonly operator: OnnxRecurrentOperator;
  readonly attributes?: OnnxRecurrentAttributes;
  readonly inputs: OnnxRecurrentInputs;
}

/** A node ready to run: the layer (caller disposes it) and the checked host inputs. */
export interface PreparedOnnxNode {
  readonly layer: RecurrentLayer;
  readonly operator: OnnxRecurrentOperator;
  readonly batchFirst: boolean;
  readonly steps: number;
  readonly batch: number;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly directions: number;
  /** ONNX lengths (0..T), or undefined when every sample runs all T steps. */
  readonly lengths: readonly number[] | undefined;
  /** `[D, N, H]` (layout-0 order), when given. */
  readonly initialHidden: Float64Array | undefined;
  readonly initialCell: Float64Array | undefined;
}
