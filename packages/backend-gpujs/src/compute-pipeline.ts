import type { ErrorLog } from './error-log.js';
import { GpuJsBackendError } from './errors.js';

const COMPUTE_STAGE = 0x4;

/** A compiled compute shader with the layout its dispatches bind against. */
export interface ComputePipeline {
  readonly label: string;
  readonly pipeline: GPUComputePipeline;
  readonly group: number;
  readonly layout: GPUBindGroupLayout;
  /** Bind groups for the lower, unused group indices (gpu.js's own bindings live in group 0). */
  readonly emptyGroups: readonly GPUBindGroup[];
}

export interface ComputeShader {
  readonly label: string;
  readonly code: string;
  readonly entryPoint: string;
  /** The bind group index of the parameters (binding 0) and slots (bindings 1..n). */
  readonly group: number;
  readonly writableSlots: readonly boolean[];
}

/**
 * Compiles a shader once; compile and validation errors are collected into the error log with
 * the kernel named, and surface at the next `download`/`flush`.
 */
export function compileComputeShader(
  device: GPUDevice,
  shader: ComputeShader,
  errors: ErrorLog,
): ComputePipeline {
  const maxBuffers = device.limits.maxStorageBuffersPerShaderStage;
  if (shader.writableSlots.length > maxBuffers) {
    throw new GpuJsBackendError(
      'webgpu',
      shader.label,
      `a launch binds ${shader.writableSlots.length} distinct buffers; this adapter allows ${maxBuffers} per shader`,
    );
  }
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ label: shader.label, code: shader.code });
  errors.watch(
    module.getCompilationInfo().then((info) => {
      const messages = info.messages.filter((message) => message.type === 'error');
      if (messages.length === 0) return undefined;
      return (
        'WGSL compile error:\n' +
        messages.map((message) => `  ${message.lineNum}:${message.linePos} ${message.message}`).join('\n') +
        `\n--- WGSL ---\n${shader.code}`
      );
    }),
    shader.label,
  );
  const layout = device.createBindGroupLayout({
    label: shader.label,
    entries: [
      // Dynamic offset: the parameters of each dispatch live at their own offset of one arena, so
      // a bind group depends only on the buffers and can be reused across dispatches.
      { binding: 0, visibility: COMPUTE_STAGE, buffer: { type: 'uniform', hasDynamicOffset: true } },
      ...shader.writableSlots.map((writable, slot) => ({
        binding: slot + 1,
        visibility: COMPUTE_STAGE,
        buffer: { type: writable ? ('storage' as const) : ('read-only-storage' as const) },
      })),
    ],
  });
  const emptyLayout = device.createBindGroupLayout({ entries: [] });
  const emptyGroups: GPUBindGroup[] = [];
  const bindGroupLayouts: GPUBindGroupLayout[] = [];
  for (let index = 0; index < shader.group; index++) {
    bindGroupLayouts.push(emptyLayout);
    emptyGroups.push(device.createBindGroup({ layout: emptyLayout, entries: [] }));
  }
  bindGroupLayouts.push(layout);
  const pipeline = device.createComputePipeline({
    label: shader.label,
    layout: device.createPipelineLayout({ bindGroupLayouts }),
    compute: { module, entryPoint: shader.entryPoint },
  });
  errors.watch(
    device
      .popErrorScope()
      .then((error) => (error ? `shader/pipeline creation failed: ${error.message}` : undefined)),
    shader.label,
  );
  return { label: shader.label, pipeline, group: shader.group, layout, emptyGroups };
}
