/**
 * An ONNX `RNN` / `GRU` / `LSTM` node in the JSON form of the conformance vectors
 * (`packages/conformance/vectors/onnx-rnn/README.md`), checked and turned into a
 * {@link RecurrentLayer} with the node's weights, plus the host inputs a forward pass needs.
 * Attributes are handled in `onnx-attributes.ts`.
 */
import type { Backend } from '../backend.js';
import { formatShape, ShapeError, UnsupportedError, ValueError } from '../errors.js';
import { RecurrentLayer } from '../layers/recurrent-layer.js';
import { cellsFor, checkAttributes, commonInputs, onnxOperators } from './onnx-attributes.js';
import { swapLeadingAxes } from './onnx-layouts.js';
import type { OnnxRecurrentNode, OnnxTensor, PreparedOnnxNode } from './onnx-node-types.js';
import { fromOnnxWeights } from './onnx-weights.js';

function expectDims(where: string, name: string, tensor: OnnxTensor, dims: readonly number[]): void {
  if (typeof tensor !== 'object' || tensor === null || !Array.isArray(tensor.dims) || !tensor.data) {
    throw new ValueError(
      where,
      `input ${name} is not a tensor; expected { dims: ${formatShape(dims)}, data }`,
    );
  }
  if (tensor.dims.length !== dims.length || tensor.dims.some((size, axis) => size !== dims[axis])) {
    throw new ShapeError(
      where,
      `input ${name} has dims ${formatShape(tensor.dims)}; expected ${formatShape(dims)}`,
    );
  }
  const size = dims.reduce((a, b) => a * b, 1);
  if (tensor.data.length !== size) {
    throw new ShapeError(where, `input ${name} has ${tensor.data.length} values; expected ${size}`);
  }
}

/** Checks `node` and builds its layer on `backend` with the node's weights loaded. */
export function prepareOnnxNode(where: string, backend: Backend, node: OnnxRecurrentNode): PreparedOnnxNode {
  if (typeof node !== 'object' || node === null || !(node.operator in onnxOperators)) {
    throw new UnsupportedError(
      where,
      `operator is ${String(node?.operator)}; expected 'RNN', 'GRU' or 'LSTM'`,
    );
  }
  const { attributes, direction, layout, clip } = checkAttributes(where, node);
  const spec = onnxOperators[node.operator];
  const inputs = node.inputs;
  if (typeof inputs !== 'object' || inputs === null) {
    throw new ValueError(where, 'inputs is not an object; expected { X, W, R, … }');
  }
  const allowedInputs = new Set([...commonInputs, ...spec.inputs]);
  for (const [name, value] of Object.entries(inputs)) {
    if (!allowedInputs.has(name) && value !== null && value !== undefined) {
      throw new ValueError(
        where,
        `input ${name} is not an input of ONNX ${node.operator}; expected only ${[...allowedInputs].join(', ')}`,
      );
    }
  }
  const directions = direction === 'bidirectional' ? 2 : 1;
  const { X, W, R } = inputs;
  for (const [name, tensor] of [
    ['X', X],
    ['W', W],
    ['R', R],
  ] as const) {
    if (!tensor || !Array.isArray(tensor.dims) || tensor.dims.length !== 3) {
      throw new ShapeError(
        where,
        `input ${name} has dims ${tensor?.dims ? formatShape(tensor.dims) : 'none'}; expected 3 dimensions`,
      );
    }
  }
  const hiddenSize = attributes.hidden_size ?? R.dims[2]!;
  if (!Number.isInteger(hiddenSize) || hiddenSize < 1) {
    throw new ValueError(
      where,
      `attribute hidden_size is ${String(hiddenSize)}; expected a positive integer`,
    );
  }
  const batchFirst = layout === 1;
  const [steps, batch] = batchFirst ? [X.dims[1]!, X.dims[0]!] : [X.dims[0]!, X.dims[1]!];
  const inputSize = X.dims[2]!;
  if (steps < 1 || batch < 1 || inputSize < 1) {
    throw new ValueError(
      where,
      `input X has dims ${formatShape(X.dims)}; expected at least one step, sample and feature`,
    );
  }
  const gateRows = spec.gates * hiddenSize;
  expectDims(where, 'X', X, X.dims);
  expectDims(where, 'W', W, [directions, gateRows, inputSize]);
  expectDims(where, 'R', R, [directions, gateRows, hiddenSize]);
  const stateDims = batchFirst ? [batch, directions, hiddenSize] : [directions, batch, hiddenSize];
  const optional = (name: 'B' | 'sequence_lens' | 'initial_h' | 'initial_c' | 'P', dims: number[]) => {
    const tensor = inputs[name];
    if (tensor === null || tensor === undefined) {
      return undefined;
    }
    expectDims(where, name, tensor, dims);
    return tensor;
  };
  const B = optional('B', [directions, 2 * gateRows]);
  const sequenceLens = optional('sequence_lens', [batch]);
  const initialH = optional('initial_h', stateDims);
  const initialC = optional('initial_c', stateDims);
  const P = optional('P', [directions, 3 * hiddenSize]);
  let lengths: number[] | undefined;
  if (sequenceLens) {
    lengths = Array.from(sequenceLens.data);
    lengths.forEach((length, sample) => {
      if (!Number.isInteger(length) || length < 0 || length > steps) {
        throw new ValueError(
          where,
          `input sequence_lens[${sample}] is ${length}; expected an integer in 0..${steps}`,
        );
      }
    });
  }
  const toDirectionMajor = (tensor: OnnxTensor | undefined) =>
    tensor === undefined
      ? undefined
      : batchFirst
        ? swapLeadingAxes(tensor.data, batch, directions, hiddenSize)
        : Float64Array.from(tensor.data);

  const cells = cellsFor(where, node, attributes, directions, clip);
  const layer = new RecurrentLayer(backend, cells, {
    inputSize,
    hiddenSize,
    direction,
    layout: batchFirst ? 'batch-first' : 'time-first',
  });
  try {
    const host = (tensor: OnnxTensor | undefined) =>
      tensor ? { data: tensor.data, shape: tensor.dims } : undefined;
    layer.setWeights(
      fromOnnxWeights(layer, [
        { W: host(W)!, R: host(R)!, ...(B ? { B: host(B)! } : {}), ...(P ? { P: host(P)! } : {}) },
      ]),
    );
  } catch (error) {
    layer.dispose();
    throw error;
  }
  return {
    layer,
    operator: node.operator,
    batchFirst,
    steps,
    batch,
    inputSize,
    hiddenSize,
    directions,
    lengths,
    initialHidden: toDirectionMajor(initialH),
    initialCell: toDirectionMajor(initialC),
  };
}
