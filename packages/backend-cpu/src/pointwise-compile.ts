/**
 * Compiles one pointwise loop per (kernel, binding pattern); the pattern says which inputs are
 * constants and which outputs are skipped, set or added. Each step function is hoisted into a
 * local and called at its own monomorphic call site with values held in locals, so V8 can
 * inline the kernel's small scalar functions into the loop. Constant inputs (activation kinds,
 * clip, alpha, beta) may be written into the source as literals, so that after inlining the
 * optimiser folds the branches that select an activation. Returns null where `new Function`
 * is unavailable (strict Content-Security-Policy); the caller then uses the generic loop.
 */
import { type KernelPlan, neededSteps, type ResolvedLaunch } from './pointwise.js';

export type CompiledPointwise = (launch: ResolvedLaunch) => void;

let compilerAvailable: boolean | undefined;

/** Whether this realm allows `new Function`. */
export function canCompile(): boolean {
  if (compilerAvailable === undefined) {
    try {
      compilerAvailable = new Function('return 1')() === 1;
    } catch {
      compilerAvailable = false;
    }
  }
  return compilerAvailable;
}

/** The binding pattern of a launch: `i`/`c` per input, then `s`/`a`/`-` per output. */
export function launchPattern(launch: ResolvedLaunch): string {
  let pattern = '';
  for (const data of launch.inputData) pattern += data ? 'i' : 'c';
  pattern += ':';
  for (let k = 0; k < launch.outputData.length; k++) {
    pattern += launch.outputData[k] ? (launch.outputAdds[k] ? 'a' : 's') : '-';
  }
  return pattern;
}

/** A JavaScript literal that evaluates to exactly `value`. */
function numberLiteral(value: number): string {
  if (Object.is(value, -0)) return '-0';
  return Number.isFinite(value) ? String(value) : value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : 'NaN';
}

/** The constants of a launch as a cache-key suffix. */
export function constantsKey(launch: ResolvedLaunch): string {
  let key = '';
  launch.inputData.forEach((data, k) => {
    if (!data) key += `${numberLiteral(launch.constants[k]!)},`;
  });
  return key;
}

/**
 * The loop's source for a kernel plan and a pattern from {@link launchPattern}; with `constants`,
 * constant inputs become literals (the loop then serves only launches with those values).
 *
 * The loop runs a row at a time and a step at a time: each needed step runs over the row in its
 * own small function (`out[u] = f(x[r + u], s3[u], constant)`, reading inputs in place and earlier
 * steps from float64 scratch rows), then outputs are stored or added. Keeping each step in
 * its own function gives V8 a separate inlining budget per step, so even a large activation
 * helper is inlined into its loop and its constant-selected branch folded; the driver calls the
 * steps through one shared call site, which keeps them from being inlined into it.
 */
export function pointwiseSource(plan: KernelPlan, pattern: string, constants?: readonly number[]): string {
  const [inputs = '', outputs = ''] = pattern.split(':');
  const needed = neededSteps(
    plan,
    [...outputs].map((mode) => mode !== '-'),
  );
  const scratchSlots: number[] = [];
  const head: string[] = ["'use strict';", 'let capacity = 0;'];
  const driverHead: string[] = [
    'const rows = launch.rows, units = launch.units;',
    'if (capacity < units) grow(units);',
  ];
  const rowStarts: string[] = [];
  const stores: string[] = [];
  const isConstant = (slot: number) => slot < plan.inputCount && inputs[slot] === 'c';
  const isInput = (slot: number) => slot < plan.inputCount && inputs[slot] !== 'c';
  const operand = (slot: number) =>
    isConstant(slot) ? `c${slot}` : isInput(slot) ? `x${slot}[r${slot} + u]` : `s${slot}[u]`;
  for (let k = 0; k < inputs.length; k++) {
    if (inputs[k] === 'c') {
      if (constants) head.push(`const c${k} = ${numberLiteral(constants[k]!)};`);
      else {
        head.push(`let c${k} = 0;`);
        driverHead.push(`c${k} = launch.constants[${k}];`);
      }
      continue;
    }
    // Steps read inputs in place: the array and this row's start are set per launch and per row.
    head.push(`let xd${k}, xr${k} = 0;`);
    driverHead.push(`xd${k} = launch.inputData[${k}];`);
    driverHead.push(`const xb${k} = launch.inputBase[${k}], xs${k} = launch.inputStride[${k}];`);
    rowStarts.push(`xr${k} = xb${k} + row * xs${k};`);
  }
  const stepNames: string[] = [];
  plan.stepArgs.forEach((slots, step) => {
    if (!needed[step]) return;
    const slot = plan.inputCount + step;
    scratchSlots.push(slot);
    const locals = [...new Set(slots.filter(isInput))].map((k) => `const x${k} = xd${k}, r${k} = xr${k};`);
    head.push(`const f${step} = fns[${step}];`);
    head.push(
      `const step${step} = function (n) { ${locals.join(' ')} const out = s${slot};` +
        ` for (let u = 0; u < n; u++) out[u] = f${step}(${slots.map(operand).join(', ')}); };`,
    );
    stepNames.push(`step${step}`);
  });
  for (let k = 0; k < outputs.length; k++) {
    const mode = outputs[k];
    if (mode === '-') continue;
    const slot = plan.outputSlots[k]!;
    driverHead.push(`const yd${k} = launch.outputData[${k}], yb${k} = launch.outputBase[${k}];`);
    driverHead.push(`const ys${k} = launch.outputStride[${k}];`);
    const source = isConstant(slot) ? 'null' : isInput(slot) ? `xd${slot}` : `s${slot}`;
    const value = isConstant(slot) ? `c${slot}` : isInput(slot) ? `v[xr${slot} + u]` : 'v[u]';
    const assign = mode === 'a' ? '+=' : '=';
    stores.push(
      `{ const d = yd${k}, v = ${source}, i = yb${k} + row * ys${k}; for (let u = 0; u < units; u++) d[i + u] ${assign} ${value}; }`,
    );
  }
  head.push(`let ${scratchSlots.map((slot) => `s${slot}`).join(', ') || 'unused'};`);
  head.push(
    `function grow(n) { capacity = n; ${scratchSlots.map((slot) => `s${slot} = new Float64Array(n);`).join(' ')} }`,
  );
  head.push(`const steps = [${stepNames.join(', ')}];`);
  return [
    ...head,
    'return function pointwiseLoop(launch) {',
    ...driverHead,
    'for (let row = 0; row < rows; row++) {',
    ...rowStarts,
    'for (let k = 0; k < steps.length; k++) steps[k](units);',
    ...stores,
    '}',
    '};',
  ].join('\n');
}

/** Compiles the loop for a plan's functions, or returns null when compiling is not allowed here. */
export function compilePointwise(
  plan: KernelPlan,
  pattern: string,
  constants?: readonly number[],
): CompiledPointwise | null {
  if (!canCompile()) return null;
  return new Function('fns', pointwiseSource(plan, pattern, constants))(plan.fns) as CompiledPointwise;
}
