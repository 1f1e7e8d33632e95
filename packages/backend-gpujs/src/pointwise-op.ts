import type { ChannelBinding, FusedRecurrentStep, PointwiseKernel, PointwiseLaunch } from '@recurrent/core';
import { type BufferUse, planSlots } from './binding-slots.js';
import { type DispatchContext, foldedWorkgroups } from './dispatch-context.js';
import { GpuJsBackendError } from './errors.js';
import { kernelKey } from './kernel-key.js';
import { liveValues } from './kernel-sources.js';
import { packKernel } from './pack-kernel.js';
import {
  POINTWISE_GROUP,
  POINTWISE_WORKGROUP,
  type PointwiseSignature,
  pointwiseParamCount,
  pointwiseShader,
} from './pointwise-shader.js';
import { ParamWriter } from './shader-params.js';

function base(binding: ChannelBinding): number {
  return binding.view.offset + (binding.column ?? 0);
}

/** The recurrent product fused into a launch, and which inputs read its projection. */
export interface FusedProduct {
  readonly step: FusedRecurrentStep;
  readonly projectionInputs: readonly boolean[];
}

/**
 * The launch with every input that no wanted output needs bound to the constant 0 instead of
 * its buffer: the shader never reads such an input, and binding it would only use up one of the
 * adapter's storage-buffer slots. Inputs of a fused projection stay: the projection is stored.
 */
function withoutDeadInputs(kernel: PointwiseKernel, launch: PointwiseLaunch, fused?: FusedProduct) {
  const live = liveValues(
    kernel,
    launch.outputs.map((output) => output !== null),
  );
  const inputs = launch.inputs.map((input, index) =>
    typeof input === 'number' || live.has(kernel.inputs[index]!) || fused?.projectionInputs[index]
      ? input
      : 0,
  );
  return inputs.every((input, index) => input === launch.inputs[index]) ? launch : { ...launch, inputs };
}

/** The distinct buffers one output of a launch touches: its own and those of the inputs it needs. */
function buffersOfOutput(
  kernel: PointwiseKernel,
  launch: PointwiseLaunch,
  outputIndex: number,
): Set<unknown> {
  const live = liveValues(
    kernel,
    launch.outputs.map((_, index) => index === outputIndex),
  );
  const buffers = new Set<unknown>([launch.outputs[outputIndex]!.view.buffer]);
  launch.inputs.forEach((input, index) => {
    if (typeof input !== 'number' && live.has(kernel.inputs[index]!)) buffers.add(input.view.buffer);
  });
  return buffers;
}

/**
 * Groups the wanted outputs so that each group binds at most `limit` distinct buffers, or null
 * when the whole launch fits. Browsers expose as few as 8–10 storage buffers per shader stage
 * (Chromium on SwiftShader: 10), and an LSTM backward step with peepholes reads 13 buffers.
 * Splitting is exact: core guarantees that no output overlaps an input.
 */
function outputGroups(kernel: PointwiseKernel, launch: PointwiseLaunch, limit: number): number[][] | null {
  if (boundBuffers(launch).size <= limit) return null;
  const groups: { outputs: number[]; buffers: Set<unknown> }[] = [];
  launch.outputs.forEach((output, index) => {
    if (!output) return;
    const needed = buffersOfOutput(kernel, launch, index);
    const group = groups.find((candidate) => new Set([...candidate.buffers, ...needed]).size <= limit);
    if (group) {
      group.outputs.push(index);
      for (const buffer of needed) group.buffers.add(buffer);
    } else {
      groups.push({ outputs: [index], buffers: needed });
    }
  });
  return groups.length > 1 ? groups.map((group) => group.outputs) : null;
}

/** The distinct buffers a launch binds. */
function boundBuffers(launch: PointwiseLaunch): Set<unknown> {
  const buffers = new Set<unknown>();
  for (const input of launch.inputs) if (typeof input !== 'number') buffers.add(input.view.buffer);
  for (const output of launch.outputs) if (output) buffers.add(output.view.buffer);
  return buffers;
}

/**
 * Runs a launch whose inputs alone come from more buffers than a shader may bind: inputs from
 * as many buffers as needed are first copied, by a pack launch (itself within the limit), into
 * one scratch buffer, and the launch then reads them from there. Returns false when packing
 * cannot help (the caller then reports the limit).
 */
function encodePacked(
  context: DispatchContext,
  kernel: PointwiseKernel,
  launch: PointwiseLaunch,
  limit: number,
): boolean {
  const outputBuffers = new Set(launch.outputs.flatMap((output) => (output ? [output.view.buffer] : [])));
  const inputsByBuffer = new Map<unknown, number[]>();
  launch.inputs.forEach((input, index) => {
    if (typeof input === 'number' || outputBuffers.has(input.view.buffer)) return;
    const indices = inputsByBuffer.get(input.view.buffer) ?? [];
    indices.push(index);
    inputsByBuffer.set(input.view.buffer, indices);
  });
  // Packing n buffers into one saves n − 1 slots.
  const surplus = boundBuffers(launch).size - limit;
  if (limit < 2 || inputsByBuffer.size < surplus + 1) return false;
  const packed = [...inputsByBuffer.values()].slice(0, surplus + 1).flat();
  const { rows, units } = launch;
  const scratch = context.allocateScratch(packed.length * rows * units);
  const scratchView = (position: number) => ({
    view: { buffer: scratch, offset: position * rows * units, rows, cols: units, rowStride: units },
  });
  encodePointwise(context, packKernel(packed.length), {
    rows,
    units,
    inputs: packed.map((index) => launch.inputs[index]!),
    outputs: packed.map((_, position) => scratchView(position)),
  });
  const inputs = launch.inputs.map((input, index) => {
    const position = packed.indexOf(index);
    return position === -1 ? input : scratchView(position);
  });
  encodePointwise(context, kernel, { ...launch, inputs });
  context.releaseScratch(scratch);
  return true;
}

