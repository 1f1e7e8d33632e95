import type { Backend } from '@recurrent/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpuJsBackendError } from './errors.js';
import { createTestBackend, randomValues, testModes, upload } from './test-backend.js';

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
