import { describe, expect, it } from 'vitest';
import { type DispatchContext, splitsGemm, splitsSumRows } from './dispatch-context.js';

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
