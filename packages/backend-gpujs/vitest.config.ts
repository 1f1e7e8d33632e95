import { recurrentProject } from '@recurrent/vitest-config/project';

// llvmpipe compiles each WGSL pipeline with LLVM on first use (seconds on a 2-core runner).
export default recurrentProject('backend-gpujs', { testTimeout: 60_000, hookTimeout: 60_000 });
