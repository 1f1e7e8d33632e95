export { type Activation, type ActivationName, activation, activationKinds } from './activation.js';
export type {
  Backend,
  BackendInfo,
  ChannelBinding,
  DeviceBuffer,
  DType,
  FusedRecurrentStep,
  GemmOptions,
  MatrixView,
  PointwiseKernel,
  PointwiseLaunch,
  PointwiseOutputBinding,
  PointwiseStep,
  WriteMode,
} from './backend.js';
export type { CellDefinition, CellKind, StateName } from './cells/cell-definition.js';
export { type GruOptions, gruCell } from './cells/gru.js';
export { gruNoResetCell, gruNoUpdateCell } from './cells/gru-ablations.js';
export { type LstmOptions, lstmCell } from './cells/lstm.js';
export { type MguOptions, mguCell } from './cells/mgu.js';
export { type RnnOptions, rnnCell } from './cells/rnn.js';
export { type CellVariant, cellVariant, cellVariants } from './cells/variants.js';
export {
  BackendUnavailableError,
  DisposedError,
  DTypeError,
  RecurrentError,
  ShapeError,
  UnsupportedError,
  ValueError,
} from './errors.js';
export {
  formatGateOrder,
  fromKerasWeights,
  fromOnnxWeights,
  fromPytorchStateDict,
  type KerasExportOptions,
  type KerasLayerWeights,
  type OnnxLayerWeights,
  type OnnxRecurrentAttributes,
  type OnnxRecurrentGradients,
  type OnnxRecurrentInputs,
  type OnnxRecurrentNode,
  type OnnxRecurrentOperator,
  type OnnxRecurrentOutputs,
  type OnnxResultTensor,
  type OnnxTensor,
  type OnnxUpstream,
  onnxRecurrentGradients,
  type PytorchFormatOptions,
  type PytorchStateDict,
  runOnnxRecurrent,
  toKerasWeights,
  toOnnxWeights,
  toPytorchStateDict,
  type WeightFormat,
  type WeightTarget,
} from './formats/index.js';
export type {
  BackwardInput,
  ForwardOptions,
  StepState,
  TensorInput,
} from './layers/call-arguments.js';
export { createGru, createLstm, createRnn } from './layers/factories.js';
export type { InitializerName } from './layers/initializers.js';
export type { DirectionMode, Layout, RecurrentLayerOptions } from './layers/layer-options.js';
export {
  type CanonicalWeights,
  type DirectionWeights,
  type LayerGeometry,
  type ParameterName,
  parameterCount,
  parameterNames,
  parameterShapes,
} from './layers/parameters.js';
export { RecurrentLayer } from './layers/recurrent-layer.js';
export { LayerGradients, SequenceResult, type StepResult } from './layers/sequence-result.js';
export { matrixView } from './matrix-view.js';
export { defineKernel, type StepSpec } from './pointwise-kernel.js';
export { Random } from './random.js';
export type { MergeMode } from './sequence/stack-config.js';
export { type HostTensor, Tensor } from './tensor.js';
export {
  Adam,
  type AdamOptions,
  backpropTruncated,
  type Chunk,
  type ChunkLoss,
  type ClassTargets,
  clipGradientNorm,
  Linear,
  LinearGradients,
  type LinearOptions,
  type LinearWeights,
  type LossResult,
  listGradients,
  listParameters,
  meanSquaredError,
  type Optimizer,
  type Reduction,
  Sgd,
  type SgdOptions,
  softmaxCrossEntropy,
  type TruncatedBackpropOptions,
  type TruncatedBackpropResult,
} from './training/index.js';
