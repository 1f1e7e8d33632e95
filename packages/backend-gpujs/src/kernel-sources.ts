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
  /** The distinct step functions. */
  readonly stepFunctions: ReadonlySet<ScalarFunction>;
  /** Every function's name in the translations ({@link functionNames}). */
  readonly names: ReadonlyMap<ScalarFunction, string>;
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

/**
 * The name each distinct function of the kernel (helpers, then step functions) has in every
 * translation: `rcFunction0`, `rcFunction1`, … A bundler's minifier may name them `$o` (no
 * GLSL identifier has a `$`) or `mix` (a GLSL built-in), so shaders never see the JavaScript
 * names. Functions still call each other by their JavaScript names, which must be unique.
 */
export function functionNames(kernel: PointwiseKernel): Map<ScalarFunction, string> {
  const names = new Map<ScalarFunction, string>();
  const byName = new Map<string, ScalarFunction>();
  for (const fn of [...kernel.helpers, ...kernel.steps.map((step) => step.fn)]) {
    if (names.has(fn)) continue;
    if (!fn.name) throw new Error('a step or helper function has no name; functions call each other by name');
    const other = byName.get(fn.name);
    if (other && other !== fn) throw new Error(`two different functions are both named "${fn.name}"`);
    byName.set(fn.name, fn);
    names.set(fn, `rcFunction${names.size}`);
  }
  return names;
}

/** Calls `name(` of the kernel's functions renamed; `Math.exp(` and other members stay. */
function renameCalls(body: string, renames: ReadonlyMap<string, string>): string {
  return body.replace(/(?<![\w$.])([A-Za-z_$][\w$]*)(?=\s*\()/g, (name) => renames.get(name) ?? name);
}

export function kernelSources(kernel: PointwiseKernel): KernelSources {
  const names = functionNames(kernel);
  const renames = new Map([...names].map(([fn, name]) => [fn.name, name]));
  const declarations = new Map<ScalarFunction, FunctionDeclaration>();
  for (const [fn, name] of names) {
    declarations.set(
      fn,
      toFunctionDeclaration(fn, name, (body) => renameCalls(body, renames)),
    );
  }
  const stepFunctions = new Set(kernel.steps.map((step) => step.fn));
  const calls = [...stepFunctions].map((fn) => {
    const arity = declarations.get(fn)!.parameters.length;
    return `${names.get(fn)}(${Array.from({ length: arity }, () => 'rcInput').join(', ')})`;
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
    names,
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
