import type { PointwiseKernel } from '@recurrent/core';
import { GpuJsBackendError } from './errors.js';
import { CPUKernel } from './gpujs-internals.js';
import { functionNames, kernelSources, liveValues } from './kernel-sources.js';

/** Runs one launch over host arrays; bases and strides as in `ChannelBinding`. */
export type CpuKernelRunner = (
  rows: number,
  units: number,
  inputs: readonly (Float32Array | null)[],
  inputBases: readonly number[],
  inputStrides: readonly number[],
  constants: readonly number[],
  outputs: readonly (Float32Array | null)[],
  outputBases: readonly number[],
  outputStrides: readonly number[],
) => void;

/** How a launch binds the kernel: constant inputs, wanted outputs, add-mode outputs. */
export interface CpuSignature {
  readonly constantInputs: readonly boolean[];
  readonly wantedOutputs: readonly boolean[];
  readonly addOutputs: readonly boolean[];
}

/** gpu.js's CPU translation of the kernel's functions: plain JavaScript function declarations. */
export function translateKernelForCpu(kernel: PointwiseKernel): string {
  try {
    const sources = kernelSources(kernel);
    const cpuKernel = new CPUKernel(sources.root, sources.settings);
    const sampleArguments = [0];
    cpuKernel.setupConstants();
    cpuKernel.setupArguments(sampleArguments);
    cpuKernel.validateSettings(sampleArguments);
    cpuKernel.translateSource();
    return (cpuKernel.translatedSources ?? []).filter((source) => source.startsWith('function')).join('\n');
  } catch (cause) {
    throw new GpuJsBackendError(
      'cpu',
      kernel.name,
      `gpu.js could not translate the kernel: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
}

/**
 * Compiles a runner for one signature: gpu.js's translated functions plus a loop over rows and
 * units that gathers the live inputs, evaluates the live steps in order and stores (or adds)
 * the wanted outputs. The counterpart of `pointwise-shader.ts` for gpu.js's `cpu` mode.
 */
export function compileCpuRunner(
  kernel: PointwiseKernel,
  functions: string,
  signature: CpuSignature,
): CpuKernelRunner {
  const live = liveValues(kernel, signature.wantedOutputs);
  const identifiers = new Map<string, string>();
  const body: string[] = [];
  kernel.inputs.forEach((name, index) => {
    const identifier = `rcInput${index}`;
    identifiers.set(name, identifier);
    if (!live.has(name)) return;
    body.push(
      signature.constantInputs[index]
        ? `const ${identifier} = constants[${index}];`
        : `const ${identifier} = in${index}[inputBases[${index}] + row * inputStrides[${index}] + unit];`,
    );
  });
  const names = functionNames(kernel);
  kernel.steps.forEach((step, index) => {
    const identifier = `rcStep${index}`;
    identifiers.set(step.name, identifier);
    if (!live.has(step.name)) return;
    body.push(
      `const ${identifier} = ${names.get(step.fn)}(${step.args.map((arg) => identifiers.get(arg)).join(', ')});`,
    );
  });
  kernel.outputs.forEach((name, index) => {
    if (!signature.wantedOutputs[index]) return;
    const at = `outputBases[${index}] + row * outputStrides[${index}] + unit`;
    body.push(`out${index}[${at}] ${signature.addOutputs[index] ? '+=' : '='} ${identifiers.get(name)};`);
  });
  const arrays = [
    ...kernel.inputs.map((_, index) => `const in${index} = inputs[${index}];`),
    ...kernel.outputs.map((_, index) => `const out${index} = outputs[${index}];`),
  ];
  const source = `'use strict';
const LOOP_MAX = 1000;
${functions}
return function run(rows, units, inputs, inputBases, inputStrides, constants, outputs, outputBases, outputStrides) {
  ${arrays.join('\n  ')}
  for (let row = 0; row < rows; row++) {
    for (let unit = 0; unit < units; unit++) {
      ${body.join('\n      ')}
    }
  }
};`;
  try {
    return new Function(source)() as CpuKernelRunner;
  } catch (cause) {
    throw new GpuJsBackendError(
      'cpu',
      kernel.name,
      `the translated kernel does not compile: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
}
