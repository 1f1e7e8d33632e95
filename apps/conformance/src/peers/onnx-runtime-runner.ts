/**
 * onnxruntime-node as a peer baseline (forward only: ONNX Runtime has no training for these
 * operators in its inference package). One model per (workload, cell) built in memory,
 * CPU execution provider, 2 intra-op threads.
 */
import type { WorkloadRunner } from '@recurrent/conformance';
import { buildOnnxRecurrentModel, type OnnxRecurrentOp, onnxGateCount } from './onnx-model.js';
import { seededFloat32 } from './seeded-values.js';

const ops: Readonly<Record<'rnn' | 'gru' | 'lstm', OnnxRecurrentOp>> = {
  rnn: 'RNN',
  gru: 'GRU',
  lstm: 'LSTM',
};
const intraOpThreads = 2;

export async function createOnnxRuntimeRunner(): Promise<WorkloadRunner> {
  const ort = await import('onnxruntime-node');
  return {
    name: 'onnxruntime-node',
    peer: true,
    describe: () => ({
      library: 'onnxruntime-node',
      version: ort.env.versions.node ?? 'unknown',
      executionProvider: 'cpu',
      intraOpNumThreads: intraOpThreads,
    }),
    async prepare(workload, cell, mode) {
      if (mode === 'train') {
        return {
          notApplicable: 'onnxruntime-node runs inference only (training needs onnxruntime-training)',
        };
      }
      const { steps, batch, inputSize, hiddenSize } = workload;
      const rows = onnxGateCount[ops[cell]] * hiddenSize;
      const bytes = buildOnnxRecurrentModel({
        op: ops[cell],
        steps,
        batch,
        inputSize,
        hiddenSize,
        inputWeights: seededFloat32(rows * inputSize, 1, 1 / Math.sqrt(hiddenSize)),
        recurrentWeights: seededFloat32(rows * hiddenSize, 2, 1 / Math.sqrt(hiddenSize)),
        biases: seededFloat32(2 * rows, 3, 1 / Math.sqrt(hiddenSize)),
      });
      const session = await ort.InferenceSession.create(bytes, {
        executionProviders: ['cpu'],
        intraOpNumThreads: intraOpThreads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
      });
      const input = new ort.Tensor('float32', seededFloat32(steps * batch * inputSize, 4, 1), [
        steps,
        batch,
        inputSize,
      ]);
      return {
        async run() {
          const outputs = await session.run({ X: input });
          for (const output of Object.values(outputs)) {
            output.dispose();
          }
        },
        async dispose() {
          await session.release();
        },
      };
    },
  };
}
