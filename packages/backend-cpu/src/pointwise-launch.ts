import type { Backend, ChannelBinding, PointwiseKernel, PointwiseLaunch } from '@recurrent/core';
import type { CpuBuffer } from './cpu-buffer.js';
import { CpuBackendError } from './errors.js';
import type { ResolvedLaunch } from './pointwise.js';
import { checkView } from './view-check.js';

export function emptyLaunch(): ResolvedLaunch {
  return {
    rows: 0,
    units: 0,
    inputData: [],
    inputBase: [],
    inputStride: [],
    inputBuffer: [],
    inputVersion: [],
    constants: [],
    outputData: [],
    outputBase: [],
    outputStride: [],
    outputAdds: [],
  };
}

/** Checks a binding: its view lies in its buffer, and the launch's elements lie in its view. */
function bindChannel(
  owner: Backend,
  binding: ChannelBinding,
  role: string,
  rows: number,
  units: number,
): CpuBuffer {
  const view = binding.view;
  const buffer = checkView(owner, view, 'pointwise', role, { broadcast: true });
  const column = binding.column ?? 0;
  if (!Number.isInteger(column) || column < 0 || column + units > view.cols) {
    throw new CpuBackendError(
      'pointwise',
      `${role} reads columns [${column}, ${column + units}) of a view with ${view.cols} columns`,
    );
  }
  if (view.rowStride !== 0 && rows > view.rows) {
    throw new CpuBackendError('pointwise', `${role} needs ${rows} rows; its view has ${view.rows}`);
  }
  return buffer;
}

/** Each kernel's binding roles for error messages (`gru/forward input x:update`), built once per kernel. */
const rolesOfKernel = new WeakMap<PointwiseKernel, { inputs: string[]; outputs: string[] }>();

function rolesOf(kernel: PointwiseKernel): { inputs: string[]; outputs: string[] } {
  let roles = rolesOfKernel.get(kernel);
  if (!roles) {
    roles = {
      inputs: kernel.inputs.map((name) => `${kernel.name} input ${name}`),
      outputs: kernel.outputs.map((name) => `${kernel.name} output ${name}`),
    };
    rolesOfKernel.set(kernel, roles);
  }
  return roles;
}

/**
 * Fills `target` (reused between launches) from a launch, checking every binding, and bumps the
 * write count of every output buffer.
 */
export function resolveLaunch(
  owner: Backend,
  kernel: PointwiseKernel,
  launch: PointwiseLaunch,
  target: ResolvedLaunch,
): void {
  const { rows, units, inputs, outputs } = launch;
  const roles = rolesOf(kernel);
  target.rows = rows;
  target.units = units;
  // Written by index and truncated once: the arrays keep their length from launch to launch of
  // a kernel, and setting `length` is a runtime call (measurable at batch 1).
  for (let k = 0; k < inputs.length; k++) {
    const binding = inputs[k]!;
    if (typeof binding === 'number') {
      target.inputData[k] = null;
      target.inputBase[k] = 0;
      target.inputStride[k] = 0;
      target.inputBuffer[k] = 0;
      target.inputVersion[k] = 0;
      target.constants[k] = binding;
      continue;
    }
    const buffer = bindChannel(owner, binding, roles.inputs[k]!, rows, units);
    target.inputData[k] = buffer.data;
    target.inputBase[k] = binding.view.offset + (binding.column ?? 0);
    target.inputStride[k] = binding.view.rowStride;
    target.inputBuffer[k] = buffer.id;
    target.inputVersion[k] = buffer.version;
    target.constants[k] = 0;
  }
  truncate(inputs.length, target.inputData, target.inputBase, target.inputStride, target.constants);
  if (target.inputVersion.length !== inputs.length) {
    target.inputBuffer.length = target.inputVersion.length = inputs.length;
  }
  for (let k = 0; k < outputs.length; k++) {
    const binding = outputs[k]!;
    if (binding === null) {
      target.outputData[k] = null;
      target.outputBase[k] = 0;
      target.outputStride[k] = 0;
      target.outputAdds[k] = false;
      continue;
    }
    const role = roles.outputs[k]!;
    const buffer = bindChannel(owner, binding, role, rows, units);
    if (binding.view.rowStride === 0 && rows > 1) {
      throw new CpuBackendError('pointwise', `${role} has rowStride 0; outputs cannot broadcast`);
    }
    buffer.version++;
    target.outputData[k] = buffer.data;
    target.outputBase[k] = binding.view.offset + (binding.column ?? 0);
    target.outputStride[k] = binding.view.rowStride;
    target.outputAdds[k] = binding.mode === 'add';
  }
  truncate(outputs.length, target.outputData, target.outputBase, target.outputStride, target.outputAdds);
}

function truncate(length: number, a: unknown[], b: unknown[], c: unknown[], d: unknown[]): void {
  if (a.length !== length) a.length = b.length = c.length = d.length = length;
}
