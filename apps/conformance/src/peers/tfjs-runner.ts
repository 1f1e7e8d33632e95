/**
 * TensorFlow.js (cpu, wasm and webgpu backends) as a peer baseline. tfjs-core has no GRU/LSTM layer
 * op, so the workload is the standard op-level implementation: one big input projection for
 * all steps (as cuDNN and this library do), then per step one `matMul` with the recurrent
 * weights and the gate arithmetic; training is backpropagation through time written with
 * tfjs ops (`tfjs-recurrent.ts`), loss Σ Y ⊙ G. GRU is the reset-after variant, as
 * this library's default.
 * Timed calls include the host wait for the result (`await tensor.data()`). In Node the webgpu
 * backend runs on Dawn (`node-webgpu.ts`), the adapter the gpu.js backend uses.
 */
import type { WorkloadRunner } from '@recurrent/conformance';
import { ensureNavigatorGpu } from './node-webgpu.js';
import { seededFloat32 } from './seeded-values.js';
import { createTfjsRecurrent, type SavedStep } from './tfjs-recurrent.js';

type Tf = typeof import('@tensorflow/tfjs-core');
type TfTensor = import('@tensorflow/tfjs-core').Tensor;

const gateCount = { rnn: 1, gru: 3, lstm: 4 } as const;

export type TfjsBackendName = 'cpu' | 'wasm' | 'webgpu';

async function importTfjsBackend(backendName: TfjsBackendName): Promise<void> {
  if (backendName === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
  else if (backendName === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  else {
    await ensureNavigatorGpu();
    await import('@tensorflow/tfjs-backend-webgpu');
  }
}

/** The WebGPU adapter tfjs runs on, as it reports it (`vendor / architecture`). */
function webgpuAdapter(tf: Tf): string {
  const info = (tf.backend() as { adapterInfo?: { vendor?: string; architecture?: string } }).adapterInfo;
  return [info?.vendor, info?.architecture].filter(Boolean).join(' / ') || 'unknown adapter';
}

/** A runner on one tfjs backend; rejects when it cannot be initialised. */
export async function createTfjsRunner(backendName: TfjsBackendName): Promise<WorkloadRunner> {
  const tf: Tf = await import('@tensorflow/tfjs-core');
  await importTfjsBackend(backendName);
  if (!(await tf.setBackend(backendName))) {
    throw new Error(`tfjs backend '${backendName}' failed to initialise`);
  }
  await tf.ready();
  const adapter = backendName === 'webgpu' ? webgpuAdapter(tf) : undefined;
  const activate = async () => {
    if (tf.getBackend() !== backendName) {
      await tf.setBackend(backendName);
      await tf.ready();
    }
  };
  return {
    name: `tfjs-${backendName}`,
    peer: true,
    describe: () => ({
      library: '@tensorflow/tfjs-core',
      version: tf.version_core,
      backend: backendName,
      ...(adapter ? { adapter } : {}),
    }),
    async prepare(workload, cell, mode) {
      await activate();
      const { steps, batch, inputSize, hiddenSize } = workload;
      const columns = gateCount[cell] * hiddenSize;
      const scale = 1 / Math.sqrt(hiddenSize);
      const inputWeights = tf.variable(
        tf.tensor2d(seededFloat32(inputSize * columns, 1, scale), [inputSize, columns]),
      );
      const recurrentWeights = tf.variable(
        tf.tensor2d(seededFloat32(hiddenSize * columns, 2, scale), [hiddenSize, columns]),
      );
      const inputBias = tf.variable(tf.tensor1d(seededFloat32(columns, 3, scale)));
      const recurrentBias = tf.variable(tf.tensor1d(seededFloat32(columns, 4, scale)));
      const input = tf.variable(
        tf.tensor2d(seededFloat32(steps * batch * inputSize, 5, 1), [steps * batch, inputSize]),
      );
      const outputGradient = tf.tensor3d(seededFloat32(steps * batch * hiddenSize, 6, 1), [
        steps,
        batch,
        hiddenSize,
      ]);
      const held: TfTensor[] = [
        inputWeights,
        recurrentWeights,
        inputBias,
        recurrentBias,
        input,
        outputGradient,
      ];

      const { sequence, backward } = createTfjsRecurrent(tf, {
        cell,
        steps,
        batch,
        hiddenSize,
        input,
        inputWeights,
        recurrentWeights,
        inputBias,
        recurrentBias,
        outputGradient,
      });

      return {
        async run() {
          if (mode === 'forward') {
            const hidden = tf.tidy(() => sequence().hidden);
            await hidden.data();
            hidden.dispose();
            return;
          }
          const gradients = tf.tidy(() => {
            const saved: SavedStep[] = [];
            sequence(saved);
            return backward(saved);
          });
          await gradients[1]!.data();
          tf.dispose(gradients);
        },
        dispose() {
          tf.dispose(held);
        },
      };
    },
  };
}