/**
 * Records one launch of a pointwise kernel whose math gpu.js translated from core's functions;
 * with `fused`, the launch also computes the recurrent projection its `h:` inputs read.
 */
export function encodePointwise(
  context: DispatchContext,
  kernel: PointwiseKernel,
  requested: PointwiseLaunch,
  fused?: FusedProduct,
): void {
  const operation = `pointwise ${kernel.name}`;
  if (
    requested.inputs.length !== kernel.inputs.length ||
    requested.outputs.length !== kernel.outputs.length
  ) {
    throw new GpuJsBackendError(
      'webgpu',
      kernel.name,
      `launch binds ${requested.inputs.length} inputs and ${requested.outputs.length} outputs; ` +
        `the kernel has ${kernel.inputs.length} and ${kernel.outputs.length}`,
    );
  }
  if (requested.rows === 0 || requested.units === 0) return;
  const launch = withoutDeadInputs(kernel, requested, fused);
  if (!fused) {
    // Over the adapter's storage-buffer limit: split by outputs, then pack inputs (see above).
    const limit = context.device.limits.maxStorageBuffersPerShaderStage;
    const groups = outputGroups(kernel, launch, limit);
    if (groups) {
      for (const group of groups) {
        const outputs = launch.outputs.map((output, index) => (group.includes(index) ? output : null));
        encodePointwise(context, kernel, withoutDeadInputs(kernel, { ...launch, outputs }));
      }
      return;
    }
    if (boundBuffers(launch).size > limit && encodePacked(context, kernel, launch, limit)) return;
  }
  const uses: BufferUse[] = [];
  launch.inputs.forEach((input, index) => {
    if (typeof input === 'number') return;
    const writes = fused?.projectionInputs[index] ?? false;
    uses.push({ buffer: context.resolve(input.view.buffer, operation), writes });
  });
  for (const output of launch.outputs) {
    if (output) uses.push({ buffer: context.resolve(output.view.buffer, operation), writes: true });
  }
  if (fused) {
    uses.push({ buffer: context.resolve(fused.step.hidden.buffer, operation), writes: false });
    uses.push({ buffer: context.resolve(fused.step.recurrentWeights.buffer, operation), writes: false });
  }
  const plan = planSlots(uses);
  const constants = launch.inputs.filter((input) => typeof input === 'number');
  const bake = context.kernels.mayBake(`${kernelKey(kernel)}|${plan.pattern}`, constants.join(','));
  let use = 0;
  const signature: PointwiseSignature = {
    inputSlots: launch.inputs.map((input, index) => {
      if (typeof input !== 'number') {
        const slot = plan.slotOfUse[use++]!;
        return fused?.projectionInputs[index] ? { projection: slot } : slot;
      }
      return bake ? { literal: input } : 'constant';
    }),
    outputSlots: launch.outputs.map((output) =>
      output ? { slot: plan.slotOfUse[use++]!, add: output.mode === 'add' } : null,
    ),
    writableSlots: plan.writable,
    ...(fused ? { fused: { hidden: plan.slotOfUse[use]!, weights: plan.slotOfUse[use + 1]! } } : {}),
  };
  const key = [
    'pointwise',
    kernelKey(kernel),
    signature.inputSlots
      .map((source) => {
        if (typeof source !== 'object') return source;
        return 'literal' in source ? `=${source.literal}` : `p${source.projection}`;
      })
      .join(','),
    signature.outputSlots.map((o) => (o ? `${o.slot}${o.add ? '+' : '='}` : '-')).join(','),
    plan.pattern,
    signature.fused ? `fused${signature.fused.hidden}.${signature.fused.weights}` : '',
  ].join('|');
  const pipeline = context.kernels.pipeline(key, () => ({
    label: kernel.name,
    code: pointwiseShader(kernel, context.kernels.translation(kernel), signature),
    entryPoint: 'rcMain',
    group: POINTWISE_GROUP,
    writableSlots: plan.writable,
  }));
  const params = new ParamWriter(pointwiseParamCount(launch, fused !== undefined));
  params.u32(0, launch.rows);
  params.u32(1, launch.units);
  launch.inputs.forEach((input, index) => {
    const word = 2 + 2 * index;
    if (typeof input === 'number') {
      params.f32(word, input);
    } else {
      params.u32(word, base(input));
      params.u32(word + 1, input.view.rowStride);
    }
  });
  launch.outputs.forEach((output, index) => {
    if (!output) return;
    const word = 2 + 2 * launch.inputs.length + 2 * index;
    params.u32(word, base(output));
    params.u32(word + 1, output.view.rowStride);
  });
  if (fused) {
    const { hidden, recurrentWeights, projection } = fused.step;
    const word = 2 + 2 * launch.inputs.length + 2 * launch.outputs.length;
    params.u32(word, hidden.cols);
    params.u32(word + 1, hidden.offset);
    params.u32(word + 2, hidden.rowStride);
    params.u32(word + 3, recurrentWeights.offset);
    params.u32(word + 4, recurrentWeights.rowStride);
    params.u32(word + 5, projection.offset);
  }
  context.queue.dispatch({
    pipeline,
    params: params.words,
    buffers: plan.buffers.map((buffer) => buffer.storage),
    workgroups: foldedWorkgroups(
      context.device,
      Math.ceil((launch.rows * launch.units) / POINTWISE_WORKGROUP),
    ),
  });
}
