/**
 * Builds the bytes of an ONNX model with one RNN/GRU/LSTM node (onnx.proto field numbers):
 * ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto. Weights are
 * initializers; the only graph input is X `[T, B, I]` (layout 0, the only one ONNX Runtime's
 * CPU kernels accept); outputs Y `[T, 1, B, H]` and Y_h `[1, B, H]`.
 */
import { ProtobufWriter } from './protobuf-writer.js';

export type OnnxRecurrentOp = 'RNN' | 'GRU' | 'LSTM';

export interface OnnxRecurrentModel {
  readonly op: OnnxRecurrentOp;
  readonly steps: number;
  readonly batch: number;
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** `[1, G·H, I]`, `[1, G·H, H]`, `[1, 2·G·H]` in ONNX gate order. */
  readonly inputWeights: Float32Array;
  readonly recurrentWeights: Float32Array;
  readonly biases: Float32Array;
}

const floatType = 1;
const attributeInt = 2;

export const onnxGateCount: Readonly<Record<OnnxRecurrentOp, number>> = { RNN: 1, GRU: 3, LSTM: 4 };

export function buildOnnxRecurrentModel(model: OnnxRecurrentModel): Uint8Array {
  const { op, steps, batch, inputSize, hiddenSize } = model;
  const rows = onnxGateCount[op] * hiddenSize;
  const node = new ProtobufWriter();
  for (const input of ['X', 'W', 'R', 'B']) {
    node.string(1, input);
  }
  node.string(2, 'Y').string(2, 'Y_h').string(3, `${op.toLowerCase()}_node`).string(4, op);
  node.message(5, intAttribute('hidden_size', hiddenSize));
  if (op === 'GRU') {
    // Reset after the recurrent product, as this library's default GRU (and PyTorch/cuDNN).
    node.message(5, intAttribute('linear_before_reset', 1));
  }
  const graph = new ProtobufWriter()
    .message(1, node)
    .string(2, `${op.toLowerCase()}_graph`)
    .message(5, tensor('W', [1, rows, inputSize], model.inputWeights))
    .message(5, tensor('R', [1, rows, hiddenSize], model.recurrentWeights))
    .message(5, tensor('B', [1, 2 * rows], model.biases))
    .message(11, valueInfo('X', [steps, batch, inputSize]))
    .message(12, valueInfo('Y', [steps, 1, batch, hiddenSize]))
    .message(12, valueInfo('Y_h', [1, batch, hiddenSize]));
  return new ProtobufWriter()
    .varint(1, 8) // ir_version 8
    .string(2, 'recurrent-conformance')
    .message(8, new ProtobufWriter().string(1, '').varint(2, 14)) // opset 14
    .message(7, graph)
    .bytes();
}

function intAttribute(name: string, value: number): ProtobufWriter {
  return new ProtobufWriter().string(1, name).varint(3, value).varint(20, attributeInt);
}

function tensor(name: string, dims: readonly number[], values: Float32Array): ProtobufWriter {
  const writer = new ProtobufWriter();
  for (const dim of dims) {
    writer.varint(1, dim);
  }
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  for (const [index, value] of values.entries()) {
    view.setFloat32(index * 4, value, true);
  }
  return writer.varint(2, floatType).string(8, name).bytesField(9, raw);
}

function valueInfo(name: string, dims: readonly number[]): ProtobufWriter {
  const shape = new ProtobufWriter();
  for (const dim of dims) {
    shape.message(1, new ProtobufWriter().varint(1, dim));
  }
  const tensorType = new ProtobufWriter().varint(1, floatType).message(2, shape);
  return new ProtobufWriter().string(1, name).message(2, new ProtobufWriter().message(1, tensorType));
}
