import gpujs from 'gpu.js';

/**
 * The slice of gpu.js 2.24.1 this backend uses, typed. gpu.js's bundled declarations describe
 * the synchronous GL-era API and omit its WebGPU kernel's translation steps, which are the part
 * used here: JavaScript source in, WGSL out, with no device involved.
 */
export interface GpuJsFunctionSettings {
  readonly argumentTypes: Record<string, 'Number'>;
  readonly returnType: 'Number';
}

export interface GpuJsKernelSettings {
  readonly output: readonly number[];
  readonly precision: 'single';
  readonly argumentTypes: readonly string[];
  readonly functions: readonly { readonly source: string; readonly settings: GpuJsFunctionSettings }[];
}

/** A gpu.js WebGPU kernel driven through its build steps up to WGSL assembly. */
export interface GpuJsWebGpuKernel {
  setupConstants(): void;
  setupArguments(args: readonly number[]): void;
  validateSettings(args: readonly number[]): void;
  translateSource(): void;
  computeParamsLayout(): unknown;
  assembleWGSL(): string;
  paramsLayout: unknown;
  threadDim: number[] | null;
  output: number[];
  translatedFunctions: string | null;
}

/** A gpu.js CPU kernel driven through its translation step: JavaScript in, JavaScript out. */
export interface GpuJsCpuKernel {
  setupConstants(): void;
  setupArguments(args: readonly number[]): void;
  validateSettings(args: readonly number[]): void;
  translateSource(): void;
  /** The translated functions (`function name(user_a, …) {…}`), then the root kernel's body. */
  translatedSources: string[] | null;
}

/**
 * A gpu.js WebGL2 kernel driven through its translation step only: JavaScript in, GLSL ES 3.00
 * functions out. Constructed with a placeholder context (no GL work happens in translation);
 * the arguments are set directly because gpu.js's argument setup uploads values to GL.
 */
export interface GpuJsWebGl2Kernel {
  kernelArguments: readonly { readonly type: string }[];
  kernelConstants: readonly unknown[];
  translateSource(): void;
  translatedSource: string | null;
}

/** The settings a {@link GpuJsWebGl2Kernel} is built with, beyond {@link GpuJsKernelSettings}. */
export interface GpuJsWebGl2KernelSettings extends Omit<GpuJsKernelSettings, 'argumentTypes'> {
  readonly argumentTypes: readonly string[];
  readonly context: object;
  readonly canvas: object;
  readonly fixIntegerDivisionAccuracy: boolean;
}

interface GpuJsModule {
  readonly CPUKernel: new (source: string, settings: GpuJsKernelSettings) => GpuJsCpuKernel;
  readonly WebGPUKernel: {
    new (source: string, settings: GpuJsKernelSettings): GpuJsWebGpuKernel;
    readonly mode: string;
  };
  readonly WebGL2Kernel: {
    new (source: string, settings: GpuJsWebGl2KernelSettings): GpuJsWebGl2Kernel;
    /** The template of gpu.js's WebGL2 fragment shader, which defines the GLSL helpers its translations call. */
    readonly fragmentShader: string;
  };
  readonly utils: { sanitizeName(name: string): string };
}

const module = gpujs as unknown as GpuJsModule;

export const WebGPUKernel = module.WebGPUKernel;
export const CPUKernel = module.CPUKernel;
export const WebGL2Kernel = module.WebGL2Kernel;

/** The WGSL name gpu.js gives a translated JavaScript function. */
export function wgslFunctionName(name: string): string {
  return `fn_${module.utils.sanitizeName(name)}`;
}
