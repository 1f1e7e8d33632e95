import { type Backend, createGru } from '@recurrent/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpuJsBackendError } from './errors.js';
import { createTestBackend, randomValues, testModes, upload } from './test-backend.js';
import type { WebGpuBackend } from './webgpu-backend.js';

describe.each(testModes)('gpujs memory (%s)', (mode) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await createTestBackend(mode);
  });
  afterAll(() => backend.destroy());

  it('allocates zero-filled buffers and round-trips writes exactly', async () => {
    const before = backend.liveBufferCount();
    const buffer = backend.allocate(5000);
    expect(backend.liveBufferCount()).toBe(before + 1);
    expect(Array.from(await backend.download(buffer, 0, 8))).toEqual(new Array(8).fill(0));
    const values = randomValues(5000, 7);
    backend.write(buffer, values);
    const downloaded = await backend.download(buffer);
    expect(downloaded).toBeInstanceOf(Float32Array);
    expect(downloaded).toEqual(values);
    backend.dispose(buffer);
    expect(backend.liveBufferCount()).toBe(before);
  });

  it('writes and downloads at offsets', async () => {
    const buffer = backend.allocate(10);
    backend.write(buffer, [1, 2, 3], 4);
    expect(Array.from(await backend.download(buffer))).toEqual([0, 0, 0, 0, 1, 2, 3, 0, 0, 0]);
    expect(Array.from(await backend.download(buffer, 5, 2))).toEqual([2, 3]);
    expect(Array.from(await backend.download(buffer, 3, 0))).toEqual([]);
    backend.dispose(buffer);
  });

  it('rounds float64 input to float32', async () => {
    const buffer = upload(backend, [0.1, 1 / 3]);
    expect(Array.from(await backend.download(buffer))).toEqual([Math.fround(0.1), Math.fround(1 / 3)]);
    backend.dispose(buffer);
  });

  it('disposes idempotently and refuses disposed buffers by name', async () => {
    const buffer = backend.allocate(3);
    backend.dispose(buffer);
    backend.dispose(buffer);
    expect(backend.isDisposed(buffer)).toBe(true);
    expect(() => backend.write(buffer, [1])).toThrow(GpuJsBackendError);
    await expect(backend.download(buffer)).rejects.toThrow(/disposed/);
  });

  it('refuses a buffer larger than the adapter allows, synchronously and by name', () => {
    const before = backend.liveBufferCount();
    expect(() => backend.allocate(2 ** 40)).toThrow(GpuJsBackendError);
    expect(backend.liveBufferCount()).toBe(before);
  });

  it('allocates empty buffers', async () => {
    const buffer = backend.allocate(0);
    expect((await backend.download(buffer)).length).toBe(0);
    backend.dispose(buffer);
  });
});

describe('gpujs bind-group cache (webgpu)', () => {
  it('creates bind groups per pass, not per time step, and drops those of released buffers', async () => {
    const backend = await createTestBackend('webgpu');
    const cache = () => (backend as unknown as WebGpuBackend).bindGroupCacheSize();
    try {
      const layer = createGru(backend, { inputSize: 5, hiddenSize: 7, seed: 3 });
      const createdByPass = async (steps: number) => {
        const before = cache().created;
        const input = { data: randomValues(2 * steps * 5, steps), shape: [2, steps, 5] };
        const result = layer.forward(input, { training: true });
        const gradients = layer.backward(result, { inputGradient: true });
        await gradients.input!.toArray();
        gradients.dispose();
        result.dispose();
        return cache().created - before;
      };
      await createdByPass(4); // compiles the kernels
      const fourSteps = await createdByPass(4);
      const eightSteps = await createdByPass(8);
      expect(fourSteps).toBeGreaterThan(0);
      // Every step binds the same buffers (at other offsets), so twice the steps create no more groups.
      expect(eightSteps).toBe(fourSteps);
      layer.dispose();
      expect(backend.liveBufferCount()).toBe(0);
      expect(cache()).toMatchObject({ groups: 0, keyReferences: 0 });
    } finally {
      backend.destroy();
    }
  });
});
