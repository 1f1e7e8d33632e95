export { createGpuJsBackend, type GpuJsBackendOptions, type GpuJsMode } from './create-backend.js';
export { GpuJsBackendError } from './errors.js';
