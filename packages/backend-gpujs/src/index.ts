export { createGpuJsBackend, type GpuJsBackendOptions, type GpuJsMode } from './create-backend.js';
export type { DepthSplit } from './dispatch-context.js';
export { GpuJsBackendError } from './errors.js';
