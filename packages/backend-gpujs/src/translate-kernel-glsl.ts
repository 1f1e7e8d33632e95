import type { PointwiseKernel } from '@recurrent/core';
import { GpuJsBackendError } from './errors.js';
import { WebGL2Kernel } from './gpujs-internals.js';
import { kernelSources } from './kernel-sources.js';

/**
 * The GLSL helpers gpu.js's WebGL2 translations may call (`atan2`, `cbrt`, `expm1`, `fround`,
 * `imul`, `log10`, `log1p`, `_pow`, `_round`, `integerMod`, bitwise operators, …): the part of
 * gpu.js's own fragment shader template from its first helper to its texture-decoding code
 * (which needs gpu.js's texture layout and is not used here). The one placeholder inside, the
 * integer-division fix-up, is off for these kernels.
 */
function gpuJsHelpers(): string {
  const template = WebGL2Kernel.fragmentShader;
  const start = template.indexOf('float atan2(');
  const end = template.indexOf('const vec2 MAGIC_VEC');
  if (start === -1 || end === -1 || end < start) {
    throw new Error("gpu.js's WebGL2 fragment shader template no longer has the expected helper section");
  }
  return template.slice(start, end).replace('__DIVIDE_WITH_INTEGER_CHECK__;', '');
}

let helpers: string | undefined;

/**
 * A prototype for every translated function. GLSL needs a function declared before its first
 * call, and gpu.js does not always emit callees first: core's `activationSlopeFromValue` came out
 * before the `activationSlope` it calls (WGSL does not care about order, so WebGPU never saw it).
 */
function prototypes(functions: string): string {
  const signatures = functions.matchAll(/^(\w+) (\w+)\(([^)]*)\) \{$/gm);
  return [...signatures].map(([, type, name, parameters]) => `${type} ${name}(${parameters});`).join('\n');
}

/**
 * Hands core's scalar functions to gpu.js's WebGL2 function builder, which parses them, infers
 * types and emits GLSL ES 3.00 functions under their JavaScript names. The synthetic root kernel
 * calls every step function once (see `kernel-sources.ts`); its own `kernel()` body is dropped.
 * Returns the helpers plus the translated functions, ready to precede an entry point.
 */
export function translateKernelToGlsl(kernel: PointwiseKernel): string {
  try {
    helpers ??= gpuJsHelpers();
    const sources = kernelSources(kernel);
    const glKernel = new WebGL2Kernel(sources.root, {
      ...sources.settings,
      argumentTypes: ['Float'],
      // Translation never touches GL; the placeholders only keep gpu.js from creating a context.
      context: {},
      canvas: {},
      // gpu.js's integer-division fix-up is for its texture addressing; core's math is float math.
      fixIntegerDivisionAccuracy: false,
    });
    glKernel.kernelArguments = [{ type: 'Float' }];
    glKernel.kernelConstants = [];
    glKernel.translateSource();
    const source = glKernel.translatedSource ?? '';
    const rootAt = source.indexOf('void kernel()');
    if (rootAt === -1) throw new Error('gpu.js emitted no kernel() root');
    const functions = source.slice(0, rootAt);
    for (const fn of sources.stepFunctions) {
      const name = sources.names.get(fn)!;
      if (!new RegExp(`\\b${name}\\(`).test(functions))
        throw new Error(`gpu.js emitted no GLSL function ${name}`);
    }
    return `${helpers}\n${prototypes(functions)}\n${functions}`;
  } catch (cause) {
    throw new GpuJsBackendError(
      'webgl2',
      kernel.name,
      `gpu.js could not translate the kernel to GLSL: ${(cause as Error).message}`,
      { cause },
    );
  }
}
