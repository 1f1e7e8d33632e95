import { createLstm, type RecurrentLayer } from '@recurrent/core';
import { createReferenceBackend } from '@recurrent/core/reference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomValues } from './test-backend.js';
import { WebGpuBackend } from './webgpu-backend.js';
import { requestWebGpuDevice } from './webgpu-device.js';

/**
 * Browsers expose as few storage buffers per shader stage as the spec's default of 8 (Chromium
 * on SwiftShader: 10), and an LSTM backward step with peepholes touches 13 buffers. The backend
 * splits such a launch by outputs; here it runs on a device created with the spec defaults.
 */
describe('pointwise launches over the storage-buffer limit (spec-default device)', () => {
  let backend: WebGpuBackend;
  beforeAll(async () => {
    backend = new WebGpuBackend(await requestWebGpuDevice({ specDefaultLimits: true }));
  });
  afterAll(() => backend.destroy());

  it('the device has the spec default of 8 storage buffers per stage', () => {
    expect(
      (backend as unknown as { gpu: { device: GPUDevice } }).gpu.device.limits
        .maxStorageBuffersPerShaderStage,
    ).toBe(8);
  });

  it('LSTM with peepholes, bidirectional: forward and backward match the float64 reference', async () => {
    const options = { inputSize: 4, hiddenSize: 8, peepholes: true, bidirectional: true, seed: 5 };
    const reference = createLstm(createReferenceBackend(), options);
    const layer = createLstm(backend, options);
    layer.setWeights(await reference.getWeights());
    const x = { data: randomValues(2 * 6 * 4, 3), shape: [2, 6, 4] };
    const run = async (target: RecurrentLayer) => {
      const result = target.forward(x, { training: true });
      const size = result.output.shape.reduce((a, b) => a * b, 1);
      const gradients = target.backward(result, {
        output: { data: randomValues(size, 4), shape: result.output.shape },
      });
      const values = [
        await result.output.toArray(),
        await gradients.input!.toArray(),
        ...(await Promise.all(
          gradients.parameters.flatMap((directions) =>
            directions.flatMap((named) => Object.values(named).map((tensor) => tensor!.toArray())),
          ),
        )),
      ];
      result.dispose();
      gradients.dispose();
      return values;
    };
    const expected = await run(reference);
    const actual = await run(layer);
    expect(actual).toHaveLength(expected.length);
    for (const [index, values] of expected.entries()) {
      let scale = 1e-3;
      for (const value of values) scale = Math.max(scale, Math.abs(value));
      let worst = 0;
      values.forEach((value, at) => {
        worst = Math.max(worst, Math.abs(actual[index]![at]! - value) / scale);
      });
      expect(worst, `tensor ${index}`).toBeLessThan(1e-5);
    }
    layer.dispose();
    reference.dispose();
  });
});
