/**
 * Which GEMM and row-sum kernels the WebGPU mode runs. `auto`: products with few output tiles
 * and a deep K, and row sums over many rows, split the depth inside a workgroup on a hardware
 * GPU (`gemm-split-shader.ts`); `never` / `always` force one kernel (tests run both on every
 * adapter). Its own file: the public declarations must not pull in the WebGPU types.
 */
export type DepthSplit = 'auto' | 'never' | 'always';
