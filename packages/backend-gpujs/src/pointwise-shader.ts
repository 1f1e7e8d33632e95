import type { PointwiseKernel, PointwiseLaunch } from '@recurrent/core';
import { slotDeclarations } from './binding-slots.js';
import { liveValues } from './kernel-sources.js';
import { paramFloat, paramsDeclaration, paramWord } from './shader-params.js';
import type { TranslatedKernel } from './translate-kernel.js';

export const POINTWISE_WORKGROUP = 64;
/** The pointwise entry point binds group 1: group 0 belongs to gpu.js's own (unused) entry point. */
export const POINTWISE_GROUP = 1;

/**
 * Where an input comes from: a slot (strided view), a constant passed in the parameter block,
 * or a constant baked into the shader as a literal (so the compiler folds branches on it, e.g.
 * the activation kind, which shrinks the shader and its compile time several-fold).
 */
export type InputSource =
  | number
  | 'constant'
  | { readonly literal: number }
  | { readonly projection: number };

/** Slots of the fused recurrent product (`Backend.fusedRecurrentStep`). */
export interface FusedSlots {
  readonly hidden: number;
  readonly weights: number;
}

/**
 * How one launch maps onto shader slots: for each input its source, for each output its slot
 * (or `null`) and write mode. Part of the compile-cache key.
 */
export interface PointwiseSignature {
  readonly inputSlots: readonly InputSource[];
  readonly outputSlots: readonly ({ readonly slot: number; readonly add: boolean } | null)[];
  readonly writableSlots: readonly boolean[];
  /** Present when the launch also computes its recurrent projection (`{ projection }` inputs). */
  readonly fused?: FusedSlots;
}

/** Extra words of a fused launch: K, hidden base and stride, weights base and stride, projection offset. */
export const FUSED_PARAM_COUNT = 6;

/**
 * Parameter words: 0 rows, 1 units, then two per input (base = offset + column, row stride;
 * a constant input stores its value in the first word), then two per output, then the fused
 * words when fused.
 */
export function pointwiseParamCount(launch: PointwiseLaunch, fused: boolean): number {
  return 2 + 2 * launch.inputs.length + 2 * launch.outputs.length + (fused ? FUSED_PARAM_COUNT : 0);
}

/** One input the fused launch computes: its identifier, projection slot and parameter word. */
interface ProjectionInput {
  readonly identifier: string;
  readonly slot: number;
  readonly word: number;
}

/**
 * The fused recurrent product: for each projection input, the row's dot product with one weight
 * row, in a single loop over K that loads each hidden value once; each result is stored to the
 * projection (backward reads it) and used as the input value.
 */
function projectionProducts(
  inputs: readonly ProjectionInput[],
  fused: FusedSlots,
  fusedWord: number,
): string[] {
  const w = (offset: number) => paramWord(fusedWord + offset);
  const lines = [`  let rcHiddenRow = ${w(1)} + rcRow * ${w(2)};`];
  for (const { identifier, word } of inputs) {
    lines.push(`  let ${identifier}Weights = ${w(3)} + (${paramWord(word)} - ${w(5)} + rcUnit) * ${w(4)};`);
    lines.push(`  var ${identifier}Dot = 0.0;`);
  }
  lines.push(`  for (var rcK = 0u; rcK < ${w(0)}; rcK = rcK + 1u) {`);
  lines.push(`    let rcHidden = rcSlot${fused.hidden}[rcHiddenRow + rcK];`);
  for (const { identifier } of inputs) {
    lines.push(
      `    ${identifier}Dot = ${identifier}Dot + rcHidden * rcSlot${fused.weights}[${identifier}Weights + rcK];`,
    );
  }
  lines.push('  }');
  for (const { identifier, slot, word } of inputs) {
    lines.push(
      `  rcSlot${slot}[${paramWord(word)} + rcRow * ${paramWord(word + 1)} + rcUnit] = ${identifier}Dot;`,
    );
    lines.push(`  let ${identifier} = ${identifier}Dot;`);
  }
  return lines;
}

