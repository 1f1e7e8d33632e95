import type {} from 'webgpu';
import { GpuJsBackendError } from './errors.js';

/** A WebGPU device this backend owns, with the adapter's description for `BackendInfo`. */
export interface WebGpuDevice {
  readonly device: GPUDevice;
  /** Held so the adapter outlives the device. */
  readonly adapter: GPUAdapter;
  readonly adapterName: string;
}

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/**
 * Dawn's GPU instance, created once per process and never released: when the object returned
 * by `create()` is garbage-collected while its devices live, Dawn's event threads crash the
 * process (seen as "The futex facility returned an unexpected error code").
 */
let dawnGpu: GPU | undefined;

/**
 * `navigator.gpu` where the platform has one (browsers, Deno); in Node, Dawn's bindings from the
 * `webgpu` package (Node has no `navigator`). No globals are modified.
 */
async function findGpu(): Promise<GPU> {
  const fromNavigator = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (fromNavigator) return fromNavigator;
  if (!isNode()) {
    throw new GpuJsBackendError('webgpu', undefined, 'navigator.gpu is missing: this platform has no WebGPU');
  }
  try {
    // A computed specifier keeps browser bundlers from pulling Dawn's Node addon into a web build.
    const specifier = 'webgpu';
    const dawn = (await import(/* @vite-ignore */ specifier)) as typeof import('webgpu');
    dawnGpu ??= dawn.create([]);
    return dawnGpu;
  } catch (cause) {
    throw new GpuJsBackendError(
      'webgpu',
      undefined,
      `could not load Dawn's Node bindings (package "webgpu"): ${(cause as Error).message}`,
      { cause },
    );
  }
}

function describeAdapter(adapter: GPUAdapter): string {
  const info = adapter.info;
  const parts = [info.vendor, info.architecture, info.device, info.description].filter(
    (part, index, all) => part !== '' && all.indexOf(part) === index,
  );
  return parts.length > 0 ? parts.join(' / ') : 'unknown adapter';
}

/**
 * Requests an adapter and a device with the adapter's own storage limits (the spec defaults
 * allow only 8 storage buffers per stage and 128 MiB per binding). `specDefaultLimits` asks for
 * the spec defaults instead: tests use it to run as on the most limited browsers.
 */
export async function requestWebGpuDevice(
  options: { readonly specDefaultLimits?: boolean } = {},
): Promise<WebGpuDevice> {
  const gpu = await findGpu();
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    throw new GpuJsBackendError(
      'webgpu',
      undefined,
      'navigator.gpu.requestAdapter() returned no adapter. Without a GPU, Dawn needs a Vulkan software ' +
        "driver: Mesa 25's llvmpipe works (Debian 12: libvulkan1 and mesa-vulkan-drivers from " +
        "bookworm-backports); Debian 12's own Mesa 22.3 is rejected by Dawn",
    );
  }
  const limits = adapter.limits;
  if (options.specDefaultLimits) {
    return { device: await adapter.requestDevice(), adapter, adapterName: describeAdapter(adapter) };
  }
  const device = await adapter.requestDevice({
    // Subgroups let the lanes GEMM kernel of software adapters share A values across lanes
    // (`gemm-lanes-shader.ts`); elsewhere the feature goes unused.
    requiredFeatures: adapter.features.has('subgroups') ? ['subgroups'] : [],
    requiredLimits: {
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
      maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
    },
  });
  return { device, adapter, adapterName: describeAdapter(adapter) };
}
