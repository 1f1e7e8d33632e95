import type { PointwiseKernel } from '@recurrent/core';
import { GpuJsBackendError } from './errors.js';
import { WebGPUKernel, wgslFunctionName } from './gpujs-internals.js';
import { kernelSources, type ScalarFunction } from './kernel-sources.js';

/** A pointwise kernel's functions as gpu.js compiled them to WGSL. */
export interface TranslatedKernel {
  /** A WGSL module holding every translated function (plus gpu.js's own, unused, entry point). */
  readonly module: string;
  /** The WGSL name of each step function. */
  readonly wgslNames: ReadonlyMap<ScalarFunction, string>;
}

/**
 * Hands core's scalar functions to gpu.js's WebGPU kernel, which parses them, infers types and
 * emits WGSL. The synthetic root kernel calls every step function once so that all of them
 * (and the helpers they reach) are translated; this backend's own entry point then evaluates
 * the kernel's steps by calling the translated functions (see `pointwise-shader.ts`).
 */
export function translateKernel(kernel: PointwiseKernel): TranslatedKernel {
  try {
    const sources = kernelSources(kernel);
    const gpuKernel = new WebGPUKernel(sources.root, sources.settings);
    const sampleArguments = [0];
    gpuKernel.setupConstants();
    gpuKernel.setupArguments(sampleArguments);
    gpuKernel.validateSettings(sampleArguments);
    gpuKernel.threadDim = [1, 1, 1];
    gpuKernel.translateSource();
    gpuKernel.paramsLayout = gpuKernel.computeParamsLayout();
    const module = gpuKernel.assembleWGSL();
    const wgslNames = new Map<ScalarFunction, string>();
    for (const fn of sources.stepFunctions) {
      const name = wgslFunctionName(sources.names.get(fn)!);
      if (!module.includes(`fn ${name}(`)) throw new Error(`gpu.js emitted no WGSL function ${name}`);
      wgslNames.set(fn, name);
    }
    return { module, wgslNames };
  } catch (cause) {
    if (cause instanceof GpuJsBackendError) throw cause;
    throw new GpuJsBackendError(
      'webgpu',
      kernel.name,
      `gpu.js could not translate the kernel: ${(cause as Error).message}`,
      { cause },
    );
  }
}
