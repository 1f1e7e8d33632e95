import { createGru, createRnn, Random } from '@recurrent/core';
import { createReferenceBackend } from '@recurrent/core/reference';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { buildOnnxRecurrentModel, type OnnxRecurrentOp } from '../src/peers/onnx-model.js';
import { ProtobufWriter } from '../src/peers/protobuf-writer.js';

describe('protobuf writer', () => {
  it('encodes varints and length-delimited fields as the wire format specifies', () => {
    expect([...new ProtobufWriter().varint(1, 150).bytes()]).toEqual([0x08, 0x96, 0x01]);
    expect([...new ProtobufWriter().string(2, 'testing').bytes()]).toEqual([
      0x12,
      7,
      ...Buffer.from('testing'),
    ]);
    expect(() => new ProtobufWriter().varint(1, -1)).toThrow(RangeError);
  });
});

describe('the in-memory ONNX model runs in onnxruntime-node and matches the reference backend', () => {
  const backend = createReferenceBackend();
  const shapes = { steps: 4, batch: 2, inputSize: 3, hiddenSize: 5 };
  const cases: [OnnxRecurrentOp, number][] = [
    ['RNN', 1],
    ['GRU', 3],
  ];
  it.each(cases)('%s (ONNX gate order equals the canonical one)', async (op, gates) => {
    const { steps, batch, inputSize, hiddenSize } = shapes;
    const random = new Random(3);
    const rows = gates * hiddenSize;
    const f32 = (count: number) => Float32Array.from(random.uniformArray(count, -0.5, 0.5));
    const inputWeights = f32(rows * inputSize);
    const recurrentWeights = f32(rows * hiddenSize);
    const biases = f32(2 * rows);
    const x = f32(steps * batch * inputSize);
    const bytes = buildOnnxRecurrentModel({ op, ...shapes, inputWeights, recurrentWeights, biases });
    const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
    const outputs = await session.run({ X: new ort.Tensor('float32', x, [steps, batch, inputSize]) });
    expect(outputs.Y!.dims).toEqual([steps, 1, batch, hiddenSize]);
    await session.release();

    const options = { inputSize, hiddenSize, layout: 'time-first' as const };
    const layer =
      op === 'GRU' ? createGru(backend, { ...options, resetAfter: true }) : createRnn(backend, options);
    layer.setWeights({
      layers: [
        [
          {
            inputWeights,
            recurrentWeights,
            inputBias: biases.subarray(0, rows),
            recurrentBias: biases.subarray(rows),
          },
        ],
      ],
    });
    const result = layer.forward({ data: x, shape: [steps, batch, inputSize] });
    const expected = await result.output.toArray();
    const actual = outputs.Y!.data as Float32Array;
    for (let index = 0; index < expected.length; index++) {
      expect(actual[index]).toBeCloseTo(expected[index]!, 5);
    }
    result.dispose();
    layer.dispose();
  });
});