/** An exact f32 constant expression (bit pattern), valid for NaN and infinities too. */
function floatLiteral(value: number): string {
  const bits = new Uint32Array(new Float32Array([value]).buffer)[0]!;
  return `bitcast<f32>(${bits}u)`;
}

/**
 * WGSL for one launch signature: gpu.js's translated functions plus an entry point that gathers
 * each live input from its strided view, evaluates the live steps in order by calling the
 * translated functions, and stores (or adds) each bound output into its view. One invocation
 * per element; the dispatch may fold across Y.
 */
export function pointwiseShader(
  kernel: PointwiseKernel,
  translated: TranslatedKernel,
  signature: PointwiseSignature,
): string {
  const live = liveValues(
    kernel,
    signature.outputSlots.map((target) => target !== null),
  );
  const identifiers = new Map<string, string>();
  const lines: string[] = [];
  const projections: ProjectionInput[] = [];
  kernel.inputs.forEach((name, index) => {
    const identifier = `rcInput${index}`;
    identifiers.set(name, identifier);
    const slot = signature.inputSlots[index]!;
    const word = 2 + 2 * index;
    if (typeof slot === 'object' && 'projection' in slot) {
      // Computed even when the cell does not read it: the projection must be complete.
      projections.push({ identifier, slot: slot.projection, word });
      return;
    }
    if (!live.has(name)) return;
    if (slot === 'constant') {
      lines.push(`  let ${identifier} = ${paramFloat(word)};`);
    } else if (typeof slot === 'object') {
      lines.push(`  let ${identifier} = ${floatLiteral(slot.literal)};`);
    } else {
      lines.push(
        `  let ${identifier} = rcSlot${slot}[${paramWord(word)} + rcRow * ${paramWord(word + 1)} + rcUnit];`,
      );
    }
  });
  if (projections.length > 0) {
    const fusedWord = 2 + 2 * kernel.inputs.length + 2 * kernel.outputs.length;
    lines.unshift(...projectionProducts(projections, signature.fused!, fusedWord));
  }
  kernel.steps.forEach((step, index) => {
    const identifier = `rcStep${index}`;
    identifiers.set(step.name, identifier);
    if (!live.has(step.name)) return;
    const args = step.args.map((arg) => identifiers.get(arg)!).join(', ');
    lines.push(`  let ${identifier} = ${translated.wgslNames.get(step.fn)!}(${args}); // ${step.name}`);
  });
  const outputBase = 2 + 2 * kernel.inputs.length;
  signature.outputSlots.forEach((target, index) => {
    if (!target) return;
    const word = outputBase + 2 * index;
    const at = `rcAt${index}`;
    const slot = `rcSlot${target.slot}`;
    const value = identifiers.get(kernel.outputs[index]!)!;
    lines.push(`  let ${at} = ${paramWord(word)} + rcRow * ${paramWord(word + 1)} + rcUnit;`);
    lines.push(target.add ? `  ${slot}[${at}] = ${slot}[${at}] + ${value};` : `  ${slot}[${at}] = ${value};`);
  });
  return [
    translated.module,
    `// --- @recurrent/backend-gpujs entry point for ${kernel.name} ---`,
    paramsDeclaration(
      outputBase + 2 * kernel.outputs.length + (signature.fused ? FUSED_PARAM_COUNT : 0),
      POINTWISE_GROUP,
    ),
    slotDeclarations(signature.writableSlots, POINTWISE_GROUP),
    `@compute @workgroup_size(${POINTWISE_WORKGROUP})`,
    'fn rcMain(@builtin(global_invocation_id) rcGid : vec3<u32>, @builtin(num_workgroups) rcGroups : vec3<u32>) {',
    `  let rcFlat = rcGid.x + rcGid.y * rcGroups.x * ${POINTWISE_WORKGROUP}u;`,
    `  let rcUnits = ${paramWord(1)};`,
    `  if (rcFlat >= ${paramWord(0)} * rcUnits) { return; }`,
    '  let rcRow = rcFlat / rcUnits;',
    '  let rcUnit = rcFlat % rcUnits;',
    ...lines,
    '}',
  ].join('\n');
}
