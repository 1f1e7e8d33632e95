/**
 * Stands in for the `webgpu` package (Dawn's Node bindings) in the browser bundle: the gpu.js
 * backend reaches for it only under Node, so a call here means the platform has no WebGPU.
 */
export function create(): never {
  throw new Error('webgpu: Dawn bindings are Node-only; this browser offers no navigator.gpu');
}
