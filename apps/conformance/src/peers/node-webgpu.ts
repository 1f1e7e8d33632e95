/**
 * `navigator.gpu` for peers that look for WebGPU there (TensorFlow.js's WebGPU backend). Node
 * has no WebGPU of its own; Dawn's bindings (package `webgpu`, the same ones the gpu.js backend
 * loads) provide it, so both run on the same Dawn adapter. Browsers and runtimes with a
 * `navigator.gpu` are left alone.
 */
type DawnModule = typeof import('webgpu');

/** Installs Dawn as `navigator.gpu` (once) and returns the GPU object in use. */
export async function ensureNavigatorGpu(): Promise<GPU> {
  const existing = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (existing) return existing;
  let dawn: DawnModule;
  try {
    dawn = await import('webgpu');
  } catch (cause) {
    throw new Error(`Dawn's Node bindings (package "webgpu") failed to load: ${(cause as Error).message}`, {
      cause,
    });
  }
  // tfjs reads WebGPU's enum objects (GPUBufferUsage, GPUMapMode, …) as globals.
  Object.assign(globalThis, dawn.globals);
  // Held by the global for the life of the process: Dawn crashes if its GPU object is collected
  // while devices created from it live.
  const gpu = dawn.create([]);
  const holder = globalThis as { navigator?: object };
  if (holder.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  } else {
    Object.defineProperty(holder.navigator, 'gpu', { value: gpu, configurable: true });
  }
  return gpu;
}
