export { centralDifference } from './central-difference.js';
export {
  checkLayerGradients,
  compare,
  type GradientCheckCase,
  type GradientCheckOptions,
  type TensorGradientError,
} from './gradient-check.js';
export { createReferenceBackend, type ReferenceBackendOptions } from './reference-backend.js';
