export { createGpuJsBackend, type GpuJsBackendOptions, type GpuJsMode } from './create-backend.js';
export type { DepthSplit } from './depth-split.js';
export { GpuJsBackendError } from './errors.js';
