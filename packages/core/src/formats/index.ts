export { formatGateOrder, type WeightFormat } from './gate-order.js';
export {
  fromKerasWeights,
  type KerasExportOptions,
  type KerasLayerWeights,
  toKerasWeights,
} from './keras.js';
export { type OnnxRecurrentGradients, type OnnxUpstream, onnxRecurrentGradients } from './onnx-gradients.js';
export type {
  OnnxRecurrentAttributes,
  OnnxRecurrentInputs,
  OnnxRecurrentNode,
  OnnxRecurrentOperator,
  OnnxResultTensor,
  OnnxTensor,
} from './onnx-node-types.js';
export { type OnnxRecurrentOutputs, runOnnxRecurrent } from './onnx-operator.js';
export { fromOnnxWeights, type OnnxLayerWeights, toOnnxWeights } from './onnx-weights.js';
export {
  fromPytorchStateDict,
  type PytorchFormatOptions,
  type PytorchStateDict,
  toPytorchStateDict,
} from './pytorch.js';
export type { WeightTarget } from './weight-target.js';
