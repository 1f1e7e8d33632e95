import type { ChannelBinding, FusedRecurrentStep, PointwiseKernel, PointwiseLaunch } from '@recurrent/core';
import { type BufferUse, planSlots } from './binding-slots.js';
import { type DispatchContext, foldedWorkgroups } from './dispatch-context.js';
import { GpuJsBackendError } from './errors.js';
import { kernelKey } from './kernel-key.js';
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
 * Records one launch of a pointwise kernel whose math gpu.js translated from core's functions;
 * with `fused`, the launch also computes the recurrent projection its `h:` inputs read.
 */
export function encodePointwise(
  context: DispatchContext,
  kernel: PointwiseKernel,
  launch: PointwiseLaunch,
  fused?: FusedProduct,
): void {
  const operation = `pointwise ${kernel.name}`;
  if (launch.inputs.length !== kernel.inputs.length || launch.outputs.length !== kernel.outputs.length) {
    throw new GpuJsBackendError(
      'webgpu',
      kernel.name,
      `launch binds ${launch.inputs.length} inputs and ${launch.outputs.length} outputs; ` +
        `the kernel has ${kernel.inputs.length} and ${kernel.outputs.length}`,
    );
  }
  if (launch.rows === 0 || launch.units === 0) return;
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
