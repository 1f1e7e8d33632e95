import type { PointwiseKernel } from '@recurrent/core';
import { type ComputePipeline, type ComputeShader, compileComputeShader } from './compute-pipeline.js';
import type { ErrorLog } from './error-log.js';
import { kernelKey } from './kernel-key.js';
import { type TranslatedKernel, translateKernel } from './translate-kernel.js';

const MAX_BAKED_VARIANTS = 4;

/**
 * Compile once: gpu.js translations keyed by pointwise kernel (`kernelKey`), compiled pipelines
 * keyed by (kernel, binding signature). Nothing here runs per time step after the first one.
 */
export class KernelCache {
  private readonly device: GPUDevice;
  private readonly errors: ErrorLog;
  private readonly translations = new Map<string, TranslatedKernel>();
  private readonly pipelines = new Map<string, ComputePipeline>();
  private readonly bakedConstants = new Map<string, Set<string>>();

  constructor(device: GPUDevice, errors: ErrorLog) {
    this.device = device;
    this.errors = errors;
  }

  translation(kernel: PointwiseKernel): TranslatedKernel {
    const key = kernelKey(kernel);
    let translated = this.translations.get(key);
    if (!translated) {
      translated = translateKernel(kernel);
      this.translations.set(key, translated);
    }
    return translated;
  }

  /** The pipeline cached under `key`, compiling `shader()` on first use. */
  pipeline(key: string, shader: () => ComputeShader): ComputePipeline {
    let pipeline = this.pipelines.get(key);
    if (!pipeline) {
      pipeline = compileComputeShader(this.device, shader(), this.errors);
      this.pipelines.set(key, pipeline);
    }
    return pipeline;
  }

  /**
   * Whether a launch may bake its constant inputs into the shader: yes for the first few
   * distinct constant sets of a kernel (a cell's activation kinds and clip never change), then
   * no, so constants that vary per call (a scale, a step size) share one compiled pipeline.
   */
  mayBake(key: string, constants: string): boolean {
    let seen = this.bakedConstants.get(key);
    if (!seen) {
      seen = new Set();
      this.bakedConstants.set(key, seen);
    }
    if (seen.has(constants)) return true;
    if (seen.size >= MAX_BAKED_VARIANTS) return false;
    seen.add(constants);
    return true;
  }

  /** Number of compiled pipelines (tests assert it stays flat across time steps). */
  get size(): number {
    return this.pipelines.size;
  }

  clear(): void {
    this.translations.clear();
    this.pipelines.clear();
    this.bakedConstants.clear();
  }
}
