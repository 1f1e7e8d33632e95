/// <reference lib="dom" />
// The WebGL2 mode runs in browsers: its types come from the DOM library wherever this file is compiled.
import type { PointwiseKernel } from '@recurrent/core';
import { functionNames, liveValues } from './kernel-sources.js';
import { fragmentPrelude, outputCoordinates } from './webgl2-program.js';

/** The uniforms every pass has: the output view and, per sampler slot, its texture and origin. */
function passUniforms(slotCount: number): string {
  const lines = [
    'uniform int rcRows;',
    'uniform int rcColumns;',
    'uniform int rcOutBase;',
    'uniform int rcOutStride;',
  ];
  for (let slot = 0; slot < slotCount; slot++) {
    lines.push(`uniform sampler2D rcSlot${slot};`, `uniform int rcOrigin${slot};`);
  }
  return lines.join('\n');
}

function fetchFrom(slot: number, index: string): string {
  return `rcFetch(rcSlot${slot}, rcOrigin${slot}, ${index})`;
}

/** How one output's pass binds the kernel: per input its slot or `constant`, and the output's mode. */
export interface GlPointwiseSignature {
  readonly output: number;
  readonly add: boolean;
  /** Per kernel input: a sampler slot, `constant`, or `dead` when this output does not need it. */
  readonly inputs: readonly (number | 'constant' | 'dead')[];
  /** The slot holding the output's previous values (`add` only). */
  readonly previousSlot: number | null;
  readonly slotCount: number;
}

/**
 * GLSL for one output of a pointwise launch: gpu.js's translated functions, then a `main` that
 * finds its element of the output view, gathers the live inputs from their strided views,
 * evaluates the steps that output needs and writes (or adds to the previous value of) it.
 * One pass per output: a fragment shader writes one texel of one render target, and outputs
 * may live in different buffers or differ in mode.
 */
export function glPointwiseShader(
  kernel: PointwiseKernel,
  functions: string,
  signature: GlPointwiseSignature,
  textureWidth: number,
): string {
  const wanted = kernel.outputs.map((_, index) => index === signature.output);
  const live = liveValues(kernel, wanted);
  const identifiers = new Map<string, string>();
  const uniforms: string[] = [];
  const body: string[] = [];
  kernel.inputs.forEach((name, index) => {
    const identifier = `rcInput${index}`;
    identifiers.set(name, identifier);
    const source = signature.inputs[index]!;
    if (source === 'dead' || !live.has(name)) return;
    if (source === 'constant') {
      uniforms.push(`uniform float rcConstant${index};`);
      body.push(`  float ${identifier} = rcConstant${index};`);
    } else {
      uniforms.push(`uniform int rcInBase${index};`, `uniform int rcInStride${index};`);
      body.push(
        `  float ${identifier} = ${fetchFrom(source, `rcInBase${index} + rcRow * rcInStride${index} + rcColumn`)};`,
      );
    }
  });
  const names = functionNames(kernel);
  kernel.steps.forEach((step, index) => {
    const identifier = `rcStep${index}`;
    identifiers.set(step.name, identifier);
    if (!live.has(step.name)) return;
    body.push(
      `  float ${identifier} = ${names.get(step.fn)}(${step.args.map((arg) => identifiers.get(arg)!).join(', ')});`,
    );
  });
  const value = identifiers.get(kernel.outputs[signature.output]!)!;
  const result =
    signature.add && signature.previousSlot !== null
      ? `${fetchFrom(signature.previousSlot, 'rcIndex')} + ${value}`
      : value;
  return [
    fragmentPrelude(textureWidth),
    functions,
    `// --- @recurrent/backend-gpujs entry point for ${kernel.name}, output ${signature.output} ---`,
    passUniforms(signature.slotCount),
    ...uniforms,
    'void main() {',
    outputCoordinates,
    ...body,
    `  rcResult = vec4(${result}, 0.0, 0.0, 1.0);`,
    '}',
  ].join('\n');
}

/** Slots of a GEMM pass: A, B and (with `beta`) C's previous values. */
export interface GlGemmSignature {
  readonly a: number;
  readonly b: number;
  readonly previous: number | null;
  readonly slotCount: number;
}

/**
 * `C = alpha · op(A) · op(B) + beta · C`, one fragment per element of C, transposes as swapped
 * steps: A's element (i, k) is at `aBase + i · aRowStep + k · aDepthStep`, B's (k, j) at
 * `bBase + k · bDepthStep + j · bColumnStep`.
 */
export function glGemmShader(signature: GlGemmSignature, textureWidth: number): string {
  const previous =
    signature.previous === null ? '' : ` + rcBeta * ${fetchFrom(signature.previous, 'rcIndex')}`;
  return [
    fragmentPrelude(textureWidth),
    passUniforms(signature.slotCount),
    'uniform int rcDepth;',
    'uniform int rcABase;',
    'uniform int rcARowStep;',
    'uniform int rcADepthStep;',
    'uniform int rcBBase;',
    'uniform int rcBDepthStep;',
    'uniform int rcBColumnStep;',
    'uniform float rcAlpha;',
    'uniform float rcBeta;',
    'void main() {',
    outputCoordinates,
    '  int rcA = rcABase + rcRow * rcARowStep;',
    '  int rcB = rcBBase + rcColumn * rcBColumnStep;',
    '  float rcSum = 0.0;',
    '  for (int k = 0; k < rcDepth; k++) {',
    `    rcSum += ${fetchFrom(signature.a, 'rcA + k * rcADepthStep')} * ${fetchFrom(signature.b, 'rcB + k * rcBDepthStep')};`,
    '  }',
    `  rcResult = vec4(rcAlpha * rcSum${previous}, 0.0, 0.0, 1.0);`,
    '}',
  ].join('\n');
}

/** Slots of a row-sum pass: the source and (with `beta`) the output's previous values. */
export interface GlSumRowsSignature {
  readonly source: number;
  readonly previous: number | null;
  readonly slotCount: number;
}

/** `out[0, j] = beta · out[0, j] + Σ_i src[i, j]`, one fragment per column. */
export function glSumRowsShader(signature: GlSumRowsSignature, textureWidth: number): string {
  const previous =
    signature.previous === null ? '' : ` + rcBeta * ${fetchFrom(signature.previous, 'rcIndex')}`;
  return [
    fragmentPrelude(textureWidth),
    passUniforms(signature.slotCount),
    'uniform int rcSourceRows;',
    'uniform int rcSourceBase;',
    'uniform int rcSourceStride;',
    'uniform float rcBeta;',
    'void main() {',
    outputCoordinates,
    '  float rcSum = 0.0;',
    '  for (int i = 0; i < rcSourceRows; i++) {',
    `    rcSum += ${fetchFrom(signature.source, 'rcSourceBase + i * rcSourceStride + rcColumn')};`,
    '  }',
    `  rcResult = vec4(rcSum${previous}, 0.0, 0.0, 1.0);`,
    '}',
  ].join('\n');
}
