import type { PointwiseKernel } from '@recurrent/core';
import { type FunctionDeclaration, toFunctionDeclaration } from './function-source.js';
import type { GpuJsKernelSettings } from './gpujs-internals.js';

export type ScalarFunction = (...args: number[]) => number;

/** A pointwise kernel prepared for gpu.js: a synthetic root kernel and its functions. */
export interface KernelSources {
  /** `function (rcInput) { return f(rcInput, …) + g(…) … }`: calls every step function once, so
   * gpu.js translates all of them and the helpers they reach. */
  readonly root: string;
  readonly settings: GpuJsKernelSettings;
  /** The distinct step functions, each translated under its own `name`. */
  readonly stepFunctions: ReadonlySet<ScalarFunction>;
}

function functionSettings(declaration: FunctionDeclaration) {
  return {
    source: declaration.source,
    settings: {
      argumentTypes: Object.fromEntries(declaration.parameters.map((name) => [name, 'Number' as const])),
      returnType: 'Number' as const,
    },
  };
}

/** Every distinct function of the kernel (helpers and step functions), each under its own name. */
function kernelFunctions(kernel: PointwiseKernel): Map<ScalarFunction, FunctionDeclaration> {
  const declarations = new Map<ScalarFunction, FunctionDeclaration>();
  const byName = new Map<string, ScalarFunction>();
  for (const fn of [...kernel.helpers, ...kernel.steps.map((step) => step.fn)]) {
    if (declarations.has(fn)) continue;
    if (!fn.name) throw new Error('a step or helper function has no name; gpu.js calls functions by name');
    const other = byName.get(fn.name);
    if (other && other !== fn) throw new Error(`two different functions are both named "${fn.name}"`);
    byName.set(fn.name, fn);
    declarations.set(fn, toFunctionDeclaration(fn, fn.name));
  }
  return declarations;
}

export function kernelSources(kernel: PointwiseKernel): KernelSources {
  const declarations = kernelFunctions(kernel);
  const stepFunctions = new Set(kernel.steps.map((step) => step.fn));
  const calls = [...stepFunctions].map((fn) => {
    const arity = declarations.get(fn)!.parameters.length;
    return `${fn.name}(${Array.from({ length: arity }, () => 'rcInput').join(', ')})`;
  });
  return {
    root: `function (rcInput) { return ${calls.join(' + ') || 'rcInput'}; }`,
    settings: {
      output: [1],
      precision: 'single',
      argumentTypes: ['Number'],
      functions: [...declarations.values()].map(functionSettings),
    },
    stepFunctions,
  };
}

/** Names of the inputs and steps that the wanted outputs need (dead steps are not emitted). */
export function liveValues(kernel: PointwiseKernel, wanted: readonly boolean[]): Set<string> {
  const live = new Set<string>();
  kernel.outputs.forEach((name, index) => {
    if (wanted[index]) live.add(name);
  });
  for (let index = kernel.steps.length - 1; index >= 0; index--) {
    const step = kernel.steps[index]!;
    if (live.has(step.name)) for (const arg of step.args) live.add(arg);
  }
  return live;
}
