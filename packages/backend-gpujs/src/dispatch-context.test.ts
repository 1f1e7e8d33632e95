import { describe, expect, it } from 'vitest';
import { type DispatchContext, gemmKernel, splitsGemm, splitsSumRows } from './dispatch-context.js';

function context(depthSplit: DispatchContext['depthSplit'], softwareAdapter: boolean): DispatchContext {
  return { depthSplit, softwareAdapter } as DispatchContext;
}

describe('depth-split choice', () => {
  const hardware = context('auto', false);
  it('splits few-tile, deep products and tall row sums on a hardware GPU', () => {
    expect(splitsGemm(hardware, 64, 768, 256, 32)).toBe(true); // step h·Uᵀ, large
    expect(splitsGemm(hardware, 768, 128, 8192, 32)).toBe(true); // dW over all steps
    expect(splitsSumRows(hardware, 8192)).toBe(true);
  });
  it('keeps the tiled kernel for many tiles, shallow depth and short sums', () => {
    expect(splitsGemm(hardware, 8192, 768, 128, 32)).toBe(false); // x·Wᵀ over all steps
    expect(splitsGemm(hardware, 64, 64, 32, 32)).toBe(false);
    expect(splitsSumRows(hardware, 32)).toBe(false);
  });
  it('never splits on a software rasterizer unless forced, and obeys never/always', () => {
    const software = context('auto', true);
    expect(splitsGemm(software, 64, 768, 256, 32)).toBe(false);
    expect(splitsSumRows(software, 8192)).toBe(false);
    expect(splitsGemm(context('always', true), 8192, 768, 128, 32)).toBe(true);
    expect(splitsGemm(context('never', false), 64, 768, 256, 32)).toBe(false);
    expect(splitsSumRows(context('always', false), 1)).toBe(true);
  });
});

describe('GEMM kernel choice', () => {
  const limit = 65535;
  it('gives software rasterizers the lanes kernel under auto, whatever the shape', () => {
    const software = context('auto', true);
    expect(gemmKernel(software, 32, 384, 128, limit)).toBe('lanes'); // step h·Uᵀ, standard
    expect(gemmKernel(software, 2048, 64, 384, limit)).toBe('lanes'); // dX over all steps
    expect(gemmKernel(software, 1, 1, 1, limit)).toBe('lanes');
  });
  it('falls back to the tiled kernel where the lanes grid would pass the workgroup limit', () => {
    expect(gemmKernel(context('auto', true), 8 * limit + 1, 64, 64, limit)).toBe('tiled');
  });
  it('keeps the hardware kernels on a hardware GPU and when never/always is forced', () => {
    expect(gemmKernel(context('auto', false), 8192, 768, 128, limit)).toBe('tiled'); // x·Wᵀ, large
    expect(gemmKernel(context('auto', false), 64, 768, 256, limit)).toBe('split');
    expect(gemmKernel(context('never', true), 32, 384, 128, limit)).toBe('tiled');
    expect(gemmKernel(context('always', true), 32, 384, 128, limit)).toBe('split');
  });
});
