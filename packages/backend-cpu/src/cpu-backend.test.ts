import { describe, expect, it } from 'vitest';
import { CpuBackendError, createCpuBackend } from './index.js';

describe('createCpuBackend', () => {
  it('states what it is', () => {
    const backend = createCpuBackend({ dtype: 'float64' });
    // Node has WebAssembly SIMD, so the GEMMs run there unless asked not to.
    expect(backend.info).toMatchObject({
      name: 'cpu',
      dtype: 'float64',
      device: 'wasm',
      deterministic: true,
    });
    expect(createCpuBackend({ wasm: false }).info.device).toBe('cpu');
    expect(typeof backend.info.adapter).toBe('string');
    expect(createCpuBackend().info.dtype).toBe('float32');
    expect(() => createCpuBackend({ dtype: 'int8' as never })).toThrow(CpuBackendError);
  });

  it('allocates zeroed buffers of its dtype and downloads copies', async () => {
    const backend = createCpuBackend({ dtype: 'float32' });
    const buffer = backend.allocate(4);
    expect(buffer.length).toBe(4);
    expect(buffer.owner).toBe(backend);
    backend.write(buffer, [1.1, 2, 3], 1);
    const first = await backend.download(buffer);
    expect(first).toBeInstanceOf(Float32Array);
    expect([...first]).toEqual([0, Math.fround(1.1), 2, 3]);
    first[0] = 42;
    expect([...(await backend.download(buffer, 1, 2))]).toEqual([Math.fround(1.1), 2]);
    expect((await backend.download(buffer))[0]).toBe(0);
    await expect(backend.flush()).resolves.toBeUndefined();
  });

  it('counts live buffers; dispose is idempotent', () => {
    const backend = createCpuBackend();
    const before = backend.liveBufferCount();
    const buffers = [backend.allocate(3), backend.allocate(0), backend.allocate(5)];
    expect(backend.liveBufferCount()).toBe(before + 3);
    backend.dispose(buffers[0]!);
    backend.dispose(buffers[0]!);
    expect(backend.isDisposed(buffers[0]!)).toBe(true);
    expect(backend.isDisposed(buffers[1]!)).toBe(false);
    expect(backend.liveBufferCount()).toBe(before + 2);
    backend.destroy();
    expect(backend.liveBufferCount()).toBe(0);
    expect(backend.isDisposed(buffers[2]!)).toBe(true);
    expect(() => backend.allocate(1)).toThrow(/allocate: the backend was destroyed/);
  });

  it('leaves no buffer behind after a gemm, a row sum and a pointwise launch', () => {
    const backend = createCpuBackend({ dtype: 'float64' });
    const a = backend.allocate(4);
    const c = backend.allocate(4);
    const before = backend.liveBufferCount();
    const view = (buffer: typeof a) => ({ buffer, offset: 0, rows: 2, cols: 2, rowStride: 2 });
    backend.gemm(view(a), view(a), view(c), { transposeA: true, beta: 1 });
    backend.sumRows(view(a), { buffer: c, offset: 0, rows: 1, cols: 2, rowStride: 2 });
    backend.pointwise(
      { name: 'test/copy', inputs: ['x'], steps: [], outputs: ['x'], helpers: [] },
      { rows: 2, units: 2, inputs: [{ view: view(a) }], outputs: [{ view: view(c) }] },
    );
    expect(backend.liveBufferCount()).toBe(before);
  });

  it('fails loudly, naming itself and the operation, on disposed or foreign buffers', async () => {
    const backend = createCpuBackend();
    const other = createCpuBackend();
    const disposed = backend.allocate(4);
    backend.dispose(disposed);
    const foreign = other.allocate(4);
    const view = (buffer: typeof disposed) => ({ buffer, offset: 0, rows: 2, cols: 2, rowStride: 2 });
    const live = backend.allocate(4);
    expect(() => backend.write(disposed, [1])).toThrow(/cpu backend, write: buffer #\d+ was disposed/);
    await expect(backend.download(disposed)).rejects.toThrow(CpuBackendError);
    expect(() => backend.gemm(view(live), view(disposed), view(backend.allocate(4)))).toThrow(
      /cpu backend, gemm \(B\): buffer #\d+ was disposed/,
    );
    expect(() => backend.gemm(view(foreign), view(live), view(backend.allocate(4)))).toThrow(
      /gemm \(A\): buffer belongs to another backend/,
    );
    expect(() => backend.dispose(foreign)).toThrow(/dispose: buffer belongs to another backend/);
    try {
      backend.write(disposed, [1]);
    } catch (error) {
      expect(error).toBeInstanceOf(CpuBackendError);
      expect((error as CpuBackendError).name).toBe('CpuBackendError');
      expect((error as CpuBackendError).operation).toBe('write');
    }
  });

  it('fails loudly on views and ranges outside the buffer', async () => {
    const backend = createCpuBackend();
    const buffer = backend.allocate(6);
    const out = backend.allocate(6);
    expect(() => backend.write(buffer, [1, 2, 3], 4)).toThrow(/write: 3 elements at offset 4 do not fit/);
    await expect(backend.download(buffer, 2, 5)).rejects.toThrow(/download: elements \[2, 7\) are outside/);
    const tooTall = { buffer, offset: 1, rows: 3, cols: 2, rowStride: 2 };
    const square = { buffer: out, offset: 0, rows: 2, cols: 2, rowStride: 2 };
    expect(() => backend.gemm(square, { ...square, buffer }, { ...tooTall, buffer: out })).toThrow(
      /gemm: op\(A\) is \[2, 2\]/,
    );
    expect(() =>
      backend.gemm(
        { ...tooTall, rows: 2, cols: 3, rowStride: 3 },
        { ...square, rows: 3, buffer: out },
        square,
      ),
    ).toThrow(
      /A view \{offset: 1, rows: 2, cols: 3, rowStride: 3\} reaches element 6; the buffer has 6 elements/,
    );
    expect(() =>
      backend.sumRows(square, { buffer, offset: 0, rows: 1, cols: 2, rowStride: 0 }),
    ).not.toThrow();
    expect(() => backend.gemm(square, square, { ...square, buffer, rowStride: 0 })).toThrow(/rowStride 0/);
  });
});
