export { type CpuBackendOptions, createCpuBackend } from './cpu-backend.js';
export { CpuBackendError } from './errors.js';
