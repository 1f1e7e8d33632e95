export { Adam, type AdamOptions } from './adam.js';
export { clipGradientNorm } from './clip-gradient-norm.js';
export { Linear, LinearGradients, type LinearOptions, type LinearWeights } from './linear.js';
export type { LossResult, Reduction } from './loss-result.js';
export { meanSquaredError } from './mean-squared-error.js';
export { listGradients, listParameters, type Optimizer } from './optimizer.js';
export { Sgd, type SgdOptions } from './sgd.js';
export { type ClassTargets, softmaxCrossEntropy } from './softmax-cross-entropy.js';
export {
  backpropTruncated,
  type Chunk,
  type ChunkLoss,
  type TruncatedBackpropOptions,
  type TruncatedBackpropResult,
} from './truncated-backprop.js';
