/**
 * Deliberately broken backends, each a thin wrapper around the reference backend with one
 * fault, to prove the suite catches it and names the failing tensor.
 */
import type { Backend, BackendInfo, DeviceBuffer } from '@recurrent/core';
import { createReferenceBackend } from '@recurrent/core/reference';

function wrap(overrides: (inner: Backend) => Partial<Backend>, info?: Partial<BackendInfo>): Backend {
  const inner = createReferenceBackend();
  const replaced = overrides(inner);
  return {
    info: { ...inner.info, name: 'broken', ...info },
    allocate: (length) => inner.allocate(length),
    write: (buffer, data, offset) => inner.write(buffer, data, offset),
    download: (buffer, offset, length) => inner.download(buffer, offset, length),
    dispose: (buffer) => inner.dispose(buffer),
    isDisposed: (buffer) => inner.isDisposed(buffer),
    liveBufferCount: () => inner.liveBufferCount(),
    gemm: (a, b, c, options) => inner.gemm(a, b, c, options),
    sumRows: (source, out, beta) => inner.sumRows(source, out, beta),
    pointwise: (kernel, launch) => inner.pointwise(kernel, launch),
    flush: () => inner.flush(),
    destroy: () => inner.destroy(),
    ...replaced,
  };
}

/** The reset-after GRU forward kernel reads the update gate's input projection as the reset one and vice versa. */
export function createSwappedGateBackend(): Backend {
  return wrap((inner) => ({
    pointwise(kernel, launch) {
      if (!kernel.name.startsWith('gru-reset-after/forward')) {
        inner.pointwise(kernel, launch);
        return;
      }
      const inputs = [...launch.inputs];
      const update = kernel.inputs.indexOf('x:update');
      const reset = kernel.inputs.indexOf('x:reset');
      [inputs[update], inputs[reset]] = [inputs[reset]!, inputs[update]!];
      inner.pointwise(kernel, { ...launch, inputs });
    },
  }));
}

/**
 * The input-weight gradient GEMM (`dW = dGatesᵀ · X`, recognised as a transposed-A product
 * whose output has `inputColumns` columns) comes out negated.
 */
export function createNegatedInputWeightGradientBackend(inputColumns: number): Backend {
  return wrap((inner) => ({
    gemm(a, b, c, options = {}) {
      const isInputWeightGradient =
        options.transposeA === true && !options.transposeB && c.cols === inputColumns;
      inner.gemm(a, b, c, isInputWeightGradient ? { ...options, alpha: -(options.alpha ?? 1) } : options);
    },
  }));
}

/** Every fifth dispose is dropped, so the buffer stays live. */
export function createLeakingBackend(): Backend {
  let disposals = 0;
  const dropped = new Set<DeviceBuffer>();
  return wrap((inner) => ({
    dispose(buffer) {
      if (inner.isDisposed(buffer) || dropped.has(buffer)) {
        return;
      }
      disposals++;
      if (disposals % 5 === 0) {
        dropped.add(buffer);
        return;
      }
      inner.dispose(buffer);
    },
  }));
}

/** Claims to run on WebGPU while it runs on the CPU (a silent fallback). */
export function createSilentFallbackBackend(): Backend {
  return wrap(() => ({}), { device: 'cpu', name: 'gpujs' });
}
