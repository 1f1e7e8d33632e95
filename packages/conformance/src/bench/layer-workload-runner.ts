/**
 * The workload runner for any `@recurrent` backend: a time-first layer of the family's plain
 * variant; the input (and the output gradient) are uploaded once, outside the timing; each
 * call ends by downloading the final hidden state (or a gradient) so queued GPU work counts.
 */
import { type Backend, Random, Tensor } from '@recurrent/core';
import { familyVariant } from '../cell-variants.js';
import type { WorkloadRunner } from './workload-runner.js';

export function createLayerWorkloadRunner(name: string, backend: Backend): WorkloadRunner {
  return {
    name,
    peer: false,
    describe: () => ({
      backend: backend.info.name,
      dtype: backend.info.dtype,
      device: backend.info.device,
      ...(backend.info.adapter ? { adapter: backend.info.adapter } : {}),
      deterministic: backend.info.deterministic,
    }),
    async prepare(workload, cell, mode) {
      const { batch, steps, inputSize, hiddenSize } = workload;
      const layer = familyVariant[cell].create(backend, {
        inputSize,
        hiddenSize,
        layout: 'time-first',
        seed: 7,
      });
      const random = new Random(8);
      const input = Tensor.fromHost(backend, {
        data: random.uniformArray(steps * batch * inputSize, -1, 1),
        shape: [steps, batch, inputSize],
      });
      const outputGradient =
        mode === 'train'
          ? Tensor.fromHost(backend, {
              data: random.uniformArray(steps * batch * hiddenSize, -1, 1),
              shape: [steps, batch, hiddenSize],
            })
          : undefined;
      return {
        async run() {
          const result = layer.forward(input, { training: mode === 'train', checkFinite: false });
          try {
            if (outputGradient) {
              const gradients = layer.backward(result, { output: outputGradient, checkFinite: false });
              try {
                await gradients.initialHidden.toArray();
              } finally {
                gradients.dispose();
              }
            } else {
              await result.hidden.toArray();
            }
          } finally {
            result.dispose();
          }
        },
        dispose() {
          input.dispose();
          outputGradient?.dispose();
          layer.dispose();
        },
      };
    },
  };
}
