import { afterAll, describe, expect, it } from 'vitest';
import { createGpuJsBackend } from './create-backend.js';
import { GpuJsBackendError } from './errors.js';
import { createTestBackend } from './test-backend.js';

describe('createGpuJsBackend', () => {
  const backendPromise = createTestBackend();
  afterAll(async () => (await backendPromise).destroy());

  it('states what it is: gpujs, float32, on webgpu with a named adapter', async () => {
    const { info } = await backendPromise;
    expect(info).toMatchObject({ name: 'gpujs', dtype: 'float32', device: 'webgpu', deterministic: true });
    expect(info.adapter).toMatch(/\S/);
    console.info(`gpujs backend adapter: ${info.adapter}`);
  });

  it('refuses modes it cannot run instead of falling back to the CPU', async () => {
    for (const mode of ['webgl', 'headlessgl'] as const) {
      const error = await createGpuJsBackend({ mode }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(GpuJsBackendError);
      expect((error as GpuJsBackendError).mode).toBe(mode);
      expect((error as Error).message).toMatch(/not implemented/);
    }
  });

  it('refuses webgl2 in Node, naming the missing canvas (WebGL2 runs in browsers and workers)', async () => {
    const error = await createGpuJsBackend({ mode: 'webgl2' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GpuJsBackendError);
    expect((error as GpuJsBackendError).mode).toBe('webgl2');
    expect((error as Error).message).toMatch(/no canvas/);
  });

  it('chooses webgpu by default when an adapter is there (Dawn in Node)', async () => {
    const backend = await createGpuJsBackend();
    expect(backend.info.device).toBe('webgpu');
    backend.destroy();
  });

  it('runs gpu.js cpu mode only when asked for by name, and says so', async () => {
    const backend = await createGpuJsBackend({ mode: 'cpu' });
    expect(backend.info).toMatchObject({ name: 'gpujs', dtype: 'float32', device: 'cpu' });
    backend.destroy();
  });

  it('rejects use after destroy with a named error', async () => {
    const backend = await createTestBackend();
    backend.destroy();
    expect(() => backend.allocate(4)).toThrow(GpuJsBackendError);
  });
});
