/**
 * Node-only entry: the programmatic runner (it records the machine with `node:os`) and the ONNX
 * vector files (read with `node:fs`).
 */
export { describeEnvironment } from './environment.js';
export { type BackendSpec, type ProgressEvent, type RunOptions, runConformance } from './run-conformance.js';
export {
  bundledOnnxVectors,
  bundledVectorsFolder,
  loadOnnxVectors,
  loadOnnxVectorsSync,
} from './vector-files.js';
